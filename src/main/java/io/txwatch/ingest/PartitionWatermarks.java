package io.txwatch.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowScript;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * How far event time has come in each Kafka partition: an event older than its partition's newest by more than the
 * allowed lateness is late. Per partition, because customers are spread over partitions that a lagging consumer reads
 * unevenly; within one the shop's own order holds. Kept in Redis as well as here, so that a partition that moves to
 * another replica, or a replica that restarts, goes on from where the partition was rather than from nothing.
 */
@ApplicationScoped
public class PartitionWatermarks {

    private final Map<Integer, Instant> newestByPartition = new ConcurrentHashMap<>();
    private final WindowConfig windows;
    private final WindowStore store;
    private final String key;

    public PartitionWatermarks(WindowConfig windows, WindowStore store) {
        this.windows = windows;
        this.store = store;
        this.key = windows.shopKey("partition-watermarks");
    }

    /** Reads from Redis the watermarks of those {@code partitions} this replica does not hold yet. */
    public Uni<Void> knowPartitions(List<Integer> partitions) {
        List<Integer> unknown = partitions.stream().filter(partition -> !newestByPartition.containsKey(partition)).toList();
        if (unknown.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Request read = Request.cmd(Command.HMGET).arg(key);
        unknown.forEach(read::arg);
        return store.one(read).invoke(reply -> {
            for (int i = 0; i < unknown.size(); i++) {
                Response newest = reply.get(i);
                if (newest != null) {
                    newestByPartition.merge(unknown.get(i), Instant.ofEpochMilli(newest.toLong()),
                            (known, stored) -> stored.isAfter(known) ? stored : known);
                }
            }
        }).replaceWithVoid();
    }

    public boolean isLate(int partition, Instant occurredAt) {
        Instant newest = newestByPartition.get(partition);
        return newest != null && occurredAt.isBefore(newest.minus(windows.allowedLateness()));
    }

    /** Called once a batch is persisted, so that a batch retried is judged as it was the first time. */
    public Uni<Void> advance(Map<Integer, Instant> newestOfBatch) {
        if (newestOfBatch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        newestOfBatch.forEach((partition, newest) -> newestByPartition.merge(partition, newest,
                (known, seen) -> seen.isAfter(known) ? seen : known));
        List<String> args = new ArrayList<>();
        newestOfBatch.forEach((partition, newest) -> {
            args.add(partition.toString());
            args.add(Long.toString(newest.toEpochMilli()));
        });
        return store.one(WindowScript.PARTITION_WATERMARKS.call(List.of(key), args)).replaceWithVoid();
    }

    /** Partitions this replica no longer reads, or reads anew: their watermark is read from Redis when next needed. */
    void forget(Collection<Integer> partitions) {
        partitions.forEach(newestByPartition::remove);
    }
}
