package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

@QuarkusTest
class UnusualHourDetectorTest {

    /** 14:00 in Mumbai (UTC+05:30). */
    private static final Instant AFTERNOON_IN_MUMBAI = Instant.parse("2026-09-01T08:30:00Z");

    @Inject
    WindowStore store;

    @Inject
    DetectorMetrics metrics;

    /** Keys of this test's own, so that the shop's profile holds this test's purchases only. */
    private final WindowConfig windows = DetectorConfigs.defaults(WindowConfig.class,
            Map.of("txwatch.windows.key-prefix", "test-" + UUID.randomUUID()));

    private UnusualHourDetector detector() {
        return new UnusualHourDetector(DetectorConfigs.defaults(UnusualHourDetector.Config.class),
                DetectorConfigs.defaults(RiskConfig.class), windows, store, metrics);
    }

    /** The batch's alarms: what the detector flags by its own thresholds. */
    private List<Finding> detect(List<TransactionEvent> batch) {
        return signals(batch).stream().filter(Finding::alarm).toList();
    }

    /** Everything the detector reports about the batch, evidence below its thresholds included. */
    private List<Finding> signals(List<TransactionEvent> batch) {
        return detector().detect(batch).await().atMost(Duration.ofSeconds(10));
    }

    /** Nobody else in the shop buys at that time of day. */
    private static final UnusualHourDetector.ShopTimeOfDay NOBODY = new UnusualHourDetector.ShopTimeOfDay(0, 0, 4);

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
                    + "in: 0 of their 20 purchases in the last 90 days fell between 07:00 and 09:59 (the hour either side counting half), and 0.0 % of the shop's. HIGH.");
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
    void twoHoursBeforeTheUsualHoursIsTheEdgeOfAHabitButFiveAreNot() {
        String customer = "c-" + UUID.randomUUID();
        // one a day between 16:00 and 18:59 in Mumbai, a 16:xx one every third day
        List<TransactionEvent> batch = new ArrayList<>(afternoons(customer, 21).stream()
                .map(purchase -> event().id(purchase.transactionId()).customer(customer)
                        .at(purchase.occurredAt().plus(Duration.ofHours(2))).build()).toList());
        // 14:10 in Mumbai: none of 21 between 13:00 and 15:59, seven at 16:xx counting half
        TransactionEvent edge = event().id(customer + "-edge").customer(customer).at("2026-09-22T08:40:00Z").build();
        // 11:10: none between 10:00 and 12:59, none at 09:xx or 13:xx
        TransactionEvent earlier = event().id(customer + "-earlier").customer(customer).at("2026-09-23T05:40:00Z").build();
        batch.add(edge);
        batch.add(earlier);

        assertThat(detect(batch)).extracting(Finding::transactionId).containsExactly(customer + "-earlier");
    }

    @Test
    void inTheNightTheEdgeOfAHabitHidesNothing() {
        String customer = "c-" + UUID.randomUUID();
        // one a day between 21:00 and 23:59 in Mumbai, a 23:xx one every third day
        List<TransactionEvent> batch = new ArrayList<>(afternoons(customer, 21).stream()
                .map(purchase -> event().id(purchase.transactionId()).customer(customer)
                        .at(purchase.occurredAt().plus(Duration.ofHours(7))).build()).toList());
        // 01:10 in Mumbai: none of 21 between 00:00 and 02:59; the seven at 23:xx would count half by day
        batch.add(event().id(customer + "-night").customer(customer).at("2026-09-22T19:40:00Z").build());

        assertThat(detect(batch)).singleElement().satisfies(finding -> {
            assertThat(finding.transactionId()).isEqualTo(customer + "-night");
            assertThat(finding.explanation()).contains("bought at 01:10 local time (Asia/Kolkata)",
                    "0 of their 21 purchases in the last 90 days fell between 00:00 and 02:59, and");
        });
    }

    @Test
    void oneEarlierPurchaseAtNightMakesNoHabitOfTheNight() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = new ArrayList<>(afternoons(customer, 40));
        // 02:10 in Mumbai, once, then again nine days later
        batch.add(event().id(customer + "-first").customer(customer).at("2026-10-10T20:40:00Z").build());
        batch.add(event().id(customer + "-again").customer(customer).at("2026-10-19T20:40:00Z").build());

        List<Finding> findings = detect(batch);

        assertThat(findings).extracting(Finding::transactionId).containsExactly(customer + "-first", customer + "-again");
        assertThat(findings.get(1).explanation()).contains("1 of their 41 purchases in the last 90 days fell between "
                + "01:00 and 03:59").endsWith("MODERATE.");
    }

    @Test
    void aTimeOfDayWhenManyShoppersBuyNeedsALongerProfileToBeUnusual() {
        List<TransactionEvent> before = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // other shoppers' breakfast-time purchases in the week before, 08:00-08:59 in Mumbai
            before.add(event().customer("early-" + i).at(Instant.parse("2026-09-14T02:30:00Z").plus(Duration.ofDays(i % 7))
                    .plusSeconds(i * 15L)).build());
        }
        String customer = "c-" + UUID.randomUUID();
        before.addAll(afternoons(customer, 20));
        detect(before.stream().sorted(Comparator.comparing(TransactionEvent::occurredAt)).toList());

        assertThat(detect(List.of(event().customer(customer).at("2026-09-21T02:40:00Z").build())))
                .as("no morning among twenty afternoons, but mornings are when this shop sells").isEmpty();
    }

    @Test
    void withoutAProfileOfTheirOwnNobodyIsFlaggedEvenAtNight() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = new ArrayList<>(afternoons(customer, 3));
        // 03:10 in Mumbai
        batch.add(event().customer(customer).at("2026-09-20T21:40:00Z").build());

        assertThat(detect(batch)).isEmpty();
    }

    @Test
    void aNightPurchaseWithoutAProfileIsWeakEvidenceAsStrongAsTheShopsNightsAreQuiet() {
        List<TransactionEvent> shop = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            shop.add(event().customer("day-" + i).at(AFTERNOON_IN_MUMBAI.plus(Duration.ofDays(i % 5)).plusSeconds(i * 3L)).build());
        }
        detect(shop.subList(0, 1000));
        detect(shop.subList(1000, 2000));
        String customer = "c-" + UUID.randomUUID();
        // 03:10 in Mumbai, and 14:10
        TransactionEvent night = event().customer(customer).at("2026-09-06T21:40:00Z").build();
        TransactionEvent day = event().customer(customer).at("2026-09-07T08:40:00Z").build();

        assertThat(signals(List.of(night, day))).singleElement().satisfies(evidence -> {
            assertThat(evidence.transactionId()).isEqualTo(night.transactionId());
            assertThat(evidence.alarm()).isFalse();
            assertThat(evidence.strength()).as("none of 2000 around 03:00 (three hours, no edges at night), one purchase "
                    + "added to every hour, counting half").isEqualTo(0.5 * Strength.ofTail(3.0 / 2024));
            assertThat(evidence.explanation()).contains("at night, when 0.0 % of the shop's purchases are made");
        });
    }

    @Test
    void purchasesWithoutALocationOfACustomerWithoutAHomeZoneAreNeitherJudgedNorProfiled() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> batch = new ArrayList<>();
        // 02:30 UTC, in nobody knows which zone: this customer has never bought with a location
        batch.add(event().customer(customer).noGeo().at("2026-09-01T02:30:00Z").build());
        batch.addAll(afternoons(customer, 20));
        // the twenty afternoons alone are the profile that judges this morning purchase: 08:10 in Mumbai
        batch.add(event().id(customer + "-morning").customer(customer).at("2026-09-22T02:40:00Z").build());

        assertThat(signals(List.of(batch.get(0)))).as("nothing known of this customer's clock").isEmpty();
        assertThat(detect(batch.subList(1, batch.size()))).singleElement().satisfies(finding -> {
            assertThat(finding.transactionId()).isEqualTo(customer + "-morning");
            assertThat(finding.explanation()).contains("0 of their 20 purchases");
        });
    }

    @Test
    void aPurchaseWithoutALocationIsJudgedInTheCustomersHomeZone() {
        String customer = "c-" + UUID.randomUUID();
        assertThat(detect(afternoons(customer, 20))).isEmpty();
        // 03:00 in Mumbai, where all twenty located purchases were made, and 16:00 there
        TransactionEvent night = event().id(customer + "-night").customer(customer).noGeo().at("2026-09-21T21:30:00Z").build();
        TransactionEvent afternoon = event().id(customer + "-afternoon").customer(customer).noGeo()
                .at("2026-09-22T10:30:00Z").build();

        assertThat(detect(List.of(night, afternoon))).singleElement().satisfies(finding -> {
            assertThat(finding.transactionId()).isEqualTo(customer + "-night");
            assertThat(finding.explanation()).contains("03:00 local time (Asia/Kolkata, the customer's home zone")
                    .contains("0 of their 20 purchases");
            assertThat(finding.evidence()).containsEntry("timeZoneFrom", "home zone");
        });
    }

    @Test
    void noZoneIsHomeWhereNoneHoldsMostOfTheLocatedPurchases() {
        String customer = "c-" + UUID.randomUUID();
        // eight afternoons in Mumbai, the most of any one zone, and twelve elsewhere, all at 15:00 local time
        List<TransactionEvent> history = new ArrayList<>(afternoons(customer, 8));
        List<String[]> abroad = List.of(new String[] { "GB", "London", "T14:00:00Z" }, new String[] { "DE", "Berlin", "T13:00:00Z" },
                new String[] { "JP", "Tokyo", "T06:00:00Z" }, new String[] { "AE", "Dubai", "T11:00:00Z" });
        for (int i = 0; i < 12; i++) {
            String[] place = abroad.get(i % abroad.size());
            history.add(event().customer(customer).geo(place[0], place[1], null, null)
                    .at("2026-09-%02d%s".formatted(10 + i, place[2])).build());
        }
        assertThat(detect(history)).isEmpty();
        // 03:00 in Mumbai, an hour none of the twenty was bought at in its own zone
        TransactionEvent night = event().customer(customer).noGeo().at("2026-09-22T21:30:00Z").build();

        assertThat(signals(List.of(night))).as("8 of 20 in Mumbai: no zone holds most, so no home zone").isEmpty();
    }

    @Test
    void aFullProfileOfAFrequentBuyerDecidesEvenWhenItSpansLessThanADay() {
        // 00:30 in Mumbai; the customer made none of their last purchases around this hour
        TransactionEvent night = event().at("2026-09-20T19:00:00Z").build();
        Instant sixHoursBefore = night.occurredAt().minus(Duration.ofHours(6));

        assertThat(detector().judge(night, TimeZones.of(night.geo()).orElseThrow(), false,
                new RollingSample.Stats(200, 0, 0, 0, 0, sixHoursBefore, 0, 0), NOBODY))
                .as("200 purchases (a full profile) in six hours").isPresent();
        assertThat(detector().judge(night, TimeZones.of(night.geo()).orElseThrow(), false,
                new RollingSample.Stats(100, 0, 0, 0, 0, sixHoursBefore, 0, 0), NOBODY))
                .as("100 purchases in six hours: too short a profile").isEmpty();
    }
}
