package io.txwatch.anomaly;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An anomaly as the API serves it. */
@Schema(description = "An anomaly found by a detector")
public record AnomalyView(
        UUID id,
        AnomalyType type,
        Severity severity,
        @Schema(description = "How far past its threshold the observation is; comparable within one type") double score,
        @Schema(description = "Event time of what was observed") Instant occurredAt,
        Instant detectedAt,
        @Schema(description = "When it last changed: an episode of abnormal sales is updated while it lasts") Instant updatedAt,
        String transactionId,
        String customerId,
        String sku,
        @Schema(description = "One sentence, with the numbers behind it") String explanation,
        @Schema(description = "Baseline, threshold and observed values") Map<String, Object> evidence,
        @Schema(description = "The alarm's strength in [0, 1]: its detector's signal, or its typology's combined risk") double riskScore,
        @Schema(description = "The named combination of signals that raised it; absent for a single detector's alarm") String typology,
        @Schema(description = "Every signal seen on the same event, strongest first: kind, strength, alarm, explanation, evidence") List<Map<String, Object>> signals) {

    static AnomalyView of(Anomaly anomaly) {
        return new AnomalyView(anomaly.id, anomaly.type, anomaly.severity, anomaly.score, anomaly.occurredAt,
                anomaly.detectedAt, anomaly.updatedAt, anomaly.transactionId, anomaly.customerId, anomaly.sku, anomaly.explanation,
                anomaly.evidence, anomaly.riskScore, anomaly.typology, anomaly.signalList());
    }
}
