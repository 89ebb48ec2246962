package io.txwatch.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TestEvents;
import io.txwatch.ingest.HostileRecords.Hostile;

/**
 * A thousand hostile records of every kind among a stream of valid events, on the real broker: each hostile record
 * reaches the dead-letter topic with a short reason, and the valid events are stored and scored as if alone.
 */
@QuarkusTest
class HostileRecordsTest {

    private static final Duration WITHIN = Duration.ofSeconds(120);
    private static final int HOSTILE = 1000;
    private static final int VALID = 100;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    PipelineProbe probe;

    @Test
    void hostileRecordsAreSetAsideWithTheirReasonAndTheStreamAroundThemIsUnchanged() throws Exception {
        String sku = TestEvents.uniqueId("LAPTOP");
        PipelineProbe.listLaptop(given(), sku);
        String hostileKey = TestEvents.uniqueId("hostile");
        List<Hostile> hostile = HostileRecords.generate(15, HOSTILE);
        List<String> validIds = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < HOSTILE; i++) {
            records.add(new ProducerRecord<>("transactions", hostileKey, hostile.get(i).value()));
            if (i % (HOSTILE / VALID) == 0) {
                String id = TestEvents.uniqueId("tx");
                String customer = TestEvents.uniqueId("customer");
                validIds.add(id);
                String price = validIds.size() == VALID / 2 ? "500.00" : "50000.00";
                records.add(new ProducerRecord<>("transactions", customer,
                        TestEvents.laptopPurchase(id, customer, sku, price).getBytes(StandardCharsets.UTF_8)));
            }
        }

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            kafka.registerSerde(byte[].class, Serdes.ByteArray());
            ConsumerTask<String, byte[]> deadLetters = kafka.consume(String.class, byte[].class)
                    .withProp("max.partition.fetch.bytes", "2000000").fromTopics("transactions.dlq");
            kafka.produce(String.class, byte[].class).withProp("max.request.size", "2000000")
                    .fromRecords(records).awaitCompletion(WITHIN);

            await().atMost(WITHIN).until(() -> mine(deadLetters, hostileKey).size() >= HOSTILE);
            deadLetters.stop();

            List<ConsumerRecord<String, byte[]>> letters = mine(deadLetters, hostileKey);
            assertThat(letters.stream().map(letter -> Base64.getEncoder().encodeToString(letter.value())).sorted())
                    .as("every hostile record, as it was sent")
                    .containsExactlyElementsOf(hostile.stream().map(record -> Base64.getEncoder().encodeToString(record.value()))
                            .sorted().toList());
            assertThat(letters).allSatisfy(letter -> assertThat(header(letter, DeadLetterPublisher.REASON_HEADER))
                    .isNotBlank().hasSizeLessThan(2000));
        }
        for (String id : validIds) {
            await().atMost(WITHIN).until(() -> probe.processedCount(id) == 1);
        }
        String priceError = validIds.get(VALID / 2 - 1);
        assertThat(probe.anomaliesOf(priceError)).singleElement()
                .satisfies(anomaly -> assertThat(anomaly.type).isEqualTo(AnomalyType.PRICE_VS_CATALOG));
        assertThat(validIds.stream().filter(id -> !id.equals(priceError)).flatMap(id -> {
            try {
                return probe.anomaliesOf(id).stream();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).as("no anomaly on the clean events").isEmpty();
    }

    private static List<ConsumerRecord<String, byte[]>> mine(ConsumerTask<String, byte[]> task, String key) {
        return task.getRecords().stream().filter(record -> key.equals(record.key())).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
