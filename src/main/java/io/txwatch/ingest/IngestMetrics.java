package io.txwatch.ingest;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.txwatch.ingest.DeadLetterPublisher.Cause;
import io.txwatch.ingest.DeadLetterPublisher.DeadLetter;

/** What the ingestion stage counts, for dashboards and alerts; created at start, so every count is exported from zero. */
@Startup
@ApplicationScoped
public class IngestMetrics {

    private final Counter processed;
    private final Counter duplicates;
    private final Counter invalidFromKafka;
    private final Counter invalidFromHttp;
    private final Counter acceptedFromHttp;
    private final Counter unprocessable;
    private final Map<List<String>, Counter> failures = new ConcurrentHashMap<>();
    private final Map<Cause, Counter> deadLetters = new EnumMap<>(Cause.class);
    private final Timer batchDuration;
    private final Timer endToEnd;
    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.processed = Counter.builder("txwatch.events.processed")
                .description("Valid transaction events scored and persisted").register(registry);
        this.duplicates = Counter.builder("txwatch.events.duplicate")
                .description("Events skipped because their transactionId was processed before (redelivery, replay)")
                .register(registry);
        this.invalidFromKafka = Counter.builder("txwatch.events.invalid")
                .description("Malformed or invalid events, sent to the dead-letter topic or refused")
                .tag("source", "kafka").register(registry);
        this.invalidFromHttp = Counter.builder("txwatch.events.invalid")
                .description("Malformed or invalid events, sent to the dead-letter topic or refused")
                .tag("source", "http").register(registry);
        this.acceptedFromHttp = Counter.builder("txwatch.events.accepted.http")
                .description("Events accepted by POST /api/v1/transactions and published to Kafka").register(registry);
        this.unprocessable = Counter.builder("txwatch.events.unprocessable")
                .description("Valid events that could not be scored or stored however often tried, sent to the dead-letter topic")
                .register(registry);
        for (Failures.Server server : Failures.Server.values()) {
            failureCounter(true, server);
            failureCounter(false, server);
        }
        for (Cause cause : Cause.values()) {
            deadLetters.put(cause, Counter.builder("txwatch.dead.letters")
                    .description("Records set aside for the dead-letter topic, by cause").tag("cause", cause.label())
                    .register(registry));
        }
        this.batchDuration = Timer.builder("txwatch.batch.duration")
                .description("Time to score and persist one Kafka batch").register(registry);
        // a histogram, so that dashboards and the benchmark can take percentiles over any window
        this.endToEnd = Timer.builder("txwatch.events.latency")
                .description("From an event's append to Kafka until it is scored, persisted and acknowledged")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    void processed(int count) {
        processed.increment(count);
    }

    void duplicates(int count) {
        duplicates.increment(count);
    }

    void invalidFromKafka(int count) {
        invalidFromKafka.increment(count);
    }

    void invalidFromHttp(int count) {
        invalidFromHttp.increment(count);
    }

    void acceptedFromHttp(int count) {
        acceptedFromHttp.increment(count);
    }

    void unprocessable(int count) {
        unprocessable.increment(count);
    }

    /** A failed attempt at a batch's work, waited for and retried; {@code server} is the one whose work failed. */
    void retried(boolean serverAway, Failures.Server server) {
        failureCounter(serverAway, server).increment();
    }

    private Counter failureCounter(boolean serverAway, Failures.Server server) {
        String kind = serverAway ? "server-away" : "other";
        return failures.computeIfAbsent(List.of(kind, server.label()), labels -> Counter.builder("txwatch.work.failures")
                .description("Failed attempts at a batch's work (Redis, PostgreSQL, Kafka), each waited for and retried")
                .tag("kind", kind).tag("server", server.label()).register(registry));
    }

    void deadLettered(List<DeadLetter> letters) {
        letters.forEach(letter -> deadLetters.get(letter.cause()).increment());
    }

    Timer.Sample startBatch() {
        return Timer.start(registry);
    }

    void batchDone(Timer.Sample sample, long[] appendedAtMillis) {
        sample.stop(batchDuration);
        long now = System.currentTimeMillis();
        for (long appendedAt : appendedAtMillis) {
            endToEnd.record(Math.max(0, now - appendedAt), TimeUnit.MILLISECONDS);
        }
    }
}
