package io.txwatch.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.txwatch.localinfra.LocalInfrastructure;
import io.txwatch.localinfra.LocalInfrastructureResource.InjectLocalInfrastructure;

/** Liveness and readiness, readiness following Kafka, Redis and PostgreSQL. */
@QuarkusTest
class ReadinessTest {

    private static final Duration FLIP_TIMEOUT = Duration.ofSeconds(60);

    @InjectLocalInfrastructure
    LocalInfrastructure infrastructure;

    @Test
    void theServiceIsAlive() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessChecksKafkaRedisAndPostgres() {
        readiness().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(
                        "Kafka connection health check",
                        "Redis connection health check",
                        "Reactive PostgreSQL connections health check"));
    }

    @Test
    void readinessTurnsDownWhileRedisIsUnreachableAndUpWhenItReturns() {
        infrastructure.stopRedis();
        try {
            Awaitility.await().atMost(FLIP_TIMEOUT).untilAsserted(() -> readiness().statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.findAll { it.status == 'DOWN' }.name", hasItem("Redis connection health check")));
        } finally {
            infrastructure.restartRedis();
        }
        Awaitility.await().atMost(FLIP_TIMEOUT).untilAsserted(() -> readiness().statusCode(200).body("status", equalTo("UP")));
    }

    private static ValidatableResponse readiness() {
        return given().when().get("/q/health/ready").then();
    }
}
