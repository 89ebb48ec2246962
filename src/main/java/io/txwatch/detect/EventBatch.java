package io.txwatch.detect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.txwatch.event.TransactionEvent;

/**
 * The new events of one Kafka poll, in event-time order, with how far each partition's event time has come.
 *
 * @param events the events on time, for every detector
 * @param lateEvents the events later than the allowed lateness: for detectors that keep no window
 * @param newestByPartition the newest event time seen in each partition of the poll, the watermark's raw material
 */
public record EventBatch(List<TransactionEvent> events, List<TransactionEvent> lateEvents,
        Map<Integer, Instant> newestByPartition) {

    public static EventBatch of(List<TransactionEvent> fresh, Set<String> lateIds, Map<Integer, Instant> newestByPartition) {
        List<TransactionEvent> onTime = fresh.stream().filter(event -> !lateIds.contains(event.transactionId())).toList();
        List<TransactionEvent> late = fresh.stream().filter(event -> lateIds.contains(event.transactionId())).toList();
        return new EventBatch(onTime, late, newestByPartition);
    }

    /** Every new event, late ones included, in event-time order. */
    public List<TransactionEvent> allEvents() {
        if (lateEvents.isEmpty()) {
            return events;
        }
        List<TransactionEvent> all = new ArrayList<>(events);
        all.addAll(lateEvents);
        all.sort(Comparator.comparing(TransactionEvent::occurredAt));
        return all;
    }
}
