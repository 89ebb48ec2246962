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
class HighAmountDetectorTest {

    private static final Instant START = Instant.parse("2026-09-16T09:00:00Z");

    @Inject
    HighAmountDetector detector;

    /** The batch's alarms: what the detector flags by its own thresholds. */
    private List<Finding> detect(List<TransactionEvent> batch) {
        return signals(batch).stream().filter(Finding::alarm).toList();
    }

    /** Everything the detector reports about the batch, evidence below its thresholds included. */
    private List<Finding> signals(List<TransactionEvent> batch) {
        return detector.detect(batch).await().atMost(Duration.ofSeconds(10));
    }

    /** One customer's payments of the given amounts, an hour apart. */
    private static List<TransactionEvent> payments(String customer, String... amounts) {
        List<TransactionEvent> events = new ArrayList<>();
        for (int i = 0; i < amounts.length; i++) {
            events.add(event().id(customer + "-" + i).customer(customer).at(START.plus(Duration.ofHours(i)))
                    .item("SKU-1", 1, amounts[i]).build());
        }
        return events;
    }

    @Test
    void anAmountFarAboveTheCustomersHistoryIsFlaggedWithItsNumbers() {
        String customer = "c-" + UUID.randomUUID();

        List<Finding> findings = detect(payments(customer, "2000.00", "2400.00", "1800.00", "2200.00", "1600.00", "2100.00", "1900.00", "2000.00", "60000.00"));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.type()).isEqualTo(AnomalyType.HIGH_AMOUNT);
            assertThat(finding.transactionId()).isEqualTo(customer + "-8");
            assertThat(finding.severity()).isEqualTo(Severity.HIGH);
            assertThat(finding.explanation()).startsWith("Transaction " + customer + "-8: Alice Johnson (customer " + customer
                    + ") paid ₹60,000.00, 30.0 times this customer's usual ₹2,000.00 (median of 8 payments, half of them "
                    + "between ").endsWith(". HIGH.");
        });
    }

    @Test
    void aLargerBasketOfAnOrdinaryCustomerAndAnyAmountWithoutHistoryBelowTheLimitAreNotFlagged() {
        assertThat(detect(payments("c-" + UUID.randomUUID(), "2000.00", "2400.00", "1800.00", "2200.00", "1600.00", "2100.00", "1900.00", "2000.00", "7000.00")))
                .isEmpty();
        assertThat(detect(payments("c-" + UUID.randomUUID(), "480000.00"))).isEmpty();
    }

    @Test
    void aCustomerWhosePaymentsVaryWidelyIsJudgedAgainstThatVariation() {
        assertThat(detect(payments("c-" + UUID.randomUUID(), "300.00", "4000.00", "800.00", "2500.00", "150.00", "1200.00",
                "600.00", "3500.00", "7000.00"))).as("seven times the median, within the customer's usual variation").isEmpty();
        assertThat(detect(payments("c-" + UUID.randomUUID(), "1000.00", "1000.00", "1000.00", "1000.00", "1000.00",
                "1000.00", "1000.00", "1000.00", "10000.00"))).as("ten times what the customer always pays")
                .singleElement().extracting(Finding::severity).isEqualTo(Severity.MODERATE);
        assertThat(signals(payments("c-" + UUID.randomUUID(), "1000.00", "1000.00", "1000.00", "1000.00", "1000.00",
                "1000.00", "1000.00", "1000.00", "7000.00")))
                .as("seven times: 3.9 of the least spread, since eight payments cannot show how much baskets vary")
                .singleElement().satisfies(evidence -> {
                    assertThat(evidence.alarm()).isFalse();
                    assertThat(evidence.strength()).isEqualTo(Strength.ofZ(Math.log(7) / 0.5));
                });
    }

    @Test
    void aThinHistoryFlagsOnlyAFarLargerAmount() {
        assertThat(detect(payments("c-" + UUID.randomUUID(), "19.50", "19.50", "13.00", "13.00", "19.50", "13.00", "1630.00")))
                .as("a hundred times the median of six payments").singleElement()
                .extracting(Finding::severity).isEqualTo(Severity.HIGH);
        assertThat(detect(payments("c-" + UUID.randomUUID(), "160.00", "175.00", "229.00", "170.00", "180.00", "1318.00")))
                .as("eight times the median of five payments: within what five payments cannot rule out").isEmpty();
    }

    @Test
    void anAmountAboveTheCurrencyLimitIsFlaggedWithoutAnyHistory() {
        String customer = "c-" + UUID.randomUUID();

        assertThat(detect(payments(customer, "612000.00"))).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.HIGH);
            assertThat(finding.explanation()).endsWith("paid ₹612,000.00, above the limit of ₹500,000.00 for INR. HIGH.");
        });
    }

    @Test
    void aboveBothTheLimitAndTheHistoryIsCritical() {
        String customer = "c-" + UUID.randomUUID();

        List<Finding> findings = detect(payments(customer, "2000.00", "2400.00", "1800.00", "2200.00", "1600.00", "2100.00", "1900.00", "2000.00", "700000.00"));

        assertThat(findings).singleElement().extracting(Finding::severity).isEqualTo(Severity.CRITICAL);
    }
}
