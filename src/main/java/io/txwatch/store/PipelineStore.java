package io.txwatch.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.Anomaly;
import io.txwatch.detect.Finding;
import io.txwatch.event.TransactionEvent;

/**
 * Writes what one batch produced, in one database transaction with batched INSERTs: the processed-id ledger,
 * the raw transactions when kept, and the anomalies not stored before.
 */
@ApplicationScoped
public class PipelineStore {

    private final Mutiny.SessionFactory sessions;
    private final StoreConfig config;

    public PipelineStore(Mutiny.SessionFactory sessions, StoreConfig config) {
        this.sessions = sessions;
        this.config = config;
    }

    /** The ids among {@code transactionIds} that an earlier delivery already processed. */
    public Uni<Set<String>> alreadyProcessed(List<String> transactionIds) {
        if (transactionIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return sessions.withStatelessSession(session -> session
                .createSelectionQuery("select p.transactionId from ProcessedTransaction p where p.transactionId in :ids",
                        String.class)
                .setParameter("ids", transactionIds)
                .getResultList())
                .map(HashSet::new);
    }

    public Uni<Void> persist(List<TransactionEvent> events, List<Finding> findings, Instant processedAt) {
        if (events.isEmpty() && findings.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Object> rows = new ArrayList<>();
        for (TransactionEvent event : events) {
            rows.add(ProcessedTransaction.of(event.transactionId(), event.occurredAt(), processedAt));
            if (config.rawTransactions()) {
                rows.add(StoredTransaction.of(event));
            }
        }
        List<Anomaly> anomalies = findings.stream().map(finding -> Anomaly.from(finding, processedAt)).toList();
        return sessions.withStatelessTransaction(session -> newAnomalies(session, anomalies)
                .chain(fresh -> {
                    rows.addAll(fresh);
                    return session.insertAll(config.batchSize(), rows.toArray());
                }));
    }

    private static Uni<List<Anomaly>> newAnomalies(Mutiny.StatelessSession session, List<Anomaly> anomalies) {
        if (anomalies.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> keys = anomalies.stream().map(anomaly -> anomaly.dedupKey).toList();
        return session.createSelectionQuery("select a.dedupKey from Anomaly a where a.dedupKey in :keys", String.class)
                .setParameter("keys", keys)
                .getResultList()
                .map(stored -> {
                    // add() is false for a key stored before and for one seen earlier in this batch
                    Set<String> known = new HashSet<>(stored);
                    return anomalies.stream().filter(anomaly -> known.add(anomaly.dedupKey)).toList();
                });
    }
}
