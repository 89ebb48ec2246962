package io.txwatch.anomaly;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Which anomalies to list: every criterion is optional; the cursor continues after the last anomaly of the
 * previous page.
 */
public record AnomalyFilter(
        Set<AnomalyType> types,
        Set<Severity> severities,
        String customerId,
        String sku,
        Double minScore,
        String typology,
        Instant from,
        Instant to,
        Cursor after,
        int limit) {

    /** A position in the newest-first order: the (occurredAt, id) of the last anomaly served. */
    public record Cursor(Instant occurredAt, UUID id) {
    }
}
