package io.txwatch.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.txwatch.event.TransactionEventJson;

/**
 * The ceiling: a Kafka consumer that reads the events and parses them with txwatch's own reader, and does nothing
 * else. No pipeline on this machine can go faster than this.
 */
final class BareConsumer {

    /** How many events were read, how many of them were valid, and in how long. */
    record Drained(long events, long valid, double seconds) {

        double eventsPerSecond() {
            return events / seconds;
        }
    }

    private BareConsumer() {
    }

    static Drained drain(String bootstrapServers, String topic, long events) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "benchmark-ceiling",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // the same poll size as txwatch's consumer
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long read = 0;
            long valid = 0;
            long startedAt = 0;
            while (read < events) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (startedAt == 0 && !records.isEmpty()) {
                    startedAt = System.nanoTime();
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    read++;
                    if (TransactionEventJson.read(record.value()) instanceof TransactionEventJson.Valid) {
                        valid++;
                    }
                }
            }
            return new Drained(read, valid, (System.nanoTime() - startedAt) / 1e9);
        }
    }
}
