package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

@QuarkusTest
class HighAmountDetectorTest {

    private static final Instant START = Instant.parse("2026-09-16T09:00:00Z");

    @Inject
    HighAmountDetector.Config config;

    @Inject
    RiskConfig risk;

    @Inject
    WindowStore store;

    @Inject
    DetectorMetrics metrics;

    /** Keys of this test's own, so that no other test's customers form the shop's population. */
    private HighAmountDetector detector;

    @BeforeEach
    void freshKeys() {
        detector = new HighAmountDetector(config, risk, DetectorConfigs.defaults(WindowConfig.class,
                Map.of("txwatch.windows.key-prefix", "test-" + UUID.randomUUID())), store, metrics);
    }

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
        return payments(customer, START, amounts);
    }

    private static List<TransactionEvent> payments(String customer, Instant from, String... amounts) {
        List<TransactionEvent> events = new ArrayList<>();
        for (int i = 0; i < amounts.length; i++) {
            events.add(event().id(customer + "-" + i).customer(customer).at(from.plus(Duration.ofHours(i)))
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
    @Test
    void aThinHistoryIsJudgedByHowMuchTheShopsWellKnownCustomersVaryToo() {
        String[] alwaysTheSame = { "1000.00", "1000.00", "1000.00", "1000.00", "1000.00", "1000.00", "1000.00", "1000.00" };
        assertThat(detect(payments("c-" + UUID.randomUUID(), with(alwaysTheSame, "8000.00"))))
                .as("eight times what the customer always pays, with no population known: log 8 / 0.5 = 4.2 spreads")
                .hasSize(1);

        // five customers of twenty payments before one more, the day before, whose baskets vary between 400 and 3000
        List<TransactionEvent> wellKnown = new ArrayList<>();
        String[] varied = { "500.00", "1500.00", "700.00", "3000.00", "1200.00", "600.00", "2500.00", "1000.00", "400.00",
                "2000.00" };
        for (int customer = 0; customer < 5; customer++) {
            wellKnown.addAll(payments("known-" + customer + "-" + UUID.randomUUID(), START.minus(Duration.ofDays(1)),
                    with(varied, with(varied, "1000.00"))));
        }
        detect(wellKnown);

        assertThat(signals(payments("c-" + UUID.randomUUID(), with(alwaysTheSame, "8000.00"))))
                .as("the same eight times, now that the shop's customers are known to vary").singleElement()
                .satisfies(evidence -> {
                    assertThat(evidence.alarm()).isFalse();
                    double population = (Double) evidence.evidence().get("populationLogSpread");
                    assertThat(population).isBetween(0.6, 1.1);
                    assertThat((Double) evidence.evidence().get("robustZ"))
                            .isCloseTo(Math.log(8) / ((8 * 0.5 + 20 * population) / 28), org.assertj.core.api.Assertions.within(1e-9));
                });
        assertThat(detect(payments("c-" + UUID.randomUUID(), with(alwaysTheSame, "30000.00"))))
                .as("thirty times is still far outside it").hasSize(1);
    }

    private static String[] with(String[] amounts, String... more) {
        String[] all = java.util.Arrays.copyOf(amounts, amounts.length + more.length);
        System.arraycopy(more, 0, all, amounts.length, more.length);
        return all;
    }
}
