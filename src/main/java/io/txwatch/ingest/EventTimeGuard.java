package io.txwatch.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.txwatch.event.FieldViolation;
import io.txwatch.event.TransactionEventJson.Invalid;
import io.txwatch.event.TransactionEventJson.ReadResult;
import io.txwatch.event.TransactionEventJson.Valid;

/**
 * Refuses events that claim to happen later than now, beyond {@code txwatch.ingest.max-ahead}. Windows follow event
 * time: one event dated next year would move its partition's event time a year on, and every real event after it
 * would be late, left out of every window, until the calendar caught up.
 */
@ApplicationScoped
public class EventTimeGuard {

    private final Clock clock;
    private final Duration maxAhead;

    public EventTimeGuard(Clock clock, IngestConfig config) {
        this.clock = clock;
        this.maxAhead = config.maxAhead();
    }

    /**
     * {@code result}, or why its event is refused.
     *
     * @param path how the event is named in a violation: empty, or {@code [3]} for the fourth of an array
     */
    ReadResult check(ReadResult result, String path) {
        if (!(result instanceof Valid valid)) {
            return result;
        }
        Instant now = clock.instant();
        Instant occurredAt = valid.event().occurredAt();
        if (!occurredAt.isAfter(now.plus(maxAhead))) {
            return result;
        }
        return new Invalid(List.of(new FieldViolation((path.isEmpty() ? "" : path + ".") + "occurredAt",
                "is " + roughly(Duration.between(now, occurredAt)) + " ahead of the service's clock; at most " + maxAhead
                        + " is accepted")));
    }

    /** To the nearest day, hour or minute. */
    private static String roughly(Duration ahead) {
        long minutes = Math.round(ahead.toSeconds() / 60.0);
        if (minutes >= 2 * 24 * 60) {
            return Math.round(minutes / (24 * 60.0)) + " days";
        }
        return minutes >= 2 * 60 ? Math.round(minutes / 60.0) + " hours" : minutes + " minutes";
    }
}
