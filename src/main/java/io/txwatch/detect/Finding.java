package io.txwatch.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;

/**
 * What a detector reports: a signal about an event or a time bucket, and once it is an alarm (by its own
 * thresholds or as part of a {@link Typology}), the anomaly before it is stored.
 *
 * @param subject what the finding is about, unique within its type (a transaction id, a transaction id and
 *        sku, a time bucket, a transaction id and typology); with the type it identifies the finding, so a
 *        redelivered event cannot store it twice
 * @param score how far past its threshold the observation is; comparable within one type
 * @param strength how surprising the observation is under its baseline, on the common {@link Strength} scale
 * @param alarm whether it passed its detector's own thresholds; one that did not is evidence only, kept only when
 *        it coincides with others in a typology
 * @param explanation one sentence an analyst understands, with the numbers behind it
 * @param evidence baseline, threshold and observed values, for the API and for audits
 * @param revision 0 for a finding that never changes; a finding that grows (an episode of several buckets) is
 *        reported again with a higher revision each time, and the store keeps the highest
 * @param typology the named combination of signals that raised it, or null for a single detector's alarm
 * @param riskScore the strength of the alarm: the signal's own, or the typology's combined risk
 * @param signals every signal seen on the same event, strongest first: what contributed
 */
public record Finding(
        AnomalyType type,
        String subject,
        Severity severity,
        double score,
        double strength,
        boolean alarm,
        Instant occurredAt,
        String transactionId,
        String customerId,
        String sku,
        String explanation,
        Map<String, Object> evidence,
        int revision,
        String typology,
        double riskScore,
        List<Signal> signals) {

    /** A detector's alarm, final once made. */
    public Finding(AnomalyType type, String subject, Severity severity, double score, double strength,
            Instant occurredAt, String transactionId, String customerId, String sku, String explanation,
            Map<String, Object> evidence) {
        this(type, subject, severity, score, strength, true, occurredAt, transactionId, customerId, sku, explanation,
                evidence, 0, null, strength, List.of());
    }

    /** A detector's observation below its own thresholds: evidence for a typology, never an anomaly by itself. */
    public static Finding evidenceOnly(AnomalyType type, String subject, double strength, Instant occurredAt,
            String transactionId, String customerId, String sku, String explanation, Map<String, Object> evidence) {
        return new Finding(type, subject, Severity.LOW, 0, strength, false, occurredAt, transactionId, customerId, sku,
                explanation, evidence, 0, null, strength, List.of());
    }

    /** This finding again as a later revision of itself. */
    public Finding revised(int newRevision) {
        return new Finding(type, subject, severity, score, strength, alarm, occurredAt, transactionId, customerId, sku,
                explanation, evidence, newRevision, typology, riskScore, signals);
    }

    /** This alarm with the signals seen on its event alongside it. */
    public Finding withSignals(List<Signal> contributing) {
        return new Finding(type, subject, severity, score, strength, alarm, occurredAt, transactionId, customerId, sku,
                explanation, evidence, revision, typology, riskScore, List.copyOf(contributing));
    }

    public Signal signal() {
        return new Signal(type, strength, alarm, explanation, evidence);
    }

    public String dedupKey() {
        return type.name() + ":" + subject;
    }
}
