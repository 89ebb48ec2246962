package io.txwatch.anomaly;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.txwatch.detect.Finding;
import io.txwatch.detect.Signal;
import io.vertx.core.json.JsonArray;

/**
 * Something a detector found, as stored and served: what kind, how severe, when, about whom, one sentence an
 * analyst can act on, and the numbers behind it.
 */
@Entity
@Table(name = "anomaly")
public class Anomaly extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Identifies the finding itself, so that a redelivered event cannot store it twice. */
    @Column(name = "dedup_key", nullable = false, unique = true, updatable = false)
    public String dedupKey;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AnomalyType type;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Severity severity;

    /** How far past its threshold the observation is; comparable within one type. */
    @Column(nullable = false)
    public double score;

    @Column(name = "detected_at", nullable = false)
    public Instant detectedAt;

    /** When it last changed: an episode is updated while it lasts. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** How often it changed since detected; a replayed older judgement never overwrites a newer one. */
    @Column(nullable = false)
    public int revision;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "transaction_id")
    public String transactionId;

    @Column(name = "customer_id")
    public String customerId;

    public String sku;

    @Column(nullable = false)
    public String explanation;

    /** Baseline, threshold and observed values that justify the finding. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> evidence;

    /** The alarm's strength in [0, 1]: its detector's signal, or its typology's combined risk. */
    @Column(name = "risk_score", nullable = false)
    public double riskScore;

    /** The named combination of signals that raised it; null for a single detector's alarm. */
    public String typology;

    /**
     * Every signal seen on the same event, strongest first: kind, strength, alarm, explanation, evidence; a JSON array,
     * carried as text since Hibernate Reactive binds JSON columns as objects only.
     */
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "signals::text", write = "cast(cast(? as text) as jsonb)")
    public String signals = "[]";

    /** The id is derived from the dedup key, so that the same finding always has the same id. */
    public static Anomaly from(Finding finding, Instant detectedAt) {
        Anomaly anomaly = new Anomaly();
        anomaly.dedupKey = finding.dedupKey();
        anomaly.id = UUID.nameUUIDFromBytes(anomaly.dedupKey.getBytes(StandardCharsets.UTF_8));
        anomaly.type = finding.type();
        anomaly.severity = finding.severity();
        anomaly.score = finding.score();
        anomaly.detectedAt = detectedAt;
        anomaly.updatedAt = detectedAt;
        anomaly.revision = finding.revision();
        anomaly.occurredAt = finding.occurredAt();
        anomaly.transactionId = finding.transactionId();
        anomaly.customerId = finding.customerId();
        anomaly.sku = finding.sku();
        anomaly.explanation = finding.explanation();
        anomaly.evidence = finding.evidence();
        anomaly.riskScore = finding.riskScore();
        anomaly.typology = finding.typology();
        anomaly.signals = new JsonArray(finding.signals().stream().map(Anomaly::signal).toList()).encode();
        return anomaly;
    }

    /** The signals, decoded. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> signalList() {
        return (List<Map<String, Object>>) (List<?>) new JsonArray(signals).getList();
    }

    private static Map<String, Object> signal(Signal signal) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", signal.kind().name());
        fields.put("strength", signal.strength());
        fields.put("alarm", signal.alarm());
        fields.put("explanation", signal.explanation());
        fields.put("evidence", signal.evidence());
        return fields;
    }
}
