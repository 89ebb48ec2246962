package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;

@QuarkusTest
class FailedPaymentBurstDetectorTest {

    private static final Instant START = Instant.parse("2026-09-16T09:01:00Z");

    @Inject
    FailedPaymentBurstDetector detector;

    /** The batch's alarms: what the detector flags by its own thresholds. */
    private List<Finding> detect(List<TransactionEvent> batch) {
        return signals(batch).stream().filter(Finding::alarm).toList();
    }

    /** Everything the detector reports about the batch, evidence below its thresholds included. */
    private List<Finding> signals(List<TransactionEvent> batch) {
        return detector.detect(batch).await().atMost(Duration.ofSeconds(10));
    }

    private static TransactionEvent failure(String customer, int index, Duration after) {
        return event().id(customer + "-" + index).customer(customer).at(START.plus(after)).failed("card_declined").build();
    }

    @Test
    void threeFailuresWithinTenMinutesAreOneBurstEvenWithSuccessesBetween() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = List.of(
                failure(customer, 0, Duration.ZERO),
                event().customer(customer).at(START.plusSeconds(30)).build(),
                failure(customer, 1, Duration.ofMinutes(3)),
                failure(customer, 2, Duration.ofMinutes(4).plusSeconds(10)),
                failure(customer, 3, Duration.ofMinutes(6)));

        List<Finding> findings = detect(batch);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.type()).isEqualTo(AnomalyType.FAILED_PAYMENT_BURST);
            assertThat(finding.transactionId()).isEqualTo(customer + "-2");
            assertThat(finding.severity()).isEqualTo(Severity.MODERATE);
            assertThat(finding.explanation()).isEqualTo("Alice Johnson (customer " + customer + ") had 3 failed payments "
                    + "within 4 min 10 s (09:01:00–09:05:10 UTC), the limit is 3 per 10 min; last reason: card_declined — "
                    + "a stolen card being tried, or a broken checkout. MODERATE.");
        });
    }

    @Test
    void failuresFurtherApartThanTheWindowAreNotABurst() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = List.of(failure(customer, 0, Duration.ZERO),
                failure(customer, 1, Duration.ofMinutes(6)), failure(customer, 2, Duration.ofMinutes(10)));

        assertThat(detect(batch)).isEmpty();
    }

    @Test
    void failuresInQuickSuccessionAreHigh() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batch.add(failure(customer, i, Duration.ofSeconds(20L * i)));
        }

        assertThat(detect(batch)).singleElement().extracting(Finding::severity).isEqualTo(Severity.HIGH);
    }
}
