package io.txwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

/** Lateness watermarks, kept on the real Redis under a key prefix of each test's own. */
@QuarkusTest
class PartitionWatermarksTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @Inject
    WindowStore store;

    private final WindowConfig windows = new SmallRyeConfigBuilder().withMapping(WindowConfig.class)
            .withDefaultValue("txwatch.windows.key-prefix", "test-" + UUID.randomUUID())
            .build().getConfigMapping(WindowConfig.class);

    private PartitionWatermarks replica() {
        return new PartitionWatermarks(windows, store);
    }

    @Test
    void anEventIsLateOnlyWhenItsOwnPartitionHasMovedOnByMoreThanTheAllowedLateness() {
        PartitionWatermarks watermarks = replica();
        watermarks.advance(Map.of(0, Instant.parse("2026-09-16T10:30:00Z"), 1, Instant.parse("2026-09-16T10:00:00Z")))
                .await().atMost(AWAIT);

        assertThat(watermarks.isLate(0, Instant.parse("2026-09-16T10:19:59Z"))).isTrue();
        assertThat(watermarks.isLate(0, Instant.parse("2026-09-16T10:20:00Z"))).isFalse();
        assertThat(watermarks.isLate(1, Instant.parse("2026-09-16T09:55:00Z"))).as("another partition's pace").isFalse();
        assertThat(watermarks.isLate(2, Instant.parse("2020-01-01T00:00:00Z"))).as("a partition not seen yet").isFalse();
    }

    @Test
    void aWatermarkNeverMovesBack() {
        PartitionWatermarks watermarks = replica();
        watermarks.advance(Map.of(0, Instant.parse("2026-09-16T10:30:00Z"))).await().atMost(AWAIT);
        watermarks.advance(Map.of(0, Instant.parse("2026-09-16T09:00:00Z"))).await().atMost(AWAIT);

        assertThat(watermarks.isLate(0, Instant.parse("2026-09-16T10:15:00Z"))).isTrue();
    }

    @Test
    void aPartitionMovedToAnotherReplicaKeepsItsWatermark() {
        PartitionWatermarks first = replica();
        first.advance(Map.of(3, Instant.parse("2026-09-16T10:30:00Z"))).await().atMost(AWAIT);
        PartitionWatermarks second = replica();
        assertThat(second.isLate(3, Instant.parse("2026-09-16T10:00:00Z"))).as("before the partition is known").isFalse();

        second.knowPartitions(List.of(3, 4)).await().atMost(AWAIT);

        assertThat(second.isLate(3, Instant.parse("2026-09-16T10:00:00Z"))).isTrue();
        assertThat(second.isLate(4, Instant.parse("2020-01-01T00:00:00Z"))).as("a partition no replica held").isFalse();
    }

    @Test
    void aPartitionGivenBackIsReadAgainFromWhereItsLastHolderLeftIt() {
        PartitionWatermarks first = replica();
        PartitionWatermarks second = replica();
        first.advance(Map.of(5, Instant.parse("2026-09-16T10:00:00Z"))).await().atMost(AWAIT);
        second.knowPartitions(List.of(5)).await().atMost(AWAIT);
        second.advance(Map.of(5, Instant.parse("2026-09-16T12:00:00Z"))).await().atMost(AWAIT);

        first.forget(List.of(5));
        first.knowPartitions(List.of(5)).await().atMost(AWAIT);

        assertThat(first.isLate(5, Instant.parse("2026-09-16T11:00:00Z"))).isTrue();
    }
}
