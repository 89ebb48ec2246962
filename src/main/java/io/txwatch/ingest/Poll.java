package io.txwatch.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEventJson;
import io.txwatch.event.TransactionEventJson.Invalid;
import io.txwatch.event.TransactionEventJson.ReadResult;
import io.txwatch.event.TransactionEventJson.Valid;
import io.txwatch.ingest.DeadLetterPublisher.Cause;
import io.txwatch.ingest.DeadLetterPublisher.DeadLetter;

/**
 * One poll of topic {@code transactions}, read: the valid events, the refused records as dead letters, which valid
 * events are late, how far each partition's event time came, and where and when each event came from, so that an
 * event found unprocessable later can still be set aside as the record it arrived as, and its anomalies timed from its
 * append.
 */
record Poll(List<TransactionEvent> valid, List<DeadLetter> refused, Set<String> late,
        Map<Integer, Instant> newestByPartition, Map<String, DeadLetter> originById, long[] appendedAtMillis,
        Map<String, Long> appendedAtById) {

    static Poll read(KafkaRecordBatch<String, byte[]> batch, PartitionWatermarks watermarks, EventTimeGuard eventTime) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        List<TransactionEvent> valid = new ArrayList<>(records.size());
        List<DeadLetter> refused = new ArrayList<>();
        Map<Integer, Instant> newestByPartition = new HashMap<>();
        Map<String, DeadLetter> originById = new HashMap<>();
        Set<String> late = new HashSet<>();
        long[] appendedAt = new long[records.size()];
        Map<String, Long> appendedAtById = new HashMap<>();
        int index = 0;
        for (KafkaRecord<String, byte[]> record : records) {
            appendedAt[index++] = record.getTimestamp().toEpochMilli();
            ReadResult result = eventTime.check(TransactionEventJson.read(record.getPayload()), "");
            if (result instanceof Valid ok) {
                TransactionEvent event = ok.event();
                valid.add(event);
                originById.putIfAbsent(event.transactionId(), letter(record, null, null));
                appendedAtById.putIfAbsent(event.transactionId(), appendedAt[index - 1]);
                if (watermarks.isLate(record.getPartition(), event.occurredAt())) {
                    late.add(event.transactionId());
                }
                newestByPartition.merge(record.getPartition(), event.occurredAt(),
                        (known, seen) -> seen.isAfter(known) ? seen : known);
            } else if (result instanceof Invalid invalid) {
                refused.add(letter(record, causeOf(invalid), invalid.reason()));
            }
        }
        return new Poll(valid, refused, late, newestByPartition, originById, appendedAt, appendedAtById);
    }

    /** The records of valid {@code events} that could not be processed, as dead letters, each with {@code reason}. */
    List<DeadLetter> lettersFor(List<TransactionEvent> events, String reason) {
        return events.stream().map(event -> originById.get(event.transactionId()).withReason(Cause.UNPROCESSABLE, reason))
                .toList();
    }

    /** Malformed when nothing could be read: the fault is the whole record's ({@code $}), not a field's. */
    private static Cause causeOf(Invalid invalid) {
        return invalid.violations().stream().anyMatch(violation -> "$".equals(violation.field())) ? Cause.MALFORMED
                : Cause.INVALID;
    }

    private static DeadLetter letter(KafkaRecord<String, byte[]> record, Cause cause, String reason) {
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
        return new DeadLetter(record.getKey(), record.getPayload(), cause, reason, record.getTopic(), record.getPartition(),
                offset);
    }
}
