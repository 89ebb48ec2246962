package io.txwatch.simulate;

import java.time.Instant;

/** A period of event time in which the simulator changed how much the shop sells: ground truth for SALES_VOLUME. */
public record VolumeShock(Kind kind, Instant start, Instant end, String incidentId) {

    public enum Kind {
        /** Nothing sold at all. */
        OUTAGE,
        /** Sales fall to a fraction of normal. */
        DROP,
        /** A flash sale: several times the normal sales, at promotion prices. */
        SPIKE
    }

    /** The period as an ISO-8601 interval, {@code <start>/<end>}. */
    public String period() {
        return start + "/" + end;
    }
}
