package io.txwatch.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.txwatch.catalog.CatalogAtStart;
import io.txwatch.detect.DetectionEngine;
import io.txwatch.detect.EventBatch;
import io.txwatch.event.TransactionEvent;
import io.txwatch.metrics.AnomalyMetrics;
import io.txwatch.store.PipelineStore;

/**
 * The path of a batch of valid events: once the catalog is read (at start), drop the ones processed before, score the
 * rest with every detector, persist events and findings together. Running it twice on the same batch stores nothing twice.
 */
@ApplicationScoped
public class IngestPipeline {

    private final PipelineStore store;
    private final DetectionEngine detection;
    private final CatalogAtStart catalogAtStart;
    private final IngestMetrics metrics;
    private final AnomalyMetrics anomalies;
    private final Clock clock;

    public IngestPipeline(PipelineStore store, DetectionEngine detection, CatalogAtStart catalogAtStart, IngestMetrics metrics,
            AnomalyMetrics anomalies, Clock clock) {
        this.store = store;
        this.catalogAtStart = catalogAtStart;
        this.detection = detection;
        this.metrics = metrics;
        this.anomalies = anomalies;
        this.clock = clock;
    }

    /**
     * @param late the ids of events older than their partition's watermark allows: stored, and judged by the detectors
     *        that keep no window, but left out of windows
     * @param newestByPartition the newest event time in each Kafka partition of the poll, duplicates included: it
     *        moves the bucket detectors' watermark
     * @param appendedAtById when each event was appended to Kafka (epoch ms), to time its anomalies from
     */
    public Uni<Void> process(List<TransactionEvent> batch, Set<String> late, Map<Integer, Instant> newestByPartition,
            Map<String, Long> appendedAtById) {
        List<TransactionEvent> distinct = distinctInEventTimeOrder(batch);
        List<String> ids = distinct.stream().map(TransactionEvent::transactionId).toList();
        return catalogAtStart.read().chain(() -> store.alreadyProcessed(ids))
                .chain(processedBefore -> {
                    List<TransactionEvent> fresh = distinct.stream()
                            .filter(event -> !processedBefore.contains(event.transactionId())).toList();
                    metrics.duplicates(batch.size() - fresh.size());
                    return detection.detect(EventBatch.of(fresh, late, newestByPartition))
                            .chain(findings -> store.persist(fresh, findings, Instant.now(clock)))
                            .invoke(raised -> {
                                Instant storedAt = Instant.now(clock);
                                raised.forEach(anomaly -> {
                                    Long appendedAt = appendedAtById.get(anomaly.transactionId);
                                    if (appendedAt != null) {
                                        anomalies.storedAfterAppend(appendedAt, storedAt);
                                    }
                                });
                            })
                            .invoke(() -> metrics.processed(fresh.size()))
                            .replaceWithVoid();
                });
    }

    /** Windows are fed in event-time order; a transaction id repeated within the batch counts once. */
    private static List<TransactionEvent> distinctInEventTimeOrder(List<TransactionEvent> batch) {
        Map<String, TransactionEvent> byId = new LinkedHashMap<>();
        batch.forEach(event -> byId.putIfAbsent(event.transactionId(), event));
        return byId.values().stream().sorted(Comparator.comparing(TransactionEvent::occurredAt)).toList();
    }
}
