package io.txwatch.window;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Sends window work to Redis as pipelines: all the requests of one call go in one round trip and come back in
 * order. The scripts are loaded when the service starts; a Redis that lost them since (restarted, flushed, failed
 * over) gets them loaded again and the pipeline is sent once more, which is safe because every script is idempotent.
 * A pipeline whose replies do not all come within {@link WindowConfig#replyTimeout()} fails, so that its batch is
 * retried instead of waiting forever.
 */
@ApplicationScoped
public class WindowStore {

    private static final Logger LOG = Logger.getLogger(WindowStore.class);

    private final Redis redis;
    private final Duration replyTimeout;
    private final Counter roundTrips;
    private final Counter commands;

    public WindowStore(Redis redis, WindowConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.replyTimeout = config.replyTimeout();
        this.roundTrips = Counter.builder("txwatch.redis.round.trips")
                .description("Pipelines sent to Redis by the detectors").register(registry);
        this.commands = Counter.builder("txwatch.redis.commands")
                .description("Commands (mostly script calls) sent to Redis by the detectors").register(registry);
    }

    /**
     * A fresh Redis would otherwise answer the first batch's pipelines with NOSCRIPT for every call; loading up front
     * keeps that to Redis restarts. A Redis not reachable yet is left to the first pipeline.
     */
    void loadScriptsAtStart(@Observes StartupEvent start) {
        loadScripts().subscribe().with(loaded -> {
        }, failure -> LOG.warnf("Window scripts not loaded at start, the first pipeline will: %s", failure.getMessage()));
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
        return redis.batch(requests).ifNoItem().after(replyTimeout)
                .failWith(() -> new TimeoutException("Redis did not answer a pipeline of %d requests within %s"
                        .formatted(requests.size(), replyTimeout)));
    }

    private Uni<Void> loadScripts() {
        LOG.info("Loading the window scripts into Redis");
        return send(Arrays.stream(WindowScript.values()).map(WindowScript::load).toList()).replaceWithVoid();
    }

    private static boolean scriptsMissing(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }
}
