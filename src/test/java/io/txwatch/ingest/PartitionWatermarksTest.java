package io.txwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.txwatch.window.WindowConfig;

class PartitionWatermarksTest {

    private final PartitionWatermarks watermarks = new PartitionWatermarks(new SmallRyeConfigBuilder()
            .withMapping(WindowConfig.class).build().getConfigMapping(WindowConfig.class));

    @Test
    void anEventIsLateOnlyWhenItsOwnPartitionHasMovedOnByMoreThanTheAllowedLateness() {
        watermarks.advance(Map.of(0, Instant.parse("2026-09-16T10:30:00Z"), 1, Instant.parse("2026-09-16T10:00:00Z")));

        assertThat(watermarks.isLate(0, Instant.parse("2026-09-16T10:19:59Z"))).isTrue();
        assertThat(watermarks.isLate(0, Instant.parse("2026-09-16T10:20:00Z"))).isFalse();
        assertThat(watermarks.isLate(1, Instant.parse("2026-09-16T09:55:00Z"))).as("another partition's pace").isFalse();
        assertThat(watermarks.isLate(2, Instant.parse("2020-01-01T00:00:00Z"))).as("a partition not seen yet").isFalse();
    }

    @Test
    void aWatermarkNeverMovesBack() {
        watermarks.advance(Map.of(0, Instant.parse("2026-09-16T10:30:00Z")));
        watermarks.advance(Map.of(0, Instant.parse("2026-09-16T09:00:00Z")));

        assertThat(watermarks.isLate(0, Instant.parse("2026-09-16T10:15:00Z"))).isTrue();
    }
}
