package io.txwatch.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/** The pipeline to Redis survives the two ways Redis can let it down: scripts gone, and replies that do not come. */
@QuarkusTest
class WindowStoreTest {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    @Inject
    WindowStore store;

    @Inject
    WindowConfig config;

    @Inject
    Redis redis;

    @Test
    void scriptsFlushedFromRedisAreLoadedAgainAndThePipelineIsAnswered() {
        redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await().atMost(Duration.ofSeconds(5));

        List<Response> counts = store.pipeline(slidingCounts(3)).await().atMost(Duration.ofSeconds(15));

        assertThat(counts).extracting(count -> SlidingCount.read(count).count()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aPipelineRedisDoesNotAnswerInTimeFailsInsteadOfWaitingForever() {
        WindowStore impatient = new WindowStore(redis, withReplyTimeout(Duration.ofMillis(300)), new SimpleMeterRegistry());
        List<Request> counts = slidingCounts(2);
        redis.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(2_000).arg("ALL")).await().atMost(Duration.ofSeconds(5));

        assertThatThrownBy(() -> impatient.pipeline(counts).await().atMost(Duration.ofSeconds(5)))
                .hasMessageContaining("Redis did not answer a pipeline of 2 requests within PT0.3S");

        List<Response> afterThePause = store.pipeline(slidingCounts(1)).await().atMost(Duration.ofSeconds(15));
        assertThat(SlidingCount.read(afterThePause.get(0)).count()).isEqualTo(1);
    }

    /** Events of one new entity a second apart, each counted in a one-minute window. */
    private List<Request> slidingCounts(int events) {
        String entity = "test:{e:" + UUID.randomUUID() + "}";
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            requests.add(SlidingCount.add(config, entity + ":count", entity + ":alert", "event-" + i, AT.plusSeconds(i),
                    Duration.ofMinutes(1), 100));
        }
        return requests;
    }

    private WindowConfig withReplyTimeout(Duration replyTimeout) {
        return new WindowConfig() {
            @Override
            public Duration allowedLateness() {
                return config.allowedLateness();
            }

            @Override
            public Duration idleRetention() {
                return config.idleRetention();
            }

            @Override
            public Duration replyTimeout() {
                return replyTimeout;
            }

            @Override
            public String keyPrefix() {
                return config.keyPrefix();
            }
        };
    }
}
