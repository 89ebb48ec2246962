package io.txwatch.detect;

import java.time.Instant;
import java.util.Map;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;

/**
 * What a detector reports: the anomaly before it is stored.
 *
 * @param subject what the finding is about, unique within its type (a transaction id, a transaction id and
 *        sku, a time bucket); with the type it identifies the finding, so a redelivered event cannot store it
 *        twice
 * @param score how far past its threshold the observation is; comparable within one type
 * @param explanation one sentence an analyst understands, with the numbers behind it
 * @param evidence baseline, threshold and observed values, for the API and for audits
 * @param revision 0 for a finding that never changes; a finding that grows (an episode of several buckets) is
 *        reported again with a higher revision each time, and the store keeps the highest
 */
public record Finding(
        AnomalyType type,
        String subject,
        Severity severity,
        double score,
        Instant occurredAt,
        String transactionId,
        String customerId,
        String sku,
        String explanation,
        Map<String, Object> evidence,
        int revision) {

    /** A finding that never changes once made. */
    public Finding(AnomalyType type, String subject, Severity severity, double score, Instant occurredAt,
            String transactionId, String customerId, String sku, String explanation, Map<String, Object> evidence) {
        this(type, subject, severity, score, occurredAt, transactionId, customerId, sku, explanation, evidence, 0);
    }

    public String dedupKey() {
        return type.name() + ":" + subject;
    }
}
