package io.txwatch.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.txwatch.window.WindowConfig;

/**
 * How far event time has come in each Kafka partition this replica consumes: an event older than its partition's
 * newest by more than the allowed lateness is late. Per partition, because customers are spread over partitions
 * that a lagging consumer reads unevenly; within one the shop's own order holds.
 */
@ApplicationScoped
public class PartitionWatermarks {

    private final Map<Integer, Instant> newestByPartition = new ConcurrentHashMap<>();
    private final WindowConfig windows;

    public PartitionWatermarks(WindowConfig windows) {
        this.windows = windows;
    }

    public boolean isLate(int partition, Instant occurredAt) {
        Instant newest = newestByPartition.get(partition);
        return newest != null && occurredAt.isBefore(newest.minus(windows.allowedLateness()));
    }

    /** Called once a batch is persisted, so that a batch retried is judged as it was the first time. */
    public void advance(Map<Integer, Instant> newestOfBatch) {
        newestOfBatch.forEach((partition, newest) -> newestByPartition.merge(partition, newest,
                (known, seen) -> seen.isAfter(known) ? seen : known));
    }
}
