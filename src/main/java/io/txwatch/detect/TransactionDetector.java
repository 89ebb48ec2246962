package io.txwatch.detect;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEvent;

/**
 * Scores transactions as they arrive. A detector receives a whole batch (the events of one Kafka poll, in
 * event-time order) so that its Redis work for the batch can go in one pipelined round trip; it never
 * blocks. Implementations are {@code @ApplicationScoped} beans: the engine finds them all.
 */
public interface TransactionDetector {

    AnomalyType type();

    /** Switched by the detector's own {@code enabled} setting. */
    boolean enabled();

    /**
     * Whether the detector keeps windows of past events. One that does is not given events later than the allowed
     * lateness (they are counted as late instead); one that does not judges every event.
     */
    default boolean keepsWindows() {
        return true;
    }

    /**
     * Must be idempotent: when a batch fails to persist it is scored again, and must yield the same findings
     * without counting its events twice in any window.
     */
    Uni<List<Finding>> detect(List<TransactionEvent> batch);
}
