package io.txwatch.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Asks Redis and PostgreSQL on a timer whether they answer, and how fast, so that an alert can tell which server is
 * away while the pipeline only waits and retries. A failed attempt at the pipeline's own work does not always name its
 * server (a refused connection is a plain socket error); this probe always does. Created at start, so that its
 * metrics are exported before the first probe (down, 0, until a server first answers).
 */
@Startup
@ApplicationScoped
public class DependencyProbe {

    private static final Logger LOG = Logger.getLogger(DependencyProbe.class);
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private final Map<String, Supplier<Uni<?>>> probes;
    private final Map<String, AtomicInteger> up;
    private final Map<String, Timer> latency;

    public DependencyProbe(Redis redis, Pool postgresql, MeterRegistry registry) {
        this.probes = Map.of(
                "redis", () -> redis.send(Request.cmd(Command.PING)),
                "postgresql", () -> postgresql.query("SELECT 1").execute());
        this.up = Map.of("redis", new AtomicInteger(), "postgresql", new AtomicInteger());
        this.latency = Map.of("redis", timer(registry, "redis"), "postgresql", timer(registry, "postgresql"));
        up.forEach((server, answered) -> Gauge.builder("txwatch.dependency.up", answered, AtomicInteger::get)
                .description("1 when the server answered the last probe within 5 s, 0 when it did not")
                .tag("server", server).register(registry));
    }

    private static Timer timer(MeterRegistry registry, String server) {
        return Timer.builder("txwatch.dependency.latency")
                .description("How long the server took to answer a probe (Redis PING, PostgreSQL SELECT 1)")
                .tag("server", server)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(PATIENCE)
                .register(registry);
    }

    @Scheduled(every = "${txwatch.dependency-probe.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> probe() {
        return Uni.join().all(probes.keySet().stream().map(this::probe).toList()).andCollectFailures().replaceWithVoid();
    }

    private Uni<Void> probe(String server) {
        long started = System.nanoTime();
        return probes.get(server).get().ifNoItem().after(PATIENCE).fail()
                .onItem().invoke(() -> {
                    latency.get(server).record(Duration.ofNanos(System.nanoTime() - started));
                    up.get(server).set(1);
                })
                .onFailure().invoke(failure -> {
                    if (up.get(server).getAndSet(0) == 1) {
                        LOG.warnf("%s does not answer: %s", server, failure.toString());
                    }
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
