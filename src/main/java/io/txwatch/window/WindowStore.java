package io.txwatch.window;

import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Sends window work to Redis as pipelines: all the requests of one call go in one round trip and come back in
 * order. A Redis that lost the scripts (restarted, flushed, failed over) gets them loaded again and the pipeline
 * is sent once more, which is safe because every script is idempotent.
 */
@ApplicationScoped
public class WindowStore {

    private static final Logger LOG = Logger.getLogger(WindowStore.class);

    private final Redis redis;
    private final Counter roundTrips;
    private final Counter commands;

    public WindowStore(Redis redis, MeterRegistry registry) {
        this.redis = redis;
        this.roundTrips = Counter.builder("txwatch.redis.round.trips")
                .description("Pipelines sent to Redis by the detectors").register(registry);
        this.commands = Counter.builder("txwatch.redis.commands")
                .description("Commands (mostly script calls) sent to Redis by the detectors").register(registry);
    }

    public Uni<List<Response>> pipeline(List<Request> requests) {
        if (requests.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return send(requests)
                .onFailure(WindowStore::scriptsMissing).recoverWithUni(() -> loadScripts().chain(() -> send(requests)));
    }

    public Uni<Response> one(Request request) {
        return pipeline(List.of(request)).map(responses -> responses.get(0));
    }

    private Uni<List<Response>> send(List<Request> requests) {
        roundTrips.increment();
        commands.increment(requests.size());
        return redis.batch(requests);
    }

    private Uni<Void> loadScripts() {
        LOG.info("Loading the window scripts into Redis");
        return send(Arrays.stream(WindowScript.values()).map(WindowScript::load).toList()).replaceWithVoid();
    }

    private static boolean scriptsMissing(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }
}
