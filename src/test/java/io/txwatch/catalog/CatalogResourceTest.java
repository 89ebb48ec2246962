package io.txwatch.catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.event.TestEvents;
import io.txwatch.ingest.PipelineProbe;

/** The catalog through REST, bulk import and the compacted topic. */
@QuarkusTest
class CatalogResourceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aProductPutIsServedBack() {
        String sku = TestEvents.uniqueId("HEADPHONES");

        given().contentType("application/json")
                .body("{\"name\":\"Headphones\",\"category\":\"electronics\",\"listPrice\":\"2000\",\"currency\":\"inr\"}")
                .when().put("/api/v1/catalog/products/" + sku)
                .then().statusCode(200).body("currency", equalTo("INR"));

        given().when().get("/api/v1/catalog/products/" + sku)
                .then().statusCode(200)
                .body("sku", equalTo(sku))
                .body("listPrice", equalTo(2000))
                .body("category", equalTo("electronics"));
    }

    @Test
    void anInvalidProductIsRefusedFieldByField() {
        given().contentType("application/json")
                .body("{\"name\":\" \",\"category\":\"books\",\"listPrice\":-1,\"currency\":\"XYZ\"}")
                .when().put("/api/v1/catalog/products/BAD")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", contains("name", "listPrice", "currency"));
        given().when().get("/api/v1/catalog/products/BAD").then().statusCode(404);
    }

    @Test
    void aCsvImportStoresEveryProduct() {
        String first = TestEvents.uniqueId("BOOK");
        String second = TestEvents.uniqueId("MUG");
        String csv = "currency,sku,name,category,listPrice\n"
                + "EUR," + first + ",\"The Trial, annotated\",books,12.50\n"
                + "EUR," + second + ",\"Mug \"\"I love Mondays\"\"\",home,8\n";

        given().contentType("text/csv").body(csv)
                .when().post("/api/v1/catalog/products/import")
                .then().statusCode(200).body("imported", equalTo(2));

        given().when().get("/api/v1/catalog/products/" + first).then().statusCode(200).body("name", equalTo("The Trial, annotated"));
        given().when().get("/api/v1/catalog/products/" + second).then().statusCode(200).body("name", equalTo("Mug \"I love Mondays\""));
    }

    @Test
    void anImportWithABadProductStoresNone() {
        String good = TestEvents.uniqueId("GOOD");
        String body = "[{\"sku\":\"" + good + "\",\"name\":\"Good\",\"category\":\"home\",\"listPrice\":1,\"currency\":\"EUR\"},"
                + "{\"sku\":\"BAD-2\",\"name\":\"Bad\",\"category\":\"home\",\"currency\":\"EUR\"}]";

        given().contentType("application/json").body(body)
                .when().post("/api/v1/catalog/products/import")
                .then().statusCode(400).body("violations.field", contains("[1].listPrice"));
        given().when().get("/api/v1/catalog/products/" + good).then().statusCode(404);

        given().contentType("text/csv").body("sku,name\nX,Y\n")
                .when().post("/api/v1/catalog/products/import")
                .then().statusCode(400).body("violations.message", hasItems("the header lacks the columns [category, listprice, currency]"));
    }

    @Test
    void aProductPublishedOnTheCatalogTopicReachesTheCatalog() {
        String sku = TestEvents.uniqueId("TOPIC");
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            PipelineProbe.publish(kafka, "catalog", sku,
                    "{\"sku\":\"" + sku + "\",\"name\":\"Lamp\",\"category\":\"home\",\"listPrice\":45.00,\"currency\":\"EUR\"}");
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/api/v1/catalog/products/" + sku)
                .then().statusCode(200).body("name", equalTo("Lamp")));
    }
}
