package io.txwatch.simulate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.anomaly.AnomalyType;

/**
 * The simulator running inside the service feeds the real pipeline (Kafka, every detector on Redis, PostgreSQL):
 * every kind of anomaly it injects is detected, and what the detectors report is mostly what was injected. The
 * ground truth is read from the published records' headers, which the detectors never see.
 * <p>
 * Precision of a kind counts its anomalies on clean events and on its own incidents; one on another kind's incident
 * (a fraudster's far-away purchase is also at an hour the customer never buys in) is neither right nor wrong for it.
 * The sales buckets from the last event on are left out: the simulator stops there, and silence after it is real.
 */
@QuarkusTest
@TestProfile(InServiceSimulatorTest.SimulatorOn.class)
class InServiceSimulatorTest {

    private static final int EVENTS = 30_000;
    private static final double RECALL_FLOOR = 0.9;
    private static final double PRECISION_FLOOR = 0.9;
    private static final double CLEAN_FALSE_POSITIVE_CEILING = 0.002;

    public static class SimulatorOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("txwatch.simulator.enabled", "true"),
                    Map.entry("txwatch.simulator.seed", "7"),
                    // a fixed start makes the stream, and the shoppers' nights, the same whatever the hour of the run
                    Map.entry("txwatch.simulator.start", "2026-11-19T14:00:00Z"),
                    Map.entry("txwatch.simulator.rate", "5000"),
                    Map.entry("txwatch.simulator.events", String.valueOf(EVENTS)),
                    Map.entry("txwatch.simulator.anomaly-rate", "0.02"),
                    Map.entry("txwatch.simulator.shocks.mean-interval", "PT1H"));
        }
    }

    /** What the headers of one published record say. */
    record Truth(AnomalyType kind, String incident, Instant periodStart, Instant periodEnd, Instant occurredAt) {
    }

    record Detected(AnomalyType type, String transactionId, Instant bucketStart, Instant bucketEnd, String explanation) {
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    MeterRegistry registry;

    @Test
    void everyInjectedKindIsDetectedAndCleanTrafficIsRarelyFlagged() {
        Map<String, Truth> truthByTransaction = new HashMap<>();
        int cleanEvents;
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            ConsumerTask<String, String> published = kafka.consumeStrings().fromTopics("transactions", EVENTS);
            published.awaitCompletion(Duration.ofSeconds(120));
            for (ConsumerRecord<String, String> record : published.getRecords()) {
                truthByTransaction.put(JsonPath.from(record.value()).getString("transactionId"), truth(record));
            }
            cleanEvents = (int) truthByTransaction.values().stream().filter(truth -> truth.kind() == null).count();
        }
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2))
                .until(() -> registry.get("txwatch.events.processed").counter().count() >= EVENTS);

        Map<AnomalyType, Set<String>> injected = injectedIncidents(truthByTransaction);
        assertThat(injected).as("every kind injected").containsOnlyKeys(AnomalyType.values());

        try {
            // the last buckets close on the wall clock once the stream has been silent for a while
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3))
                    .until(() -> recalls(injected, detectedIncidents(anomalies(), truthByTransaction)).values().stream()
                            .allMatch(recall -> recall >= RECALL_FLOOR));
        } catch (ConditionTimeoutException e) {
            // the table below says which kind fell short
        }

        List<Detected> anomalies = new ArrayList<>(anomalies());
        Map<AnomalyType, int[]> truePositivesAndAll = new EnumMap<>(AnomalyType.class);
        int onCleanTraffic = 0;
        Instant lastEvent = truthByTransaction.values().stream().map(Truth::occurredAt).max(Instant::compareTo).orElseThrow();
        anomalies.removeIf(anomaly -> anomaly.bucketEnd() != null && anomaly.bucketEnd().isAfter(lastEvent));
        anomalies.removeIf(anomaly -> onAnotherKindsIncident(anomaly, truthByTransaction));
        for (Detected anomaly : anomalies) {
            int[] counts = truePositivesAndAll.computeIfAbsent(anomaly.type(), type -> new int[2]);
            counts[1]++;
            if (isTruePositive(anomaly, truthByTransaction)) {
                counts[0]++;
            }
            if (anomaly.transactionId() != null && truthByTransaction.containsKey(anomaly.transactionId())
                    && truthByTransaction.get(anomaly.transactionId()).kind() == null) {
                onCleanTraffic++;
            }
        }
        Map<AnomalyType, Set<String>> found = detectedIncidents(anomalies, truthByTransaction);
        Map<AnomalyType, Double> recalls = recalls(injected, found);
        StringBuilder table = new StringBuilder("\nkind                  injected detected   recall  precision\n");
        for (AnomalyType kind : AnomalyType.values()) {
            int[] counts = truePositivesAndAll.getOrDefault(kind, new int[] { 0, 0 });
            table.append(String.format("%-21s %8d %8d %8.3f %10.3f%n", kind, injected.get(kind).size(),
                    found.getOrDefault(kind, Set.of()).size(), recalls.get(kind), counts[1] == 0 ? 1.0 : (double) counts[0] / counts[1]));
        }
        table.append(String.format("anomalies on %d clean events: %d%n", cleanEvents, onCleanTraffic));
        anomalies.stream().filter(anomaly -> !isTruePositive(anomaly, truthByTransaction))
                .forEach(anomaly -> table.append("false positive: ").append(anomaly.explanation())
                        .append(anomaly.transactionId() == null ? "" : " [labelled " + truthByTransaction.get(anomaly.transactionId()) + "]")
                        .append('\n'));
        System.out.println(table);

        recalls.forEach((kind, recall) -> assertThat(recall).as("recall of " + kind + table).isGreaterThanOrEqualTo(RECALL_FLOOR));
        truePositivesAndAll.forEach((kind, counts) -> assertThat((double) counts[0] / counts[1])
                .as("precision of " + kind + table).isGreaterThanOrEqualTo(PRECISION_FLOOR));
        assertThat((double) onCleanTraffic / cleanEvents).as("share of clean events flagged" + table)
                .isLessThanOrEqualTo(CLEAN_FALSE_POSITIVE_CEILING);
        assertThat(given().when().get("/api/v1/catalog/products?limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("sku")).as("the simulated catalog").hasSize(300);
    }

    private static Map<AnomalyType, Double> recalls(Map<AnomalyType, Set<String>> injected, Map<AnomalyType, Set<String>> found) {
        Map<AnomalyType, Double> recalls = new EnumMap<>(AnomalyType.class);
        injected.forEach((kind, incidents) -> recalls.put(kind, (double) found.getOrDefault(kind, Set.of()).size() / incidents.size()));
        return recalls;
    }

    private static Map<AnomalyType, Set<String>> injectedIncidents(Map<String, Truth> truthByTransaction) {
        Map<AnomalyType, Set<String>> incidents = new EnumMap<>(AnomalyType.class);
        truthByTransaction.values().stream().filter(truth -> truth.kind() != null)
                .forEach(truth -> incidents.computeIfAbsent(truth.kind(), kind -> new HashSet<>()).add(truth.incident()));
        return incidents;
    }

    /** Incidents with at least one anomaly of their kind: on one of their events, or on a bucket in their period. */
    private static Map<AnomalyType, Set<String>> detectedIncidents(List<Detected> anomalies, Map<String, Truth> truthByTransaction) {
        Map<AnomalyType, Set<String>> found = new EnumMap<>(AnomalyType.class);
        Set<Truth> shocks = new HashSet<>();
        truthByTransaction.values().stream().filter(truth -> truth.kind() == AnomalyType.SALES_VOLUME).forEach(shocks::add);
        for (Detected anomaly : anomalies) {
            if (anomaly.type() == AnomalyType.SALES_VOLUME) {
                shocks.stream().filter(shock -> overlaps(anomaly, shock)).forEach(shock -> found
                        .computeIfAbsent(AnomalyType.SALES_VOLUME, kind -> new HashSet<>()).add(shock.incident()));
            } else {
                Truth truth = truthByTransaction.get(anomaly.transactionId());
                if (truth != null && truth.kind() == anomaly.type()) {
                    found.computeIfAbsent(anomaly.type(), kind -> new HashSet<>()).add(truth.incident());
                }
            }
        }
        return found;
    }

    private static boolean isTruePositive(Detected anomaly, Map<String, Truth> truthByTransaction) {
        if (anomaly.type() == AnomalyType.SALES_VOLUME) {
            return truthByTransaction.values().stream()
                    .anyMatch(truth -> truth.kind() == AnomalyType.SALES_VOLUME && overlaps(anomaly, truth));
        }
        Truth truth = truthByTransaction.get(anomaly.transactionId());
        return truth != null && truth.kind() == anomaly.type();
    }

    private static boolean onAnotherKindsIncident(Detected anomaly, Map<String, Truth> truthByTransaction) {
        Truth truth = anomaly.transactionId() == null ? null : truthByTransaction.get(anomaly.transactionId());
        return truth != null && truth.kind() != null && truth.kind() != anomaly.type();
    }

    private static boolean overlaps(Detected bucket, Truth shock) {
        return bucket.bucketStart().isBefore(shock.periodEnd()) && shock.periodStart().isBefore(bucket.bucketEnd());
    }

    private static List<Detected> anomalies() {
        List<Detected> anomalies = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", 500);
            JsonPath page = (cursor == null ? request : request.queryParam("cursor", cursor))
                    .when().get("/api/v1/anomalies").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            for (Map<String, Object> item : items) {
                AnomalyType type = AnomalyType.valueOf((String) item.get("type"));
                @SuppressWarnings("unchecked")
                Map<String, Object> evidence = (Map<String, Object>) item.get("evidence");
                anomalies.add(type == AnomalyType.SALES_VOLUME
                        ? new Detected(type, null, Instant.parse((String) evidence.get("bucketStart")),
                                Instant.parse((String) evidence.get("bucketEnd")), (String) item.get("explanation"))
                        : new Detected(type, (String) item.get("transactionId"), null, null, (String) item.get("explanation")));
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return anomalies;
    }

    private static Truth truth(ConsumerRecord<String, String> record) {
        String label = header(record, StreamPublisher.LABEL_HEADER);
        if (label == null) {
            return new Truth(null, null, null, null, occurredAt(record));
        }
        String period = header(record, StreamPublisher.PERIOD_HEADER);
        String[] bounds = period == null ? null : period.split("/");
        return new Truth(AnomalyType.valueOf(label), header(record, StreamPublisher.INCIDENT_HEADER),
                bounds == null ? null : Instant.parse(bounds[0]), bounds == null ? null : Instant.parse(bounds[1]),
                occurredAt(record));
    }

    private static Instant occurredAt(ConsumerRecord<String, String> record) {
        return Instant.parse(JsonPath.from(record.value()).getString("occurredAt"));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
