package io.txwatch.window;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/** The latest events of one entity with a payload each, such as where they happened ({@code previous-points.lua}). */
public final class PreviousPoints {

    private static final String SEPARATOR = "\u001f";

    public record Point(String eventId, Instant at, String payload) {
    }

    private PreviousPoints() {
    }

    public static Request add(WindowConfig config, String key, String eventId, Instant at, String payload, int returned,
            int keptAtMost, Duration retention) {
        return WindowScript.PREVIOUS_POINTS.call(List.of(key), List.of(
                Long.toString(at.toEpochMilli()), eventId, payload, Integer.toString(returned), Integer.toString(keptAtMost),
                Long.toString(config.ttlMillis(retention)), Long.toString(config.expiryRefreshMillis())));
    }

    /** The entity's events before this one, newest first. */
    public static List<Point> read(Response response) {
        List<Point> earlier = new ArrayList<>();
        for (int i = 0; i + 1 < response.size(); i += 2) {
            String member = response.get(i).toString();
            int split = member.indexOf(SEPARATOR);
            earlier.add(new Point(member.substring(0, split), Instant.ofEpochMilli(Long.parseLong(response.get(i + 1).toString())),
                    member.substring(split + 1)));
        }
        return earlier;
    }
}
