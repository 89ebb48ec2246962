package io.txwatch.store;

import static io.restassured.RestAssured.given;
import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEventJson;

/** GET /api/v1/transactions: stored transactions, failed payments among them, newest first in cursor pages. */
@QuarkusTest
class TransactionResourceTest {

    private String customer;

    @BeforeEach
    void ingestThreePayments() {
        customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> events = List.of(
                event().id(customer + "-1").customer(customer).at("2026-09-16T09:00:00Z").failed("card_declined").build(),
                event().id(customer + "-2").customer(customer).at("2026-09-16T09:01:00Z").build(),
                event().id(customer + "-3").customer(customer).at("2026-09-16T09:02:00Z").failed("insufficient_funds").build());
        String body = "[" + String.join(",", events.stream().map(e -> TransactionEventJson.toJson(e).toString()).toList()) + "]";
        given().contentType("application/json").body(body).when().post("/api/v1/transactions").then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> list("customerId=" + customer).getList("items").size() == 3);
    }

    private static JsonPath list(String query) {
        return given().when().get("/api/v1/transactions?" + query).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void failedPaymentsAreListedAsSuchNewestFirst() {
        JsonPath page = list("status=FAILED&customerId=" + customer);

        assertThat(page.getList("items.transactionId", String.class)).containsExactly(customer + "-3", customer + "-1");
        assertThat(page.getList("items.failureReason", String.class)).containsExactly("insufficient_funds", "card_declined");
        assertThat(page.getString("nextCursor")).isNull();
    }

    @Test
    void pagesFollowTheCursorWithoutGapsOrRepeats() {
        JsonPath first = list("limit=2&customerId=" + customer);
        JsonPath second = list("limit=2&customerId=" + customer + "&cursor=" + first.getString("nextCursor"));

        assertThat(first.getList("items.transactionId", String.class)).containsExactly(customer + "-3", customer + "-2");
        assertThat(second.getList("items.transactionId", String.class)).containsExactly(customer + "-1");
        assertThat(second.getString("nextCursor")).isNull();
    }

    @Test
    void oneTransactionIsServedAsItWasAccepted() {
        given().when().get("/api/v1/transactions/" + customer + "-2")
                .then().statusCode(200)
                .body("customer.id", equalTo(customer))
                .body("status", equalTo("SUCCEEDED"))
                .body("amount", equalTo(500.00f));
        given().when().get("/api/v1/transactions/no-such-" + customer)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badParametersGetAProblemNamingEachOne() {
        given().when().get("/api/v1/transactions?status=REFUNDED&from=yesterday")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("status"))
                .body("violations.field", hasItem("from"));
    }
}
