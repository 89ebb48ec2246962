package io.txwatch.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.event.TestEvents;

/** POST /api/v1/transactions: valid batches reach Kafka and the pipeline, invalid ones are refused field by field. */
@QuarkusTest
class TransactionIngestResourceTest {

    private static final Duration PROCESSED_WITHIN = Duration.ofSeconds(30);

    @Inject
    PipelineProbe probe;

    @Test
    void aValidBatchIsAcceptedPublishedAndProcessed() {
        String customer = TestEvents.uniqueId("customer");
        String first = TestEvents.uniqueId("tx");
        String second = TestEvents.uniqueId("tx");
        String body = "[" + TestEvents.laptopPurchase(first, customer, "SKU", "10") + ","
                + TestEvents.laptopPurchase(second, customer, "SKU", "20") + "]";

        given().contentType("application/json").body(body)
                .when().post("/api/v1/transactions")
                .then().statusCode(202)
                .body("accepted", equalTo(2))
                .body("transactionIds", contains(first, second));

        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(first) != null && probe.transaction(second) != null);
    }

    @Test
    void amountsTheDatabaseCannotHoldAreRefusedAtTheDoorAndLaterEventsFlow() throws Exception {
        String id = TestEvents.uniqueId("tx");
        String tooLarge = TestEvents.laptopPurchase(TestEvents.uniqueId("tx"), "c-1", "SKU", "1e16");
        String hugeExponent = TestEvents.laptopPurchase(TestEvents.uniqueId("tx"), "c-1", "SKU", "-1E+1000000000");

        given().contentType("application/json").body("[" + tooLarge + "," + hugeExponent + "]")
                .when().post("/api/v1/transactions")
                .then().statusCode(400)
                .body("violations.field", contains("[0].items[0].unitPrice", "[1].items[0].unitPrice"))
                .body("violations.message", contains("must be less than 10^15, got 1E+16", "must be 0 or more, got -1E+1000000000"));
        given().contentType("application/json").body(TestEvents.laptopPurchase(id, "c-1", "SKU", "10"))
                .when().post("/api/v1/transactions").then().statusCode(202);

        await().atMost(PROCESSED_WITHIN).until(() -> probe.processedCount(id) == 1);
    }

    @Test
    void anEventDatedAheadOfTheServiceClockIsRefused() {
        String tomorrow = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString();
        String soon = Instant.now().plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS).toString();
        String ahead = TestEvents.laptopPurchase(TestEvents.uniqueId("tx"), "c-1", "SKU", "10").replace("2026-09-16T14:05:00Z", tomorrow);
        String withinSkew = TestEvents.laptopPurchase(TestEvents.uniqueId("tx"), "c-1", "SKU", "10").replace("2026-09-16T14:05:00Z", soon);

        given().contentType("application/json").body("[" + withinSkew + "," + ahead + "]")
                .when().post("/api/v1/transactions")
                .then().statusCode(400)
                .body("violations.field", contains("[1].occurredAt"))
                .body("violations.message", contains("is 24 hours ahead of the service's clock; at most PT5M is accepted"));
    }

    @Test
    void aSingleEventIsAccepted() {
        String id = TestEvents.uniqueId("tx");

        given().contentType("application/json").body(TestEvents.laptopPurchase(id, "c-1", "SKU", "10"))
                .when().post("/api/v1/transactions")
                .then().statusCode(202).body("accepted", equalTo(1));

        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(id) != null);
    }

    @Test
    void aBatchWithInvalidEventsIsRefusedNamingEachBadFieldAndNothingIsPublished() throws Exception {
        String customer = TestEvents.uniqueId("customer");
        String validButRefused = TestEvents.uniqueId("tx");
        String bad = TestEvents.laptopPurchase(TestEvents.uniqueId("tx"), customer, "SKU", "10")
                .replace("\"quantity\":1", "\"quantity\":0").replace("\"INR\"", "\"XYZ\"");
        String body = "[" + TestEvents.laptopPurchase(validButRefused, customer, "SKU", "10") + "," + bad + "]";

        given().contentType("application/json").body(body)
                .when().post("/api/v1/transactions")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Invalid request"))
                .body("instance", equalTo("/api/v1/transactions"))
                .body("violations.field", contains("[1].items[0].quantity", "[1].currency"));

        String marker = TestEvents.uniqueId("tx");
        given().contentType("application/json").body(TestEvents.laptopPurchase(marker, customer, "SKU", "10"))
                .when().post("/api/v1/transactions").then().statusCode(202);
        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(marker) != null);
        assertThat(probe.transaction(validButRefused)).isNull();
    }

    @Test
    void malformedJsonAndOversizedBatchesAreRefused() {
        given().contentType("application/json").body("{\"transactionId\": ")
                .when().post("/api/v1/transactions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", contains("$"));

        given().contentType("application/json").body("[]")
                .when().post("/api/v1/transactions")
                .then().statusCode(400)
                .body("violations.message", hasItems("send between 1 and 1000 events, got 0"));
    }
}
