package io.txwatch.anomaly;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.smallrye.mutiny.Uni;

/** Reads anomalies, newest first, with keyset pagination on (occurredAt, id). */
@ApplicationScoped
public class AnomalyRepository implements PanacheRepositoryBase<Anomaly, UUID> {

    /** Fetches one anomaly more than the page holds, which tells whether a next page exists. */
    public Uni<List<Anomaly>> list(AnomalyFilter filter) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>();
        if (!filter.types().isEmpty()) {
            conditions.add("type in :types");
            parameters.put("types", filter.types());
        }
        if (!filter.severities().isEmpty()) {
            conditions.add("severity in :severities");
            parameters.put("severities", filter.severities());
        }
        if (filter.customerId() != null) {
            conditions.add("customerId = :customerId");
            parameters.put("customerId", filter.customerId());
        }
        if (filter.sku() != null) {
            conditions.add("sku = :sku");
            parameters.put("sku", filter.sku());
        }
        if (filter.minScore() != null) {
            conditions.add("riskScore >= :minScore");
            parameters.put("minScore", filter.minScore());
        }
        if (filter.typology() != null) {
            conditions.add("typology = :typology");
            parameters.put("typology", filter.typology());
        }
        if (filter.from() != null) {
            conditions.add("occurredAt >= :from");
            parameters.put("from", filter.from());
        }
        if (filter.to() != null) {
            conditions.add("occurredAt < :to");
            parameters.put("to", filter.to());
        }
        if (filter.after() != null) {
            conditions.add("(occurredAt < :afterTime or (occurredAt = :afterTime and id < :afterId))");
            parameters.put("afterTime", filter.after().occurredAt());
            parameters.put("afterId", filter.after().id());
        }
        String where = conditions.isEmpty() ? "" : "where " + String.join(" and ", conditions) + " ";
        return find(where + "order by occurredAt desc, id desc", parameters)
                .page(Page.ofSize(filter.limit() + 1))
                .list();
    }
}
