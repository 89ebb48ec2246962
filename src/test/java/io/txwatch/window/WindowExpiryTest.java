package io.txwatch.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * Window keys expire when their entity goes quiet, and the scripts set the expiry only when it is due: on a key that
 * starts, and when event time enters a new refresh period. Each test shortens a key's expiry by hand to see whether
 * the next call set it again.
 */
@QuarkusTest
class WindowExpiryTest {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final long SHORTENED = 5_000;

    @Inject
    WindowStore store;

    @Inject
    WindowConfig config;

    @Inject
    Redis redis;

    @Test
    void aSlidingCountSetsTheExpiryOnANewKeyAndRefreshesItOncePerPeriod() {
        String key = "test:{e:" + UUID.randomUUID() + "}:count";
        Instant start = periodStart();

        count(key, "a", start);
        assertThat(expiryOf(key)).isBetween(ttl() - 60_000, ttl());

        shorten(key);
        count(key, "b", start.plusSeconds(30));
        assertThat(expiryOf(key)).as("same period: left alone").isBetween(1L, SHORTENED);

        count(key, "c", start.plusMillis(config.expiryRefreshMillis()));
        assertThat(expiryOf(key)).as("new period: refreshed").isGreaterThan(SHORTENED);
    }

    @Test
    void aRollingSampleRefreshesOncePerPeriodAndSetsTheExpiryOnKeysItEmptiedAndStartsAgain() {
        String key = "test:{e:" + UUID.randomUUID() + "}:amounts";
        Instant start = periodStart();

        sample(key, "a", start);
        assertThat(expiryOf(key + ":samples")).isBetween(ttl() - 60_000, ttl());
        assertThat(expiryOf(key + ":totals")).isBetween(ttl() - 60_000, ttl());

        shorten(key + ":samples");
        sample(key, "b", start.plusSeconds(30));
        assertThat(expiryOf(key + ":samples")).as("same period: left alone").isBetween(1L, SHORTENED);

        // past the window and the lateness, still within the period: the samples key is emptied, then starts again
        Instant afterTheWindow = start.plus(WINDOW).plus(config.allowedLateness()).plusSeconds(60);
        assertThat(afterTheWindow.toEpochMilli() - start.toEpochMilli()).isLessThan(config.expiryRefreshMillis());
        sample(key, "c", afterTheWindow);
        assertThat(expiryOf(key + ":samples")).as("started again").isGreaterThan(SHORTENED);

        shorten(key + ":samples");
        shorten(key + ":totals");
        sample(key, "d", start.plusMillis(config.expiryRefreshMillis()));
        assertThat(expiryOf(key + ":samples")).as("new period: refreshed").isGreaterThan(SHORTENED);
        assertThat(expiryOf(key + ":totals")).as("new period: refreshed").isGreaterThan(SHORTENED);
    }

    @Test
    void previousPointsSetTheExpiryOnANewKeyAndRefreshItOncePerPeriod() {
        String key = "test:{e:" + UUID.randomUUID() + "}:places";
        Instant start = periodStart();

        point(key, "a", start);
        assertThat(expiryOf(key)).isBetween(ttl() - 60_000, ttl());

        shorten(key);
        point(key, "b", start.plusSeconds(30));
        assertThat(expiryOf(key)).as("same period: left alone").isBetween(1L, SHORTENED);

        point(key, "c", start.plusMillis(config.expiryRefreshMillis()));
        assertThat(expiryOf(key)).as("new period: refreshed").isGreaterThan(SHORTENED);
    }

    private Instant periodStart() {
        long period = config.expiryRefreshMillis();
        return Instant.ofEpochMilli(Instant.parse("2026-03-01T07:40:00Z").toEpochMilli() / period * period);
    }

    private long ttl() {
        return config.ttlMillis(WINDOW);
    }

    private void count(String key, String eventId, Instant at) {
        store.one(SlidingCount.add(config, key, key + ":alert", eventId, at, WINDOW, 100)).await().atMost(Duration.ofSeconds(10));
    }

    private void sample(String key, String eventId, Instant at) {
        store.one(RollingSample.add(config, key, RollingSample.Extra.NONE, eventId, at, "12.50", WINDOW, 50, List.of()))
                .await().atMost(Duration.ofSeconds(10));
    }

    private void point(String key, String eventId, Instant at) {
        store.one(PreviousPoints.add(config, key, eventId, at, "48.85,2.35", 1, 10, WINDOW)).await().atMost(Duration.ofSeconds(10));
    }

    private void shorten(String key) {
        redis.send(Request.cmd(Command.PEXPIRE).arg(key).arg(SHORTENED)).await().atMost(Duration.ofSeconds(10));
    }

    private long expiryOf(String key) {
        return redis.send(Request.cmd(Command.PTTL).arg(key)).await().atMost(Duration.ofSeconds(10)).toLong();
    }
}
