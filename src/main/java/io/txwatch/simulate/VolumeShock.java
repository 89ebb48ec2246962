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
        SPIKE,
        /**
         * A pricing error (a decimal shifted, a discount applied to everything): as many sales as ever, at a fraction of
         * their prices, so revenue falls while the count holds. Only streams whose profile has pricing errors have it.
         */
        UNDERPRICED
    }

    /** The period as an ISO-8601 interval, {@code <start>/<end>}. */
    public String period() {
        return start + "/" + end;
    }
}
