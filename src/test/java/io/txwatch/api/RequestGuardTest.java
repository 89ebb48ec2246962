package io.txwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;

/** Requests refused before any resource: a 4xx problem body instead of a 500 from inside the stack. */
@QuarkusTest
class RequestGuardTest {

    @Test
    void aQueryParameterWithNulIsRefused() {
        given().urlEncodingEnabled(false).when().get("/api/v1/anomalies?customerId=a%00b").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("violations.field", contains("customerId"))
                .body("violations.message", contains("must not contain the NUL character (%00)"));
    }

    @Test
    void aPathParameterWithNulIsRefused() {
        given().urlEncodingEnabled(false).when().get("/api/v1/transactions/t%00x").then().statusCode(400)
                .body("violations.field", contains("transactionId"));
    }

    @Test
    void aContentTypeThatIsNoMediaTypeIsUnsupported() {
        given().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)
                        .encodeContentTypeAs("garbage", io.restassured.http.ContentType.TEXT)))
                .contentType("garbage").body("sku,name")
                .when().post("/api/v1/catalog/products/import").then().statusCode(415)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(415))
                .body("violations.field", contains("Content-Type"));
    }
}
