package io.txwatch.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes what is older than its retention (the ledger, raw transactions, anomalies), off the consumption path: a
 * timer, small batches each in a transaction of its own, each taken by one replica at a time (a PostgreSQL advisory
 * lock, tried once per statement: a replica that finds it taken deletes nothing and leaves the table to the other), so
 * that tables stay bounded without a long lock or a burst of work while events flow. Created at start, so that its
 * counts are exported from zero.
 */
@Startup
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    /** The advisory lock's key: any number the database does not use for something else. */
    private static final long PURGE_LOCK = 0x7478_7761_7463_6801L;

    /** A table, the column its age is read from, and its key. */
    record Table(String name, String timeColumn, String keyColumn) {

        String deleteSql() {
            return "DELETE FROM " + name + " WHERE " + keyColumn + " IN (SELECT " + keyColumn + " FROM " + name
                    + " WHERE " + timeColumn + " < $1 LIMIT $2) AND (SELECT pg_try_advisory_xact_lock(" + PURGE_LOCK + "))";
        }
    }

    /** A table and the age past which its rows go. */
    private record Due(Table table, Duration age) {
    }

    static final Table LEDGER = new Table("processed_transaction", "processed_at", "transaction_id");
    static final Table TRANSACTIONS = new Table("transaction", "stored_at", "transaction_id");
    static final Table ANOMALIES = new Table("anomaly", "detected_at", "id");

    private final Pool client;
    private final StoreConfig.Retention retention;
    private final Clock clock;
    private final List<Due> dues;
    private final Map<Table, Counter> deleted = new HashMap<>();

    public RetentionPurge(Pool client, StoreConfig config, Clock clock, MeterRegistry registry) {
        this.client = client;
        this.retention = config.retention();
        this.clock = clock;
        this.dues = List.of(new Due(LEDGER, retention.ledger()), new Due(TRANSACTIONS, retention.transactions()),
                new Due(ANOMALIES, retention.anomalies()));
        dues.forEach(due -> deleted.put(due.table(), Counter.builder("txwatch.retention.deleted")
                .description("Rows deleted because they were older than their retention")
                .tag("table", due.table().name()).register(registry)));
    }

    @Scheduled(every = "${txwatch.store.retention.every}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purgeOnTimer() {
        return purge().onFailure().invoke(failure -> LOG.warnf("Retention purge failed, will try again: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes, table by table, what is past its retention, up to the per-run bound; the rows deleted. */
    public Uni<Long> purge() {
        Instant now = clock.instant();
        return Multi.createFrom().iterable(dues)
                .onItem().transformToUniAndConcatenate(due -> purge(due.table(), now.minus(due.age()), 0))
                .collect().asList()
                .map(counts -> counts.stream().mapToLong(Long::longValue).sum());
    }

    private Uni<Long> purge(Table table, Instant olderThan, int batchesDone) {
        return client.preparedQuery(table.deleteSql())
                .execute(Tuple.of(olderThan.atOffset(ZoneOffset.UTC), retention.batchSize()))
                .map(rows -> (long) rows.rowCount())
                .invoke(rows -> deleted.get(table).increment(rows))
                .chain(rows -> rows == retention.batchSize() && batchesDone + 1 < retention.batchesPerRun()
                        ? purge(table, olderThan, batchesDone + 1).map(more -> rows + more)
                        : Uni.createFrom().item(rows));
    }
}
