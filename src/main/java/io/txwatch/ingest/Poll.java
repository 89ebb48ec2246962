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
import io.txwatch.ingest.DeadLetterPublisher.DeadLetter;

/**
 * One poll of topic {@code transactions}, read: the valid events, the refused records as dead letters, which valid
 * events are late, how far each partition's event time came, and where each event came from, so that an event found
 * unprocessable later can still be set aside as the record it arrived as.
 */
record Poll(List<TransactionEvent> valid, List<DeadLetter> refused, Set<String> late,
        Map<Integer, Instant> newestByPartition, Map<String, DeadLetter> originById, long[] appendedAtMillis) {

    static Poll read(KafkaRecordBatch<String, byte[]> batch, PartitionWatermarks watermarks, EventTimeGuard eventTime) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        List<TransactionEvent> valid = new ArrayList<>(records.size());
        List<DeadLetter> refused = new ArrayList<>();
        Map<Integer, Instant> newestByPartition = new HashMap<>();
        Map<String, DeadLetter> originById = new HashMap<>();
        Set<String> late = new HashSet<>();
        long[] appendedAt = new long[records.size()];
        int index = 0;
        for (KafkaRecord<String, byte[]> record : records) {
            appendedAt[index++] = record.getTimestamp().toEpochMilli();
            ReadResult result = eventTime.check(TransactionEventJson.read(record.getPayload()), "");
            if (result instanceof Valid ok) {
                TransactionEvent event = ok.event();
                valid.add(event);
                originById.putIfAbsent(event.transactionId(), letter(record, null));
                if (watermarks.isLate(record.getPartition(), event.occurredAt())) {
                    late.add(event.transactionId());
                }
                newestByPartition.merge(record.getPartition(), event.occurredAt(),
                        (known, seen) -> seen.isAfter(known) ? seen : known);
            } else if (result instanceof Invalid invalid) {
                refused.add(letter(record, invalid.reason()));
            }
        }
        return new Poll(valid, refused, late, newestByPartition, originById, appendedAt);
    }

    /** The records of {@code events} as dead letters, each with {@code reason}. */
    List<DeadLetter> lettersFor(List<TransactionEvent> events, String reason) {
        return events.stream().map(event -> originById.get(event.transactionId()).withReason(reason)).toList();
    }

    private static DeadLetter letter(KafkaRecord<String, byte[]> record, String reason) {
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
        return new DeadLetter(record.getKey(), record.getPayload(), reason, record.getTopic(), record.getPartition(), offset);
    }
}
