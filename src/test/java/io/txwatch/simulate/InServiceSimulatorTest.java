package io.txwatch.simulate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The simulator running inside the service feeds the real pipeline: its catalog reaches the catalog, and every price error it injects comes back as a PRICE_VS_CATALOG anomaly, with no
 * such anomaly on clean traffic.
 */
@QuarkusTest
@TestProfile(InServiceSimulatorTest.SimulatorOn.class)
class InServiceSimulatorTest {

    private static final int EVENTS = 12_000;

    public static class SimulatorOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("txwatch.simulator.enabled", "true"),
                    Map.entry("txwatch.simulator.history", "PT3H"),
                    Map.entry("txwatch.simulator.rate", "5000"),
                    Map.entry("txwatch.simulator.events", String.valueOf(EVENTS)),
                    Map.entry("txwatch.simulator.anomaly-rate", "0.02"),
                    Map.entry("txwatch.simulator.shocks.enabled", "false"));
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void injectedPriceErrorsAreDetectedAndCleanTrafficIsNot() {
        Set<String> injected;
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            ConsumerTask<String, String> published = kafka.consumeStrings().fromTopics("transactions", EVENTS);
            published.awaitCompletion(Duration.ofSeconds(90));
            injected = published.getRecords().stream()
                    .filter(record -> "PRICE_VS_CATALOG".equals(label(record)))
                    .map(record -> JsonPath.from(record.value()).getString("transactionId"))
                    .collect(Collectors.toSet());
        }
        assertThat(injected).as("price errors injected by the simulator").hasSizeGreaterThan(5);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(
                () -> assertThat(detectedPriceErrors()).containsAll(injected));
        assertThat(detectedPriceErrors()).as("price anomalies on clean simulated traffic").isSubsetOf(injected);
        assertThat(given().when().get("/api/v1/catalog/products?limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("sku")).as("the simulated catalog").hasSize(300);
    }

    private static Set<String> detectedPriceErrors() {
        Set<String> transactionIds = new HashSet<>();
        String cursor = null;
        do {
            var request = given().queryParam("type", "PRICE_VS_CATALOG").queryParam("limit", 500);
            JsonPath page = (cursor == null ? request : request.queryParam("cursor", cursor))
                    .when().get("/api/v1/anomalies").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("items.transactionId", String.class);
            ids.stream().filter(id -> id.startsWith("sim-")).forEach(transactionIds::add);
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return transactionIds;
    }

    private static String label(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("txwatch-label");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
