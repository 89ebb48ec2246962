package io.txwatch.simulate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.evaluate.Scorecard;

/**
 * What the service under test reported on the stream its own simulator published, scored against the ground truth
 * in the published records' headers (which the detectors never see).
 */
final class SimulatedStreamScore {

    private static final Duration SALES_BUCKET = Duration.ofMinutes(1);

    private SimulatedStreamScore() {
    }

    /**
     * The service's settings for a scored run: its simulator on, publishing {@code events} fast from a fixed start (so
     * that the stream, and the shoppers' nights, are the same whatever the hour of the run), with twice the usual
     * anomalies and a volume shock about hourly; {@code more} on top.
     */
    static Map<String, String> simulatorOn(long seed, int events, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "txwatch.simulator.enabled", "true",
                "txwatch.simulator.seed", String.valueOf(seed),
                "txwatch.simulator.start", "2026-11-19T14:00:00Z",
                "txwatch.simulator.rate", "5000",
                "txwatch.simulator.events", String.valueOf(events),
                "txwatch.simulator.anomaly-rate", "0.02",
                "txwatch.simulator.shocks.mean-interval", "PT1H"));
        settings.putAll(more);
        return settings;
    }

    /**
     * Waits until the service has processed all {@code events}, then until every injected incident is found or 90 s
     * pass, time enough for the last buckets to close on the wall clock (waiting only for a kind's floor would score a
     * spike the stream ends in, or not, by timing), and scores what it reported.
     */
    static Scorecard.Result of(String bootstrapServers, MeterRegistry registry, int events) {
        List<Scorecard.Truth> truths = new ArrayList<>();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            ConsumerTask<String, byte[]> published = kafka.consume(String.class, byte[].class).fromTopics("transactions", events);
            published.awaitCompletion(Duration.ofSeconds(120));
            published.getRecords().forEach(record -> truths.add(Scorecard.Truth.of(record)));
        }
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2))
                .until(() -> registry.get("txwatch.events.processed").counter().count() >= events);
        Scorecard scorecard = new Scorecard(truths, SALES_BUCKET);
        try {
            // the last buckets close on the wall clock once the stream has been silent for a while
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3))
                    .until(() -> scorecard.score(anomalies()).kinds().stream()
                            .allMatch(kind -> kind.injected() == kind.detected()));
        } catch (ConditionTimeoutException e) {
            // the caller's assertions say which kind fell short
        }
        return scorecard.score(anomalies());
    }

    /** The table and the false positives, for assertion messages. */
    static String describe(Scorecard.Result result) {
        StringBuilder table = new StringBuilder("\n").append(result.table());
        result.falsePositives().forEach(explanation -> table.append("false positive: ").append(explanation).append('\n'));
        return table.toString();
    }

    private static List<Scorecard.Detected> anomalies() {
        List<Scorecard.Detected> anomalies = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", 500);
            JsonPath page = (cursor == null ? request : request.queryParam("cursor", cursor))
                    .when().get("/api/v1/anomalies").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            items.forEach(item -> anomalies.add(Scorecard.Detected.of(item)));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return anomalies;
    }
}
