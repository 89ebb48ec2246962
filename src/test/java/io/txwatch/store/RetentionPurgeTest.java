package io.txwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Retention on the real PostgreSQL. The purge's clock stands in 2001, and its rows were stored in 2001, so that it
 * can delete none of the rows other tests write.
 */
@QuarkusTest
class RetentionPurgeTest {

    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final Instant NOW = Instant.parse("2001-06-01T00:00:00Z");
    /** Far older than every retention: rows are kept or deleted by when they were stored, never by this. */
    private static final Instant EVENT_TIME = Instant.parse("1990-01-01T00:00:00Z");

    @Inject
    Pool client;

    @Inject
    MeterRegistry registry;

    private RetentionPurge purge(Map<String, String> settings) {
        StoreConfig config = new SmallRyeConfigBuilder().withMapping(StoreConfig.class)
                .withSources(new MapBackedConfigSource("test", settings) {
                }).build().getConfigMapping(StoreConfig.class);
        return new RetentionPurge(client, config, Clock.fixed(NOW, ZoneOffset.UTC), registry);
    }

    @Test
    void rowsPastTheirRetentionGoAndYoungerOnesStay() {
        String prefix = "retention-" + UUID.randomUUID() + "-";
        ledger(prefix + "old", NOW.minus(Duration.ofDays(15)));
        ledger(prefix + "young", NOW.minus(Duration.ofDays(13)));
        transaction(prefix + "old", NOW.minus(Duration.ofDays(31)));
        transaction(prefix + "young", NOW.minus(Duration.ofDays(29)));
        anomaly(prefix + "old", NOW.minus(Duration.ofDays(366)));
        anomaly(prefix + "young", NOW.minus(Duration.ofDays(364)));
        double deletedBefore = deletedCount("processed_transaction");

        long deleted = purge(Map.of()).purge().await().atMost(AWAIT);

        assertThat(deleted).isEqualTo(3);
        assertThat(ids("processed_transaction", "transaction_id", prefix)).containsExactly(prefix + "young");
        assertThat(ids("transaction", "transaction_id", prefix)).containsExactly(prefix + "young");
        assertThat(ids("anomaly", "transaction_id", prefix)).containsExactly(prefix + "young");
        assertThat(deletedCount("processed_transaction")).isEqualTo(deletedBefore + 1);
    }

    @Test
    void oneRunDeletesAtMostItsBatchesAndTheNextRunGoesOn() {
        String prefix = "retention-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 5; i++) {
            ledger(prefix + i, NOW.minus(Duration.ofDays(20)));
        }
        RetentionPurge purge = purge(Map.of("txwatch.store.retention.batch-size", "2",
                "txwatch.store.retention.batches-per-run", "2"));

        assertThat(purge.purge().await().atMost(AWAIT)).isEqualTo(4);
        assertThat(ids("processed_transaction", "transaction_id", prefix)).hasSize(1);
        assertThat(purge.purge().await().atMost(AWAIT)).isEqualTo(1);
        assertThat(ids("processed_transaction", "transaction_id", prefix)).isEmpty();
    }

    private void ledger(String id, Instant processedAt) {
        execute("INSERT INTO processed_transaction (transaction_id, occurred_at, processed_at) VALUES ($1, $2, $2)",
                Tuple.of(id, processedAt.atOffset(ZoneOffset.UTC)));
    }

    /** A raw transaction stored at {@code storedAt}, of an event that occurred long before: only storage time counts. */
    private void transaction(String id, Instant storedAt) {
        execute("INSERT INTO transaction (transaction_id, occurred_at, customer_id, status, amount, currency, channel, event, stored_at) "
                + "VALUES ($1, $2, 'c', 'SUCCEEDED', 1, 'INR', 'web', '{}', $3)",
                Tuple.of(id, EVENT_TIME.atOffset(ZoneOffset.UTC), storedAt.atOffset(ZoneOffset.UTC)));
    }

    private void anomaly(String transactionId, Instant detectedAt) {
        execute("INSERT INTO anomaly (id, dedup_key, type, severity, score, detected_at, updated_at, occurred_at, transaction_id, "
                + "explanation, evidence) VALUES ($1, $2, 'VELOCITY', 'HIGH', 0.9, $3, $3, $4, $2, 'x', '{}')",
                Tuple.of(UUID.randomUUID(), transactionId, detectedAt.atOffset(ZoneOffset.UTC), EVENT_TIME.atOffset(ZoneOffset.UTC)));
    }

    private void execute(String sql, Tuple arguments) {
        client.preparedQuery(sql).execute(arguments).await().atMost(AWAIT);
    }

    private List<String> ids(String table, String column, String prefix) {
        return client.preparedQuery("SELECT " + column + " FROM " + table + " WHERE " + column + " LIKE $1 ORDER BY 1")
                .execute(Tuple.of(prefix + "%")).await().atMost(AWAIT)
                .stream().map(row -> row.getString(0)).toList();
    }

    private double deletedCount(String table) {
        return registry.get("txwatch.retention.deleted").tag("table", table).counter().count();
    }
}
