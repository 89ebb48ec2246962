package io.txwatch.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * The wait at start, against the service's own catalog consumer on the real Kafka: transactions are held until the
 * products up to the catalog topic's end are in the cache, and at most for the configured time.
 */
@QuarkusTest
class CatalogAtStartTest {

    private static final Duration AWAIT_AT_START = Duration.ofSeconds(3);

    @Inject
    KafkaClientService clients;

    @Inject
    CatalogCache cache;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private Map<TopicPartition, Long> catalogEnds() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                bootstrapServers), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("catalog").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    private static long millisToRead(CatalogAtStart atStart) {
        long begun = System.nanoTime();
        atStart.read().await().atMost(Duration.ofSeconds(30));
        return (System.nanoTime() - begun) / 1_000_000;
    }

    @Test
    void transactionsWaitUntilTheCatalogIsReadAndNoLongerThanTheWaitAtStart() {
        String sku = "AT-START-" + UUID.randomUUID();
        given().contentType("application/json")
                .body(Map.of("name", "Kettle", "category", "kitchen", "listPrice", "40.00", "currency", "EUR"))
                .when().put("/api/v1/catalog/products/" + sku).then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> cache.find(sku).isPresent());

        CatalogAtStart nothingApplied = new CatalogAtStart(clients, "catalog", AWAIT_AT_START);
        CatalogAtStart allApplied = new CatalogAtStart(clients, "catalog", AWAIT_AT_START);
        catalogEnds().forEach((partition, end) -> allApplied.applied(partition.partition(), end));

        assertThat(millisToRead(nothingApplied)).as("held for the whole wait, then let go").isGreaterThanOrEqualTo(
                AWAIT_AT_START.toMillis());
        assertThat(millisToRead(nothingApplied)).as("once let go, never held again").isLessThan(500);
        assertThat(millisToRead(allApplied)).as("read to the end: not held").isLessThan(AWAIT_AT_START.toMillis());
    }
}
