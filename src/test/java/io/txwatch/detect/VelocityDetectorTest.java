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
import io.txwatch.window.SlidingCount;

@QuarkusTest
class VelocityDetectorTest {

    private static final Instant START = Instant.parse("2026-09-16T09:05:40Z");

    @Inject
    VelocityDetector detector;

    private static List<TransactionEvent> burst(String customer, int count, Duration gap) {
        List<TransactionEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event().id(customer + "-" + i).customer(customer).at(START.plus(gap.multipliedBy(i))).build());
        }
        return events;
    }

    /** The batch's alarms: what the detector flags by its own thresholds. */
    private List<Finding> detect(List<TransactionEvent> batch) {
        return signals(batch).stream().filter(Finding::alarm).toList();
    }

    /** Everything the detector reports about the batch, evidence below its thresholds included. */
    private List<Finding> signals(List<TransactionEvent> batch) {
        return detector.detect(batch).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aBurstAcrossAMinuteBoundaryIsOneAnomalyOnTheTransactionThatCrossedTheLimit() {
        String customer = "c-" + UUID.randomUUID();

        List<Finding> findings = detect(burst(customer, 8, Duration.ofSeconds(5)));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.type()).isEqualTo(AnomalyType.VELOCITY);
            assertThat(finding.transactionId()).isEqualTo(customer + "-5");
            assertThat(finding.severity()).isEqualTo(Severity.HIGH);
            assertThat(finding.explanation()).isEqualTo("Alice Johnson (customer " + customer + ") made 6 transactions "
                    + "within 25 s (09:05:40–09:06:05 UTC), above the limit of 5 per 1 min — a bot, a scripted checkout "
                    + "or card testing. HIGH.");
        });
    }

    @Test
    void batchesOfOneEventEachSeeTheSameWindow() {
        String customer = "c-" + UUID.randomUUID();
        List<Finding> findings = new ArrayList<>();

        burst(customer, 6, Duration.ofSeconds(11)).forEach(event -> findings.addAll(detect(List.of(event))));

        assertThat(findings).extracting(Finding::transactionId).containsExactly(customer + "-5");
    }

    @Test
    void fiveTransactionsInAMinuteOrSixSpreadOverMoreThanAMinuteAreNotFlagged() {
        assertThat(detect(burst("c-" + UUID.randomUUID(), 5, Duration.ofSeconds(2)))).isEmpty();
        assertThat(detect(burst("c-" + UUID.randomUUID(), 6, Duration.ofSeconds(12)))).isEmpty();
    }

    @Test
    void improbablyManyTransactionsBelowTheLimitAreEvidenceGrowingWithTheCount() {
        List<Finding> signals = signals(burst("c-" + UUID.randomUUID(), 5, Duration.ofSeconds(2)));

        assertThat(signals).as("the third, fourth and fifth of five").hasSize(3).noneMatch(Finding::alarm);
        assertThat(signals).extracting(finding -> finding.evidence().get("transactionsInWindow")).containsExactly(3L, 4L, 5L);
        assertThat(signals).extracting(Finding::strength).containsExactly(Strength.ofCount(3, 0.5), Strength.ofCount(4, 0.5),
                Strength.ofCount(5, 0.5)).isSorted();
        assertThat(signals.get(2).explanation()).endsWith("made 5 transactions within 8 s.");
    }

    @Test
    void scoringTheSameBatchAgainYieldsTheSameFindingAndCountsNothingTwice() {
        List<TransactionEvent> batch = burst("c-" + UUID.randomUUID(), 7, Duration.ofSeconds(3));

        List<Finding> first = detect(batch);
        List<Finding> again = detect(batch);

        assertThat(again).extracting(Finding::dedupKey).isEqualTo(first.stream().map(Finding::dedupKey).toList());
        assertThat(again.get(0).evidence().get("transactionsInWindow")).isEqualTo(6L);
    }

    @Test
    void severityFollowsHowFastTheBurstWas() {
        VelocityDetector pure = new VelocityDetector(DetectorConfigs.defaults(VelocityDetector.Config.class),
                DetectorConfigs.defaults(RiskConfig.class), null, null);
        TransactionEvent event = event().at(START).anonymous().customer("7").build();

        Finding fast = pure.judge(event, new SlidingCount.Result(6, true, START.minusSeconds(8))).orElseThrow();
        Finding slow = pure.judge(event, new SlidingCount.Result(6, true, START.minusSeconds(55))).orElseThrow();

        assertThat(fast.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(slow.severity()).isEqualTo(Severity.MODERATE);
        assertThat(slow.explanation()).startsWith("Customer 7 made 6 transactions within 55 s");
        assertThat(pure.judge(event, new SlidingCount.Result(7, false, START))).isEmpty();
    }
}
