package io.txwatch.detect;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;

/**
 * Judges time buckets instead of single events: a bucket is judged when it closes, which is how a detector notices
 * what did not happen (an outage sends no events). Events are added to their buckets as batches arrive; the
 * {@link BucketTicker} asks, on a wall-clock timer, for the buckets that closed meanwhile. Implementations are
 * {@code @ApplicationScoped} beans; each bucket must be judged once even with several replicas running.
 */
public interface BucketDetector {

    AnomalyType type();

    /** Switched by the detector's own {@code enabled} setting. */
    boolean enabled();

    /** Adds a batch's events to their buckets; an event added twice counts once. */
    Uni<Void> accumulate(EventBatch batch);

    /**
     * Judges every bucket that has closed by {@code now} and that no replica judged before, hands the findings to
     * {@code persist}, and only then marks the buckets judged.
     *
     * @param caughtUp the partitions this replica has processed to their end, the only ones whose silence can be the
     *        shop's: see {@link CaughtUpPartitions}
     * @return how many buckets were judged
     */
    Uni<Integer> closeDue(Instant now, Set<Integer> caughtUp, Function<List<Finding>, Uni<Void>> persist);
}
