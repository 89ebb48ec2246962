package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.EventBuilder;
import io.txwatch.event.TransactionEvent;

@QuarkusTest
class ImpossibleTravelDetectorTest {

    @Inject
    ImpossibleTravelDetector detector;

    /** The batch's alarms: what the detector flags by its own thresholds. */
    private List<Finding> detect(List<TransactionEvent> batch) {
        return signals(batch).stream().filter(Finding::alarm).toList();
    }

    /** Everything the detector reports about the batch, evidence below its thresholds included. */
    private List<Finding> signals(List<TransactionEvent> batch) {
        return detector.detect(batch).await().atMost(Duration.ofSeconds(10));
    }

    private static EventBuilder inMumbai(String customer, String at) {
        return event().customer(customer).at(at).geo("IN", "Mumbai", 19.0760, 72.8777);
    }

    private static EventBuilder inLondon(String customer, String at) {
        return event().customer(customer).at(at).geo("GB", "London", 51.5074, -0.1278);
    }

    @Test
    void londonAnHourAfterMumbaiIsImpossibleAndTheWayBackIsNotFlaggedAgain() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = List.of(
                inMumbai(customer, "2026-09-16T09:00:00Z").id(customer + "-home").build(),
                inLondon(customer, "2026-09-16T10:05:00Z").id(customer + "-london").build(),
                inMumbai(customer, "2026-09-16T11:00:00Z").build());

        assertThat(detect(batch)).singleElement().satisfies(finding -> {
            assertThat(finding.type()).isEqualTo(AnomalyType.IMPOSSIBLE_TRAVEL);
            assertThat(finding.transactionId()).isEqualTo(customer + "-london");
            assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(finding.explanation()).isEqualTo("Transaction " + customer + "-london: Alice Johnson (customer "
                    + customer + ") paid from London, GB, 7,192 km from Mumbai, IN where they paid 1 h 05 min earlier "
                    + "(transaction " + customer + "-home) — 6,638 km/h, above the 900 km/h anyone can travel. CRITICAL.");
        });
    }

    @Test
    void aFlightsWorthOfTimeBetweenThePlacesIsNotFlagged() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = List.of(inMumbai(customer, "2026-09-16T00:00:00Z").build(),
                inLondon(customer, "2026-09-16T10:00:00Z").build());

        assertThat(detect(batch)).isEmpty();
    }

    @Test
    void nearbyPlacesAndEventsWithoutCoordinatesAreSkipped() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = List.of(
                inMumbai(customer, "2026-09-16T09:00:00Z").build(),
                event().customer(customer).at("2026-09-16T09:00:30Z").geo("IN", "Thane", 19.2183, 72.9781).build(),
                event().customer(customer).at("2026-09-16T09:01:00Z").noGeo().build(),
                event().customer(customer).at("2026-09-16T09:02:00Z").geo("GB", "London", null, null).build());

        assertThat(detect(batch)).isEmpty();
    }

    @Test
    void aThiefAfterAQuietDayIsStillCaught() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = List.of(
                inMumbai(customer, "2026-09-15T09:00:00Z").build(),
                inMumbai(customer, "2026-09-16T09:00:00Z").build(),
                inLondon(customer, "2026-09-16T10:00:00Z").build());

        assertThat(detect(batch)).hasSize(1);
    }
}
