package io.txwatch.window;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/** The events of one entity in a sliding event-time window, counted as each one is added ({@code sliding-count.lua}). */
public final class SlidingCount {

    /**
     * @param count events in the window that ends at this event, itself included
     * @param opensAlert the count reached the alert level and no alert of this entity is open within one window
     * @param firstInWindow event time of the earliest event in that window
     */
    public record Result(long count, boolean opensAlert, Instant firstInWindow) {
    }

    private SlidingCount() {
    }

    public static Request add(WindowConfig config, String eventsKey, String alertKey, String eventId, Instant at,
            Duration window, int alertAtCount) {
        return WindowScript.SLIDING_COUNT.call(List.of(eventsKey, alertKey), List.of(
                Long.toString(at.toEpochMilli()), eventId, Long.toString(window.toMillis()), Integer.toString(alertAtCount),
                Long.toString(config.allowedLateness().toMillis()), Long.toString(config.ttlMillis(window)),
                Long.toString(config.expiryRefreshMillis())));
    }

    public static Result read(Response response) {
        return new Result(response.get(0).toLong(), response.get(1).toInteger() == 1,
                Instant.ofEpochMilli(Long.parseLong(response.get(2).toString())));
    }
}
