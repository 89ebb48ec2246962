package io.txwatch.detect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.txwatch.event.TransactionEvent;

/**
 * The new events of one Kafka poll, in event-time order, with how far each partition's event time has come.
 *
 * @param token the same for the same events, so that a batch scored again after a failed write is recognised
 * @param newestByPartition the newest event time seen in each partition of the poll, the watermark's raw material
 */
public record EventBatch(String token, List<TransactionEvent> events, Map<Integer, Instant> newestByPartition) {

    public static EventBatch of(List<TransactionEvent> events, Map<Integer, Instant> newestByPartition) {
        return new EventBatch(digest(events), events, newestByPartition);
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
