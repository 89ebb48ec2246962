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
import io.txwatch.window.RollingSample;

@QuarkusTest
class UnusualHourDetectorTest {

    /** 14:00 in Mumbai (UTC+05:30). */
    private static final Instant AFTERNOON_IN_MUMBAI = Instant.parse("2026-09-01T08:30:00Z");

    @Inject
    UnusualHourDetector detector;

    private List<Finding> detect(List<TransactionEvent> batch) {
        return detector.detect(batch).await().atMost(Duration.ofSeconds(10));
    }

    /** A customer's purchases in Mumbai, one a day at 14:00–16:59 local time. */
    private static List<TransactionEvent> afternoons(String customer, int days) {
        List<TransactionEvent> events = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            events.add(event().customer(customer).at(AFTERNOON_IN_MUMBAI.plus(Duration.ofDays(day)).plus(Duration.ofHours(day % 3)))
                    .build());
        }
        return events;
    }

    @Test
    void aPurchaseAtAnHourOutsideTheCustomersOwnProfileIsFlagged() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = new ArrayList<>(afternoons(customer, 20));
        // 08:10 in Mumbai: not night, but this customer always buys in the afternoon
        batch.add(event().id(customer + "-morning").customer(customer).at("2026-09-21T02:40:00Z").build());

        assertThat(detect(batch)).singleElement().satisfies(finding -> {
            assertThat(finding.type()).isEqualTo(AnomalyType.UNUSUAL_HOUR);
            assertThat(finding.transactionId()).isEqualTo(customer + "-morning");
            assertThat(finding.severity()).isEqualTo(Severity.HIGH);
            assertThat(finding.explanation()).isEqualTo("Transaction " + customer + "-morning: Alice Johnson (customer "
                    + customer + ") bought at 08:10 local time (Asia/Kolkata), an hour this customer (almost) never buys "
                    + "in: 0 of their 20 purchases in the last 30 days fell between 07:00 and 09:59. HIGH.");
        });
    }

    @Test
    void aPurchaseNextToTheUsualHoursIsNotFlagged() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = new ArrayList<>(afternoons(customer, 20));
        // 13:10 in Mumbai, an hour before this customer's earliest
        batch.add(event().customer(customer).at("2026-09-21T07:40:00Z").build());

        assertThat(detect(batch)).isEmpty();
    }

    @Test
    void withLittleHistoryTheNightWindowInTheCustomersTimeZoneDecides() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = new ArrayList<>(afternoons(customer, 3));
        // 03:10 in Mumbai, but 21:40 UTC: the customer's zone, not UTC, makes it night
        batch.add(event().id(customer + "-night").customer(customer).at("2026-09-20T21:40:00Z").build());
        // 23:40 in Mumbai: late, but not night
        batch.add(event().customer(customer).at("2026-09-21T18:10:00Z").build());

        assertThat(detect(batch)).singleElement().satisfies(finding -> {
            assertThat(finding.transactionId()).isEqualTo(customer + "-night");
            assertThat(finding.severity()).isEqualTo(Severity.MODERATE);
            assertThat(finding.explanation()).endsWith("bought at 03:10 local time (Asia/Kolkata), inside the night window "
                    + "00:00–05:59, with too little history (3 purchases since 2026-09-01) for a profile of their own. MODERATE.");
        });
    }

    @Test
    void withoutAnyLocationTheNightIsUtc() {
        TransactionEvent event = event().noGeo().at("2026-09-20T02:30:00Z").build();

        assertThat(detect(List.of(event))).singleElement()
                .satisfies(finding -> assertThat(finding.explanation()).contains("bought at 02:30 UTC (no location known)"));
    }

    @Test
    void aFullProfileOfAFrequentBuyerDecidesEvenWhenItSpansLessThanAWeek() {
        // 00:30 in Mumbai, at night; the customer made 30 of their last purchases around this hour
        TransactionEvent night = event().at("2026-09-20T19:00:00Z").build();
        Instant threeDaysBefore = night.occurredAt().minus(Duration.ofDays(3));

        assertThat(detector.judge(night, TimeZones.of(night.geo()), new RollingSample.Stats(200, 0, 0, 0, 30, threeDaysBefore, 0, 0)))
                .as("200 purchases (a full profile) in three days").isEmpty();
        assertThat(detector.judge(night, TimeZones.of(night.geo()), new RollingSample.Stats(100, 0, 0, 0, 30, threeDaysBefore, 0, 0)))
                .as("100 purchases in three days: too short a profile, the night window decides").isPresent();
    }
}
