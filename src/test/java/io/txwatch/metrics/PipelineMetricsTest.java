package io.txwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.event.TestEvents;
import io.txwatch.ingest.PipelineProbe;

/** What Grafana users see of the pipeline's work, scraped as Prometheus would, against the real servers. */
@QuarkusTest
class PipelineMetricsTest {

    private static final Duration PROCESSED_WITHIN = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    PipelineProbe probe;

    @Inject
    MeterRegistry registry;

    KafkaCompanion kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void anAnomalyIsCountedOnceByTypeAndSeverityAndTimedFromItsAppendAndItsEventTime() throws Exception {
        String customer = TestEvents.uniqueId("customer");
        String sku = TestEvents.uniqueId("LAPTOP");
        PipelineProbe.listLaptop(given(), sku);
        String id = TestEvents.uniqueId("tx");
        String priceError = TestEvents.laptopPurchase(id, customer, sku, "500.00");
        String marker = TestEvents.uniqueId("tx");
        double before = anomalies("PRICE_VS_CATALOG");
        long timedSinceAppend = latency("append").count();
        long timedSinceEventTime = latency("event-time").count();

        PipelineProbe.publish(kafka, "transactions", customer, priceError);
        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(id) != null);
        PipelineProbe.publish(kafka, "transactions", customer, priceError);
        PipelineProbe.publish(kafka, "transactions", customer, TestEvents.laptopPurchase(marker, customer, sku, "50000.00"));
        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(marker) != null);

        assertThat(anomalies("PRICE_VS_CATALOG")).as("the redelivered event's anomaly counted once").isEqualTo(before + 1);
        assertThat(latency("append").count()).isEqualTo(timedSinceAppend + 1);
        assertThat(latency("event-time").count()).as("sales buckets may close meanwhile").isGreaterThan(timedSinceEventTime);
        // the event happened in September 2026, long before this test ran
        assertThat(latency("event-time").max(java.util.concurrent.TimeUnit.DAYS)).isGreaterThan(1);
    }

    @Test
    void deadLettersAreCountedByCause() {
        String customer = TestEvents.uniqueId("customer");
        String validId = TestEvents.uniqueId("tx");
        String invalid = TestEvents.laptopPurchase(TestEvents.uniqueId("tx"), customer, "SKU", "10")
                .replace("\"quantity\":1", "\"quantity\":0");
        double malformedBefore = deadLetters("malformed");
        double invalidBefore = deadLetters("invalid");

        PipelineProbe.publish(kafka, "transactions", customer, "{\"transactionId\":\"broken\", \"items\": [");
        PipelineProbe.publish(kafka, "transactions", customer, invalid);
        PipelineProbe.publish(kafka, "transactions", customer, TestEvents.laptopPurchase(validId, customer, "SKU", "10"));

        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(validId) != null);
        assertThat(deadLetters("malformed")).isEqualTo(malformedBefore + 1);
        assertThat(deadLetters("invalid")).isEqualTo(invalidBefore + 1);
    }

    @Test
    void theScrapeNamesEveryMetricOfTheCatalogueAndTheServersAnswer() throws Exception {
        String customer = TestEvents.uniqueId("customer");
        String id = TestEvents.uniqueId("tx");
        PipelineProbe.publish(kafka, "transactions", customer, TestEvents.laptopPurchase(id, customer, "SKU", "10"));
        await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(id) != null);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape()).contains(
                "txwatch_dependency_up{server=\"redis\"} 1.0", "txwatch_dependency_up{server=\"postgresql\"} 1.0",
                "txwatch_consumer_lag_records{partition=\"0\",topic=\"transactions\"} 0.0"));
        String scrape = scrape();
        assertThat(scrape).contains(
                "txwatch_anomalies_total{severity=\"CRITICAL\",type=\"SALES_VOLUME\",typology=\"none\"}",
                // a typology's counts under each type it combines, before its first anomaly
                "txwatch_anomalies_total{severity=\"LOW\",type=\"FAILED_PAYMENT_BURST\",typology=\"card-testing\"} 0.0",
                "txwatch_detection_latency_seconds_bucket{since=\"append\"",
                "txwatch_detection_latency_seconds_bucket{since=\"event-time\"",
                "txwatch_detector_events_total{detector=\"HIGH_AMOUNT\"}",
                "txwatch_detector_signals_total{detector=\"HIGH_AMOUNT\",outcome=\"evidence\"}",
                "txwatch_buckets_closed_total{detector=\"SALES_VOLUME\"}",
                "txwatch_buckets_close_lag_seconds{detector=\"SALES_VOLUME\"}",
                "txwatch_dead_letters_total{cause=\"unprocessable\"}",
                "txwatch_work_failures_total{kind=\"server-away\",server=\"redis\"}",
                "txwatch_batches_in_flight",
                "txwatch_batch_in_work_seconds",
                "txwatch_dependency_latency_seconds_bucket{server=\"postgresql\"",
                "txwatch_events_processed_total",
                "txwatch_events_latency_seconds_bucket",
                "kafka_consumer_fetch_manager_records_lag_max{client_id=\"kafka-consumer-transactions\"");
    }

    @Test
    void everyMetricOfTheReadmesCatalogueIsExported() throws Exception {
        Matcher row = Pattern.compile("(?m)^\\| (`txwatch_[a-z_]+`(?:, `txwatch_[a-z_]+`)*) \\|").matcher(
                Files.readString(Path.of("README.md")));
        List<String> catalogued = new ArrayList<>();
        while (row.find()) {
            for (String name : row.group(1).split(", ")) {
                catalogued.add(name.replace("`", ""));
            }
        }
        assertThat(catalogued).hasSizeGreaterThan(20);

        // the lag of a partition is exported once the partition is held and first measured
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<String> exported = scrape().lines().filter(line -> !line.startsWith("#"))
                    .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
            assertThat(catalogued).allSatisfy(name -> assertThat(exported)
                    .as("exported as " + name + " (or its histogram's or summary's series)")
                    .anyMatch(series -> series.equals(name) || series.equals(name + "_count")));
        });
    }

    /** The scrape, with the comma this format leaves after the last label dropped, as PromQL would write it. */
    private static String scrape() {
        return given().accept("text/plain; version=0.0.4").when().get("/q/metrics").then().statusCode(200)
                .extract().asString().replace(",}", "}");
    }

    private double anomalies(String type) {
        return registry.find("txwatch.anomalies").tag("type", type).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Timer latency(String since) {
        return registry.get("txwatch.detection.latency").tag("since", since).timer();
    }

    private double deadLetters(String cause) {
        return registry.get("txwatch.dead.letters").tag("cause", cause).counter().count();
    }
}
