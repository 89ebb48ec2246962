package io.txwatch.anomaly;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.txwatch.detect.Finding;
import io.txwatch.detect.Signal;
import io.txwatch.event.TestEvents;

/** GET /api/v1/anomalies: filters, newest-first cursor pages, problems for bad parameters. */
@QuarkusTest
class AnomalyResourceTest {

    private static final Instant BASE = Instant.parse("2026-09-16T10:00:00Z");

    /** Every anomaly of a test is about this customer, which keeps it apart from other tests' anomalies. */
    private String customer;

    @BeforeEach
    void storeAnomalies() throws Throwable {
        customer = TestEvents.uniqueId("customer");
        List<Anomaly> anomalies = new ArrayList<>();
        for (int minute = 0; minute < 7; minute++) {
            AnomalyType type = minute % 2 == 0 ? AnomalyType.VELOCITY : AnomalyType.PRICE_VS_CATALOG;
            Severity severity = minute < 3 ? Severity.LOW : Severity.CRITICAL;
            Finding finding = new Finding(type, customer + ":" + minute, severity, minute, minute / 10.0, BASE.plusSeconds(60L * minute),
                    "tx-" + customer + "-" + minute, customer, minute == 4 ? "SKU-" + customer : null,
                    "anomaly at minute " + minute, Map.of("minute", minute));
            if (minute == 5) {
                // raised by a typology, with the signals behind it
                finding = new Finding(type, finding.subject(), severity, 1.2, 0.84, true, finding.occurredAt(),
                        finding.transactionId(), customer, null, finding.explanation(), finding.evidence(), 0,
                        "card-testing", 0.84, List.of(
                                new Signal(AnomalyType.VELOCITY, 0.5, false, "many", Map.of("transactionsInWindow", 4)),
                                new Signal(AnomalyType.FAILED_PAYMENT_BURST, 0.34, false, "failing", Map.of())));
            }
            anomalies.add(Anomaly.from(finding, Instant.now()));
        }
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Anomaly.persist(anomalies)));
    }

    private JsonPath list(Map<String, ?> parameters) {
        return given().queryParams(parameters).queryParam("customerId", customer)
                .when().get("/api/v1/anomalies")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anomaliesAreListedNewestFirst() {
        JsonPath page = list(Map.of());

        assertThat(page.getList("items.explanation", String.class)).containsExactly("anomaly at minute 6", "anomaly at minute 5",
                "anomaly at minute 4", "anomaly at minute 3", "anomaly at minute 2", "anomaly at minute 1", "anomaly at minute 0");
        assertThat(page.getString("nextCursor")).isNull();
        assertThat(page.getString("items[0].occurredAt")).isEqualTo("2026-09-16T10:06:00Z");
        assertThat(page.getInt("items[0].evidence.minute")).isEqualTo(6);
    }

    @Test
    void filtersCombine() {
        assertThat(list(Map.of("type", "VELOCITY")).getList("items.explanation", String.class))
                .containsExactly("anomaly at minute 6", "anomaly at minute 4", "anomaly at minute 2", "anomaly at minute 0");
        assertThat(list(Map.of("type", "VELOCITY", "severity", "CRITICAL")).getList("items.explanation", String.class))
                .containsExactly("anomaly at minute 6", "anomaly at minute 4");
        assertThat(list(Map.of("severity", "low,critical")).getList("items")).hasSize(7);
        assertThat(list(Map.of("from", "2026-09-16T10:02:00Z", "to", "2026-09-16T10:04:00Z")).getList("items.explanation", String.class))
                .containsExactly("anomaly at minute 3", "anomaly at minute 2");
        assertThat(list(Map.of("sku", "SKU-" + customer)).getList("items.explanation", String.class))
                .containsExactly("anomaly at minute 4");
    }

    @Test
    void riskScoreAndTypologyFilterAndTheSignalsAreServed() {
        assertThat(list(Map.of("minScore", "0.4")).getList("items.explanation", String.class))
                .as("risk 0.84, 0.4 and 0.6 (minute / 10, and the typology's)")
                .containsExactly("anomaly at minute 6", "anomaly at minute 5", "anomaly at minute 4");
        JsonPath typology = list(Map.of("typology", "card-testing"));

        assertThat(typology.getList("items.explanation", String.class)).containsExactly("anomaly at minute 5");
        assertThat(typology.getDouble("items[0].riskScore")).isEqualTo(0.84);
        assertThat(typology.getList("items[0].signals.kind", String.class)).containsExactly("VELOCITY", "FAILED_PAYMENT_BURST");
        assertThat(typology.getInt("items[0].signals[0].evidence.transactionsInWindow")).isEqualTo(4);
        assertThat(typology.getBoolean("items[0].signals[1].alarm")).isFalse();
        assertThat(list(Map.of("typology", "account-takeover")).getList("items")).isEmpty();
        assertThat(list(Map.of("limit", 7)).getList("items.typology")).containsOnlyOnce("card-testing");
    }

    @Test
    void cursorPagesCoverEveryAnomalyOnceInOrder() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = cursor == null ? list(Map.of("limit", 3)) : list(Map.of("limit", 3, "cursor", cursor));
            seen.addAll(page.getList("items.explanation", String.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("anomaly at minute 6", "anomaly at minute 5", "anomaly at minute 4", "anomaly at minute 3",
                "anomaly at minute 2", "anomaly at minute 1", "anomaly at minute 0");
    }

    @Test
    void oneAnomalyIsServedByItsId() {
        String id = list(Map.of("limit", 1)).getString("items[0].id");

        given().when().get("/api/v1/anomalies/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("type", equalTo("VELOCITY"))
                .body("customerId", equalTo(customer))
                .body("sku", nullValue());
    }

    @Test
    void unknownAndMalformedIdsAreProblems() {
        given().when().get("/api/v1/anomalies/6b1f3a2e-0000-4000-8000-000000000000")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        given().when().get("/api/v1/anomalies/not-a-uuid")
                .then().statusCode(400).contentType("application/problem+json").body("violations.field", contains("id"));
    }

    @Test
    void badParametersAreRefusedEachByName() {
        given().queryParam("type", "NOPE").queryParam("severity", "URGENT").queryParam("from", "yesterday")
                .queryParam("cursor", "garbage!")
                .when().get("/api/v1/anomalies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("type", "severity", "from", "cursor"));
        given().queryParam("limit", 0).when().get("/api/v1/anomalies")
                .then().statusCode(400).contentType("application/problem+json").body("violations.field", contains("limit"));
        given().queryParam("limit", 501).when().get("/api/v1/anomalies")
                .then().statusCode(400).body("violations.field", contains("limit"));
        given().queryParam("minScore", "1.5").queryParam("typology", "Card Testing!")
                .when().get("/api/v1/anomalies")
                .then().statusCode(400).body("violations.field", hasItems("minScore", "typology"));
        given().queryParam("minScore", "high").when().get("/api/v1/anomalies")
                .then().statusCode(400).body("violations.field", contains("minScore"));
        given().queryParam("from", "2026-09-16T11:00:00Z").queryParam("to", "2026-09-16T10:00:00Z")
                .when().get("/api/v1/anomalies")
                .then().statusCode(400).body("violations.field", contains("to"));
    }
}
