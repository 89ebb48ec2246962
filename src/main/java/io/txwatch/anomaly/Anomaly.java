package io.txwatch.anomaly;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.txwatch.detect.Finding;

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
        return anomaly;
    }
}
