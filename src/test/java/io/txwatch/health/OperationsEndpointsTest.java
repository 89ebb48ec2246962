package io.txwatch.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** What a platform team scrapes and reads: Prometheus metrics, the OpenAPI document and Swagger UI. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void prometheusMetricsAreExported() {
        given().accept("text/plain; version=0.0.4").when().get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body(containsString("\"title\" : \"txwatch API\""));
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
