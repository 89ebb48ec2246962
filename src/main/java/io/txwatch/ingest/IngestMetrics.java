package io.txwatch.ingest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** What the ingestion stage counts, for dashboards and alerts. */
@ApplicationScoped
public class IngestMetrics {

    private final Counter processed;
    private final Counter duplicates;
    private final Counter invalidFromKafka;
    private final Counter invalidFromHttp;
    private final Counter acceptedFromHttp;
    private final Counter unprocessable;
    private final Counter transientFailures;
    private final Counter otherFailures;
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
        this.transientFailures = Counter.builder("txwatch.work.failures")
                .description("Failed attempts at a batch's work (Redis, PostgreSQL, Kafka), each waited for and retried")
                .tag("kind", "server-away").register(registry);
        this.otherFailures = Counter.builder("txwatch.work.failures")
                .description("Failed attempts at a batch's work (Redis, PostgreSQL, Kafka), each waited for and retried")
                .tag("kind", "other").register(registry);
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

    void retried(boolean serverAway) {
        (serverAway ? transientFailures : otherFailures).increment();
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
