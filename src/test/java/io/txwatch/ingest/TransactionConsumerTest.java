package io.txwatch.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TestEvents;
import io.txwatch.event.TransactionEvent.PaymentStatus;
import io.txwatch.store.StoredTransaction;

/** The Kafka path of an event, against the real broker, Redis and PostgreSQL. */
@QuarkusTest
class TransactionConsumerTest {

    private static final Duration PROCESSED_WITHIN = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    PipelineProbe probe;

    KafkaCompanion kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void aPublishedEventIsPersistedAsReceived() throws Exception {
        String id = TestEvents.uniqueId("tx");
        String customer = TestEvents.uniqueId("customer");

        PipelineProbe.publish(kafka, "transactions", customer, TestEvents.laptopPurchase(id, customer, "ANY-SKU", "50000.00"));

        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(id) != null);
        StoredTransaction stored = probe.transaction(id);
        assertThat(stored.customerId).isEqualTo(customer);
        assertThat(stored.amount).isEqualByComparingTo(new BigDecimal("50000.00"));
        assertThat(stored.currency).isEqualTo("INR");
        assertThat(stored.status).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(stored.occurredAt).isEqualTo(Instant.parse("2026-09-16T14:05:00Z"));
        assertThat(stored.event).contains("\"sku\":\"ANY-SKU\"");
    }

    @Test
    void aMalformedEventGoesToTheDeadLetterTopicWithItsReasonWhileTheNextEventFlows() throws Exception {
        String customer = TestEvents.uniqueId("customer");
        String validId = TestEvents.uniqueId("tx");
        String malformed = "{\"transactionId\":\"broken\", \"items\": [";
        String invalid = TestEvents.laptopPurchase(TestEvents.uniqueId("tx"), customer, "SKU", "10").replace("\"quantity\":1", "\"quantity\":0");
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics("transactions.dlq");

        PipelineProbe.publish(kafka, "transactions", customer, malformed);
        PipelineProbe.publish(kafka, "transactions", customer, invalid);
        PipelineProbe.publish(kafka, "transactions", customer, TestEvents.laptopPurchase(validId, customer, "SKU", "10"));

        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(validId) != null);
        await().atMost(PROCESSED_WITHIN).until(() -> deadLetters.getRecords().stream().filter(r -> customer.equals(r.key())).count() == 2);
        deadLetters.stop();
        var mine = deadLetters.getRecords().stream().filter(r -> customer.equals(r.key())).toList();
        assertThat(mine.get(0).value()).isEqualTo(malformed);
        assertThat(reason(mine.get(0))).startsWith("$: not valid JSON");
        assertThat(mine.get(1).value()).isEqualTo(invalid);
        assertThat(reason(mine.get(1))).isEqualTo("items[0].quantity: must be between 1 and 1000000, got 0");
        assertThat(header(mine.get(1), DeadLetterPublisher.TOPIC_HEADER)).isEqualTo("transactions");
    }

    @Test
    void aRedeliveredEventIsStoredAndScoredOnce() throws Exception {
        String customer = TestEvents.uniqueId("customer");
        String sku = TestEvents.uniqueId("LAPTOP");
        PipelineProbe.listLaptop(given(), sku);
        String id = TestEvents.uniqueId("tx");
        String priceError = TestEvents.laptopPurchase(id, customer, sku, "500.00");
        String marker = TestEvents.uniqueId("tx");

        PipelineProbe.publish(kafka, "transactions", customer, priceError);
        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(id) != null);
        PipelineProbe.publish(kafka, "transactions", customer, priceError);
        PipelineProbe.publish(kafka, "transactions", customer, TestEvents.laptopPurchase(marker, customer, sku, "50000.00"));

        // Same key, same partition: once the marker is stored, the copy before it was processed.
        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(marker) != null);
        assertThat(probe.processedCount(id)).isEqualTo(1);
        assertThat(probe.anomaliesOf(id)).singleElement()
                .satisfies(anomaly -> assertThat(anomaly.type).isEqualTo(AnomalyType.PRICE_VS_CATALOG));
        assertThat(probe.anomaliesOf(marker)).isEmpty();
    }

    @Test
    void weakSignalsThatCoincideAreOneTypologyAnomalyStoredWithItsSignals() throws Exception {
        String customer = TestEvents.uniqueId("customer");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = TestEvents.uniqueId("tx");
            ids.add(id);
            // four payments within 30 s, the last two failed: neither a velocity burst (more than 5) nor a failed-payment
            // burst (3) on its own
            String event = TestEvents.laptopPurchase(id, customer, "ANY-SKU", "900.00")
                    .replace("2026-09-16T14:05:00Z", "2026-09-16T14:05:%02dZ".formatted(i * 10));
            PipelineProbe.publish(kafka, "transactions", customer,
                    i >= 2 ? event.replace("\"status\":\"SUCCEEDED\"", "\"status\":\"FAILED\",\"failureReason\":\"card_declined\"") : event);
        }
        String last = ids.get(3);
        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(last) != null);

        assertThat(probe.anomaliesOf(ids.get(2))).as("two payments and a failure are not enough").isEmpty();
        assertThat(probe.anomaliesOf(last)).singleElement().satisfies(anomaly -> {
            assertThat(anomaly.typology).isEqualTo("card-testing");
            assertThat(anomaly.type).isEqualTo(AnomalyType.VELOCITY);
            assertThat(anomaly.riskScore).isGreaterThanOrEqualTo(0.7);
            assertThat(anomaly.signalList()).extracting(signal -> signal.get("kind"))
                    .containsExactly("VELOCITY", "FAILED_PAYMENT_BURST");
            assertThat(anomaly.explanation).startsWith("Transaction " + last + " by customer " + customer
                    + " looks like card testing, a stolen card being tried: many transactions in a short time");
        });
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return header(record, DeadLetterPublisher.REASON_HEADER);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
