package io.txwatch.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Base64;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TestEvents;

/** CloudEvents over HTTP, as a Knative KafkaSource delivers them, against the real Redis and PostgreSQL. */
@QuarkusTest
class CloudEventIngestResourceTest {

    @Inject
    PipelineProbe probe;

    @Inject
    MeterRegistry registry;

    /** A binary-mode CloudEvent as a KafkaSource sends one: attributes in headers, the transaction as the body. */
    static RequestSpecification binary(String id, String body) {
        return given().contentType("application/json")
                .header("ce-specversion", "1.0").header("ce-id", "partition:0/offset:" + id)
                .header("ce-source", "/apis/v1/namespaces/shop/kafkasources/txwatch#transactions")
                .header("ce-type", "dev.knative.kafka.event").body(body);
    }

    @Test
    void aBinaryCloudEventIsScoredAndStoredBeforeItIsAnsweredAndOnceWhenDeliveredAgain() throws Exception {
        String customer = TestEvents.uniqueId("customer");
        String sku = TestEvents.uniqueId("LAPTOP");
        PipelineProbe.listLaptop(given(), sku);
        String id = TestEvents.uniqueId("tx");
        String priceError = TestEvents.laptopPurchase(id, customer, sku, "500.00");

        binary(id, priceError).when().post("/api/v1/cloudevents").then().statusCode(200)
                .body("transactionId", equalTo(id));

        // answered only once stored: no waiting needed
        assertThat(probe.transaction(id)).isNotNull();
        assertThat(probe.anomaliesOf(id)).singleElement()
                .satisfies(anomaly -> assertThat(anomaly.type).isEqualTo(AnomalyType.PRICE_VS_CATALOG));

        binary(id, priceError).when().post("/api/v1/cloudevents").then().statusCode(200);

        assertThat(probe.processedCount(id)).isEqualTo(1);
        assertThat(probe.anomaliesOf(id)).hasSize(1);
    }

    @Test
    void anEventFarBehindItsKafkaPartitionIsLateWhereTheSubjectNamesThePartition() throws Exception {
        String first = TestEvents.uniqueId("tx");
        String behind = TestEvents.uniqueId("tx");
        double lateBefore = registry.get("txwatch.events.late").tag("detector", "HIGH_AMOUNT").counter().count();

        fromPartition(777, first, TestEvents.laptopPurchase(first, TestEvents.uniqueId("customer"), "SKU", "10"))
                .when().post("/api/v1/cloudevents").then().statusCode(200);
        // two hours before the partition's newest event, beyond the allowed lateness of 10 minutes
        fromPartition(777, behind, TestEvents.laptopPurchase(behind, TestEvents.uniqueId("customer"), "SKU", "10")
                .replace("2026-09-16T14:05:00Z", "2026-09-16T12:05:00Z"))
                .when().post("/api/v1/cloudevents").then().statusCode(200);

        assertThat(probe.transaction(behind)).as("stored all the same").isNotNull();
        assertThat(registry.get("txwatch.events.late").tag("detector", "HIGH_AMOUNT").counter().count())
                .isEqualTo(lateBefore + 1);
    }

    private static RequestSpecification fromPartition(int partition, String id, String body) {
        return binary(id, body).header("ce-subject", "partition:" + partition + "#" + Math.abs(id.hashCode()));
    }

    @Test
    void aStructuredCloudEventCarriesTheTransactionInData() throws Exception {
        String id = TestEvents.uniqueId("tx");
        String event = TestEvents.laptopPurchase(id, TestEvents.uniqueId("customer"), "SKU", "10");
        String base64 = TestEvents.uniqueId("tx");
        String encoded = Base64.getEncoder().encodeToString(
                TestEvents.laptopPurchase(base64, TestEvents.uniqueId("customer"), "SKU", "10").getBytes());

        given().contentType("application/cloudevents+json")
                .body("{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/shop\",\"type\":\"shop.transaction\","
                        + "\"datacontenttype\":\"application/json\",\"data\":" + event + "}")
                .when().post("/api/v1/cloudevents").then().statusCode(200).body("transactionId", equalTo(id));
        given().contentType("application/cloudevents+json")
                .body("{\"specversion\":\"1.0\",\"id\":\"e-2\",\"source\":\"/shop\",\"type\":\"shop.transaction\","
                        + "\"data_base64\":\"" + encoded + "\"}")
                .when().post("/api/v1/cloudevents").then().statusCode(200);

        assertThat(probe.transaction(id)).isNotNull();
        assertThat(probe.transaction(base64)).isNotNull();
    }

    @Test
    void whatIsNoCloudEventOrNoValidTransactionIsRefusedWithAProblemAndCounted() {
        String id = TestEvents.uniqueId("tx");
        double refusedBefore = registry.get("txwatch.events.invalid").tag("source", "http").counter().count();

        given().contentType("application/json").header("ce-specversion", "1.0")
                .body(TestEvents.laptopPurchase(id, "c", "SKU", "10"))
                .when().post("/api/v1/cloudevents").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body(containsString("ce-id"), containsString("ce-source"), containsString("ce-type"));
        binary(id, TestEvents.laptopPurchase(id, "c", "SKU", "10").replace("\"quantity\":1", "\"quantity\":0"))
                .when().post("/api/v1/cloudevents").then().statusCode(400)
                .body(containsString("items[0].quantity"));
        given().contentType("application/cloudevents+json").body("{\"specversion\":\"1.0\",\"id\":\"x\"}")
                .when().post("/api/v1/cloudevents").then().statusCode(400)
                .body(containsString("source"), containsString("data"));

        assertThat(registry.get("txwatch.events.invalid").tag("source", "http").counter().count())
                .as("every refusal counted").isEqualTo(refusedBefore + 3);
    }
}
