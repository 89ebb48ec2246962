package io.txwatch.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends refused events to topic {@code transactions.dlq}: the original bytes and key, untouched, with the
 * reason and the event's origin in headers, so that nothing is lost and the sender can be told what to fix.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    static final String REASON_HEADER = "dead-letter-reason";
    static final String CAUSE_HEADER = "dead-letter-cause";
    static final String TOPIC_HEADER = "dead-letter-topic";
    static final String PARTITION_HEADER = "dead-letter-partition";
    static final String OFFSET_HEADER = "dead-letter-offset";

    /** Why a record was refused, in a word: a few classes, for metrics and for whoever reads the topic. */
    public enum Cause {
        /** not a JSON object: nothing could be read from it */
        MALFORMED,
        /** read, but with fields missing or out of range */
        INVALID,
        /** valid, but its work failed however often it was tried */
        UNPROCESSABLE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A refused record and where it came from. */
    public record DeadLetter(String key, byte[] value, Cause cause, String reason, String topic, int partition, long offset) {

        DeadLetter withReason(Cause newCause, String newReason) {
            return new DeadLetter(key, value, newCause, newReason, topic, partition, offset);
        }

        /** The letter without the record's bytes, which stay readable at its topic, partition and offset. */
        DeadLetter withoutValue(String why) {
            return new DeadLetter(key, null, cause, reason + "; the record is not copied here (" + why + ")", topic,
                    partition, offset);
        }
    }

    private final MutinyEmitter<byte[]> deadLetters;

    public DeadLetterPublisher(
            @Channel("transactions-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Completes once Kafka has acknowledged every dead letter. */
    public Uni<Void> publish(List<DeadLetter> letters) {
        return Uni.join().all(letters.stream().map(this::publish).toList()).andFailFast().replaceWithVoid();
    }

    /** Completes once Kafka has acknowledged the dead letter. */
    public Uni<Void> publish(DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, letter.reason().getBytes(StandardCharsets.UTF_8));
        headers.add(CAUSE_HEADER, letter.cause().label().getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC_HEADER, letter.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(PARTITION_HEADER, Integer.toString(letter.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(OFFSET_HEADER, Long.toString(letter.offset()).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String> builder()
                .withKey(letter.key())
                .withHeaders(headers)
                .build();
        byte[] value = letter.value() == null ? new byte[0] : letter.value();
        return deadLetters.sendMessage(Message.of(value).addMetadata(metadata));
    }
}
