package io.txwatch.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.event.TestEvents;
import io.txwatch.ingest.PipelineProbe;

/**
 * Two thousand fuzzed requests to every endpoint on loopback: none gets a 5xx, and an event sent after them is still
 * processed, so none stalled the service.
 */
@QuarkusTest
class HttpFuzzTest {

    private static final int REQUESTS = 2000;

    @TestHTTPResource("/")
    URL base;

    @Inject
    PipelineProbe probe;

    @Test
    void noRequestGetsAServerErrorOrStallsTheService() throws Exception {
        HttpFuzz fuzz = new HttpFuzz(29, URI.create(base.toString()));
        List<String> serverErrors = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (HttpFuzz.Fuzzed fuzzed : fuzz.next(REQUESTS)) {
            HttpResponse<String> response;
            try {
                response = client.send(fuzzed.request(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException closedBeforeThisRequest) {
                // the server may close a kept-alive connection after answering the previous request without reading its
                // body; a client sends again on a new connection, and only a second failure is this request's own
                try {
                    response = client.send(fuzzed.request(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    serverErrors.add("no answer (" + e + ") for " + fuzzed.description());
                    continue;
                }
            }
            if (response.statusCode() >= 500) {
                serverErrors.add(response.statusCode() + " for " + fuzzed.description() + ": "
                        + response.body().substring(0, Math.min(300, response.body().length())));
            }
        }
        assertThat(serverErrors).isEmpty();

        String id = TestEvents.uniqueId("tx");
        given().contentType("application/json").body(TestEvents.laptopPurchase(id, "after-fuzz", "SKU", "10"))
                .when().post("/api/v1/transactions").then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> probe.processedCount(id) == 1);
    }
}
