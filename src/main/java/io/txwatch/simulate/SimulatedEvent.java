package io.txwatch.simulate;

import java.util.Optional;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEvent;

/** One generated transaction and its ground truth: which anomaly it belongs to, if any. */
public record SimulatedEvent(TransactionEvent event, Optional<Label> label) {

    /**
     * The injected anomaly an event belongs to. Events of one incident (a burst, a volume shock) share its id;
     * {@code shock} is present for {@link AnomalyType#SALES_VOLUME} only.
     */
    public record Label(AnomalyType type, String incidentId, Optional<VolumeShock> shock) {
    }

    public boolean isClean() {
        return label.isEmpty();
    }
}
