package io.txwatch.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

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

    public ConsumptionProgress(Clock clock, IngestConfig config) {
        this.clock = clock;
        this.config = config;
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
