package io.txwatch.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.Anomaly;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.detect.Finding;
import io.txwatch.detect.RiskConfig;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEventJson;
import io.txwatch.metrics.AnomalyMetrics;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes what one batch produced, in one database transaction: the processed-id ledger, the raw transactions when
 * kept, and the anomalies not stored before. Each table gets one multi-row {@code INSERT … SELECT FROM unnest(…)}
 * per batch, with the columns bound as arrays: one statement and one plan however many rows, where entity inserts
 * cost a statement per row. Hibernate Reactive maps the same tables for the API's reads, on the same pool.
 */
@ApplicationScoped
public class PipelineStore {

    private static final String ALREADY_PROCESSED =
            "SELECT transaction_id FROM processed_transaction WHERE transaction_id = ANY($1)";

    // two replicas may process the same events while a rebalance moves their partition: the second one adds nothing
    private static final String INSERT_LEDGER = """
            INSERT INTO processed_transaction (transaction_id, occurred_at, processed_at)
            SELECT id, occurred_at, $3 FROM unnest($1::text[], $2::timestamptz[]) AS batch (id, occurred_at)
            ON CONFLICT (transaction_id) DO NOTHING""";

    private static final String INSERT_TRANSACTIONS = """
            INSERT INTO transaction (transaction_id, occurred_at, customer_id, status, amount, currency, channel, event)
            SELECT id, occurred_at, customer_id, status, amount::numeric, currency, channel, event::jsonb
            FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                 AS batch (id, occurred_at, customer_id, status, amount, currency, channel, event)
            ON CONFLICT (transaction_id) DO NOTHING""";

    // a finding stored before is left as it is (the dedup key names the finding), unless this is a later revision of
    // it: an episode that grew; the batch holds each finding once, at its highest revision. A row the statement
    // inserted, rather than updated, has no deleting transaction (xmax 0): the anomaly was raised now
    private static final String INSERT_ANOMALIES = """
            INSERT INTO anomaly (id, dedup_key, type, severity, score, detected_at, updated_at, occurred_at,
                                 transaction_id, customer_id, sku, explanation, evidence, revision, risk_score, typology,
                                 signals)
            SELECT id, dedup_key, type, severity, score, $6, $6, occurred_at, transaction_id, customer_id, sku,
                   explanation, evidence::jsonb, revision, risk_score, typology, signals::jsonb
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::float8[], $7::timestamptz[], $8::text[],
                        $9::text[], $10::text[], $11::text[], $12::text[], $13::int4[], $14::float8[], $15::text[],
                        $16::text[])
                 AS batch (id, dedup_key, type, severity, score, occurred_at, transaction_id, customer_id, sku,
                           explanation, evidence, revision, risk_score, typology, signals)
            ON CONFLICT (dedup_key) DO UPDATE
                SET severity = excluded.severity, score = excluded.score, explanation = excluded.explanation,
                    evidence = excluded.evidence, revision = excluded.revision, updated_at = excluded.updated_at,
                    risk_score = excluded.risk_score, signals = excluded.signals
                WHERE excluded.revision > anomaly.revision
            RETURNING dedup_key, xmax = 0 AS inserted""";

    private final Pool client;
    private final StoreConfig config;
    private final AnomalyMetrics metrics;
    private final RiskConfig risk;

    public PipelineStore(Pool client, StoreConfig config, AnomalyMetrics metrics, RiskConfig risk) {
        this.client = client;
        this.config = config;
        this.metrics = metrics;
        this.risk = risk;
    }

    /** Every count an anomaly may be filed under, a typology's under each type it combines, exported from zero. */
    void exportAnomalyCountsAtZero(@Observes StartupEvent start) {
        for (Severity severity : Severity.values()) {
            for (AnomalyType type : AnomalyType.values()) {
                metrics.expect(type.name(), severity.name());
            }
            risk.typologies().forEach((typology, settings) -> {
                if (settings.enabled()) {
                    settings.weights().keySet().forEach(type -> metrics.expect(type, severity.name(), typology));
                }
            });
        }
    }

    /** The ids among {@code transactionIds} that an earlier delivery already processed. */
    public Uni<Set<String>> alreadyProcessed(List<String> transactionIds) {
        if (transactionIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return client.preparedQuery(ALREADY_PROCESSED).execute(Tuple.of((Object) transactionIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> processed = new HashSet<>();
                    for (Row row : rows) {
                        processed.add(row.getString(0));
                    }
                    return processed;
                });
    }

    /**
     * Stores the batch's events and findings.
     *
     * @return the anomalies raised: stored for the first time (not before, by an earlier delivery or revision)
     */
    public Uni<List<Anomaly>> persist(List<TransactionEvent> events, List<Finding> findings, Instant processedAt) {
        if (events.isEmpty() && findings.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<String, Finding> latest = new LinkedHashMap<>();
        findings.forEach(finding -> latest.merge(finding.dedupKey(), finding,
                (one, other) -> other.revision() > one.revision() ? other : one));
        List<Anomaly> anomalies = latest.values().stream().map(finding -> Anomaly.from(finding, processedAt)).toList();
        return client.withTransaction(connection -> insertLedger(connection, events, processedAt)
                .chain(() -> config.rawTransactions() ? insertTransactions(connection, events) : Uni.createFrom().voidItem())
                .chain(() -> insertAnomalies(connection, anomalies, processedAt)))
                .invoke(raised -> {
                    Instant committedAt = Instant.now();
                    raised.forEach(anomaly -> metrics.raised(anomaly.type.name(), anomaly.severity.name(),
                            anomaly.typology, anomaly.occurredAt, committedAt));
                });
    }

    private static Uni<Void> insertLedger(SqlConnection connection, List<TransactionEvent> events, Instant processedAt) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(INSERT_LEDGER).execute(Tuple.of(
                        column(events, TransactionEvent::transactionId, String[]::new),
                        column(events, event -> utc(event.occurredAt()), OffsetDateTime[]::new),
                        utc(processedAt)))
                .replaceWithVoid();
    }

    private static Uni<Void> insertTransactions(SqlConnection connection, List<TransactionEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(INSERT_TRANSACTIONS).execute(Tuple.tuple(List.of(
                        column(events, TransactionEvent::transactionId, String[]::new),
                        column(events, event -> utc(event.occurredAt()), OffsetDateTime[]::new),
                        column(events, event -> event.customer().id(), String[]::new),
                        column(events, event -> event.status().name(), String[]::new),
                        column(events, event -> event.amount().toPlainString(), String[]::new),
                        column(events, TransactionEvent::currency, String[]::new),
                        column(events, TransactionEvent::channel, String[]::new),
                        column(events, event -> TransactionEventJson.toJson(event).toString(), String[]::new))))
                .replaceWithVoid();
    }

    private static Uni<List<Anomaly>> insertAnomalies(SqlConnection connection, List<Anomaly> anomalies, Instant detectedAt) {
        if (anomalies.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery(INSERT_ANOMALIES).execute(Tuple.tuple(List.of(
                        column(anomalies, anomaly -> anomaly.id, UUID[]::new),
                        column(anomalies, anomaly -> anomaly.dedupKey, String[]::new),
                        column(anomalies, anomaly -> anomaly.type.name(), String[]::new),
                        column(anomalies, anomaly -> anomaly.severity.name(), String[]::new),
                        column(anomalies, anomaly -> anomaly.score, Double[]::new),
                        utc(detectedAt),
                        column(anomalies, anomaly -> utc(anomaly.occurredAt), OffsetDateTime[]::new),
                        column(anomalies, anomaly -> anomaly.transactionId, String[]::new),
                        column(anomalies, anomaly -> anomaly.customerId, String[]::new),
                        column(anomalies, anomaly -> anomaly.sku, String[]::new),
                        column(anomalies, anomaly -> anomaly.explanation, String[]::new),
                        column(anomalies, anomaly -> new JsonObject(anomaly.evidence).encode(), String[]::new),
                        column(anomalies, anomaly -> anomaly.revision, Integer[]::new),
                        column(anomalies, anomaly -> anomaly.riskScore, Double[]::new),
                        column(anomalies, anomaly -> anomaly.typology, String[]::new),
                        column(anomalies, anomaly -> anomaly.signals, String[]::new))))
                .map(rows -> {
                    Set<String> inserted = new HashSet<>();
                    for (Row row : rows) {
                        if (row.getBoolean("inserted")) {
                            inserted.add(row.getString("dedup_key"));
                        }
                    }
                    return anomalies.stream().filter(anomaly -> inserted.contains(anomaly.dedupKey)).toList();
                });
    }

    /** One column of a multi-row insert: each row's value, as the array that {@code unnest} takes apart. */
    private static <R, V> V[] column(List<R> rows, Function<R, V> value, IntFunction<V[]> newArray) {
        return rows.stream().map(value).toArray(newArray);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
