package io.txwatch.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * A rolling sample of one entity's values in an event-time window: a product's unit prices or quantities, a
 * customer's amounts or local hours ({@code sample-stats.lua}). Each call returns the statistics of the samples
 * before the event, then adds the event's own value.
 */
public final class RollingSample {

    /**
     * @param size samples before this event in the window
     * @param matching samples whose value is one of the values asked for
     * @param oldest event time of the oldest sample kept: how far back the sample reaches
     */
    public record Stats(long size, double mean, double standardDeviation, double median, long matching, Instant oldest) {
    }

    private RollingSample() {
    }

    public static Request add(WindowConfig config, String key, String sampleId, Instant at, String value, Duration window,
            int keptAtMost) {
        return add(config, key, sampleId, at, value, window, keptAtMost, List.of());
    }

    public static Request add(WindowConfig config, String key, String sampleId, Instant at, String value, Duration window,
            int keptAtMost, Collection<String> valuesToCount) {
        return WindowScript.SAMPLE_STATS.call(List.of(key), List.of(
                Long.toString(at.toEpochMilli()), sampleId, value, Long.toString(window.toMillis()),
                Integer.toString(keptAtMost), Long.toString(config.allowedLateness().toMillis()),
                Long.toString(config.ttlMillis(window)), String.join(",", valuesToCount)));
    }

    public static Stats read(Response response) {
        return new Stats(response.get(0).toLong(), number(response.get(1)), number(response.get(2)),
                number(response.get(3)), response.get(4).toLong(),
                Instant.ofEpochMilli((long) Double.parseDouble(response.get(5).toString())));
    }

    private static double number(Response response) {
        return Double.parseDouble(response.toString());
    }
}
