package io.txwatch.detect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.txwatch.event.TransactionEvent;

/**
 * The new events of one Kafka poll, in event-time order, with how far each partition's event time has come.
 *
 * @param token the same for the same events, so that a batch scored again after a failed write is recognised
 * @param events the events on time, for every detector
 * @param lateEvents the events later than the allowed lateness: for detectors that keep no window
 * @param newestByPartition the newest event time seen in each partition of the poll, the watermark's raw material
 */
public record EventBatch(String token, List<TransactionEvent> events, List<TransactionEvent> lateEvents,
        Map<Integer, Instant> newestByPartition) {

    public static EventBatch of(List<TransactionEvent> fresh, Set<String> lateIds, Map<Integer, Instant> newestByPartition) {
        List<TransactionEvent> onTime = fresh.stream().filter(event -> !lateIds.contains(event.transactionId())).toList();
        List<TransactionEvent> late = fresh.stream().filter(event -> lateIds.contains(event.transactionId())).toList();
        return new EventBatch(digest(fresh), onTime, late, newestByPartition);
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

    private static String digest(List<TransactionEvent> events) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            events.stream().map(TransactionEvent::transactionId).sorted().forEach(id -> {
                sha.update(id.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
