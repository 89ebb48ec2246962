package io.txwatch.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
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
 * Consumes topic {@code transactions} a poll at a time. Invalid records go to the dead-letter topic, valid
 * ones through the {@link IngestPipeline}; the batch is acknowledged, and its offsets become committable,
 * only when both are done. A database or Redis outage therefore pauses consumption instead of losing events.
 */
@ApplicationScoped
public class TransactionConsumer {

    private static final Logger LOG = Logger.getLogger(TransactionConsumer.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

    private final IngestPipeline pipeline;
    private final DeadLetterPublisher deadLetters;
    private final IngestMetrics metrics;
    private final PartitionWatermarks watermarks;

    public TransactionConsumer(IngestPipeline pipeline, DeadLetterPublisher deadLetters, IngestMetrics metrics,
            PartitionWatermarks watermarks) {
        this.watermarks = watermarks;
        this.pipeline = pipeline;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Incoming("transactions")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        Timer.Sample timing = metrics.startBatch();
        List<TransactionEvent> valid = new ArrayList<>();
        List<DeadLetter> refused = new ArrayList<>();
        Map<Integer, Instant> newestByPartition = new HashMap<>();
        Set<String> late = new HashSet<>();
        long[] appendedAt = new long[batch.getRecords().size()];
        int index = 0;
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            appendedAt[index++] = record.getTimestamp().toEpochMilli();
            ReadResult result = TransactionEventJson.read(record.getPayload());
            if (result instanceof Valid ok) {
                valid.add(ok.event());
                if (watermarks.isLate(record.getPartition(), ok.event().occurredAt())) {
                    late.add(ok.event().transactionId());
                }
                newestByPartition.merge(record.getPartition(), ok.event().occurredAt(),
                        (known, seen) -> seen.isAfter(known) ? seen : known);
            } else if (result instanceof Invalid invalid) {
                refused.add(new DeadLetter(record.getKey(), record.getPayload(), invalid.reason(),
                        record.getTopic(), record.getPartition(), offsetOf(record)));
            }
        }
        metrics.invalidFromKafka(refused.size());
        return deadLetters.publish(refused)
                .onFailure().invoke(failure -> LOG.warnf("Dead-letter publication failed, retrying: %s", failure.getMessage()))
                .onFailure().retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).indefinitely()
                .chain(() -> pipeline.process(valid, late, newestByPartition)
                        .onFailure().invoke(failure -> LOG.warnf("Batch of %d events not persisted, retrying: %s",
                                valid.size(), failure.getMessage()))
                        .onFailure().retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).indefinitely())
                .invoke(() -> watermarks.advance(newestByPartition))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                .invoke(() -> metrics.batchDone(timing, appendedAt));
    }

    private static long offsetOf(KafkaRecord<String, byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }
}
