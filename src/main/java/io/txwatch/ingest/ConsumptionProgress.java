package io.txwatch.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * When the batch now in work was received. The consumer is stalled when one has been in work longer than
 * {@code txwatch.ingest.stalled-after}: a batch in work means records consumed but not committed, so there is lag,
 * and it is not going down.
 */
@ApplicationScoped
public class ConsumptionProgress {

    private final AtomicReference<Instant> inWorkSince = new AtomicReference<>();
    private final AtomicReference<Instant> lastDone = new AtomicReference<>();
    private final Clock clock;
    private final IngestConfig config;

    public ConsumptionProgress(Clock clock, IngestConfig config, MeterRegistry registry) {
        this.clock = clock;
        this.config = config;
        Gauge.builder("txwatch.batches.in.flight", inWorkSince, since -> since.get() == null ? 0 : 1)
                .description("Batches of topic transactions being scored and stored, not yet acknowledged")
                .register(registry);
        Gauge.builder("txwatch.batch.in.work", inWorkSince, since -> secondsSince(since.get(), clock))
                .description("How long the batch in work has been in work; 0 when none is").baseUnit("seconds")
                .register(registry);
    }

    /** Read once: the batch may be done between two reads. */
    private static double secondsSince(Instant since, Clock clock) {
        return since == null ? 0 : Duration.between(since, clock.instant()).toMillis() / 1000.0;
    }

    void started() {
        inWorkSince.set(clock.instant());
    }

    void done() {
        inWorkSince.set(null);
        lastDone.set(clock.instant());
    }

    /** How long the batch in work has been, when that is longer than allowed. */
    public Optional<Duration> stalledFor() {
        Instant since = inWorkSince.get();
        if (since == null) {
            return Optional.empty();
        }
        Duration inWork = Duration.between(since, clock.instant());
        return inWork.compareTo(config.stalledAfter()) > 0 ? Optional.of(inWork) : Optional.empty();
    }

    public Optional<Instant> lastBatchDone() {
        return Optional.ofNullable(lastDone.get());
    }
}
