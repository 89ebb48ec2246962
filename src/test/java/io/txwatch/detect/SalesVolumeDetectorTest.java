package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Optional;
import java.util.NavigableMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.LateEvents;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/** The volume detector on the real Redis, each test with keys of its own and a wall clock it moves by hand. */
@QuarkusTest
class SalesVolumeDetectorTest {

    private static final Instant T0 = Instant.parse("2026-09-16T10:00:00Z");
    private static final Duration AWAIT = Duration.ofSeconds(20);

    @Inject
    WindowStore store;

    @Inject
    LateEvents lateEvents;

    @Inject
    DetectorMetrics detectorMetrics;

    @Inject
    MeterRegistry registry;

    private final MovableClock wallClock = new MovableClock(Instant.parse("2026-11-21T12:00:00Z"));
    private final List<Finding> persisted = Collections.synchronizedList(new ArrayList<>());

    private SalesVolumeDetector detector(String keyPrefix) {
        WindowConfig windows = DetectorConfigs.defaults(WindowConfig.class, Map.of("txwatch.windows.key-prefix", keyPrefix));
        return new SalesVolumeDetector(DetectorConfigs.defaults(SalesVolumeDetector.Config.class), windows, store,
                lateEvents, detectorMetrics, wallClock);
    }

    private static String freshPrefix() {
        return "test-" + UUID.randomUUID();
    }

    /** {@code count} sales of ₹1,000 in minute {@code minute} after T0, two thirds on the web and one third in the app. */
    private static List<TransactionEvent> minute(int minute, int count) {
        return minute(minute, count, "1000.00");
    }

    private static List<TransactionEvent> minute(int minute, int count, String price) {
        List<TransactionEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = T0.plus(Duration.ofMinutes(minute)).plusMillis(i * 59_000L / Math.max(1, count));
            events.add(event().id("m" + minute + "-" + i).at(at).channel(i % 3 == 2 ? "app" : "web").item("SKU-1", 1, price).build());
        }
        return events;
    }

    private static EventBatch batch(List<TransactionEvent> events) {
        return EventBatch.of(events, Set.of(), Map.of(0, events.get(events.size() - 1).occurredAt()));
    }

    private void feed(SalesVolumeDetector detector, int fromMinute, int toMinute, int perMinute) {
        for (int minute = fromMinute; minute <= toMinute; minute++) {
            detector.accumulate(batch(minute(minute, perMinute))).await().atMost(AWAIT);
        }
    }

    /** Closes what is due, as a replica whose consumer has processed partition 0 (the tests' only one) to its end. */
    private int closeAll(SalesVolumeDetector detector) {
        return closeAll(detector, Set.of(0));
    }

    private int closeAll(SalesVolumeDetector detector, Set<Integer> caughtUp) {
        int judged = 0;
        int round;
        do {
            round = detector.closeDue(wallClock.instant(), caughtUp, findings -> {
                persisted.addAll(findings);
                return Uni.createFrom().voidItem();
            }).await().atMost(AWAIT);
            judged += round;
        } while (round > 0);
        return judged;
    }

    /** The start of each episode reported, in the order first reported. */
    private List<String> episodeStarts() {
        return latest().stream().map(finding -> finding.subject().substring(11, 16)).toList();
    }

    /** Each anomaly as the store keeps it: its highest revision. */
    private List<Finding> latest() {
        Map<String, Finding> latest = new java.util.LinkedHashMap<>();
        persisted.forEach(finding -> latest.merge(finding.dedupKey(), finding,
                (one, other) -> other.revision() > one.revision() ? other : one));
        return List.copyOf(latest.values());
    }

    @Test
    void minutesWithoutSalesBetweenNormalOnesAreOneOutageReportedAtOnce() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 39, 60);
        feed(detector, 45, 46, 60);

        int judged = closeAll(detector);

        assertThat(judged).isEqualTo(46);
        assertThat(episodeStarts()).containsExactly("10:40");
        assertThat(persisted.get(0)).satisfies(opened -> {
            assertThat(opened.type()).isEqualTo(AnomalyType.SALES_VOLUME);
            assertThat(opened.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(opened.occurredAt()).isEqualTo(T0.plus(Duration.ofMinutes(40)));
            assertThat(opened.revision()).isEqualTo(1);
            assertThat(opened.explanation()).isEqualTo("10:40–10:41 UTC: no sales, expected 60 ± 8 from the previous 30 "
                    + "buckets — 100.0 % below normal. CRITICAL: checkout or payments may be down.");
        });
        assertThat(latest()).singleElement().satisfies(outage -> {
            assertThat(outage.revision()).isEqualTo(5);
            assertThat(outage.occurredAt()).isEqualTo(T0.plus(Duration.ofMinutes(40)));
            assertThat(outage.evidence()).containsEntry("abnormalBuckets", 5).containsEntry("ongoing", true)
                    .containsEntry("sales", 0L).containsEntry("bucketEnd", "2026-09-16T10:45:00Z")
                    .containsEntry("worstBucket", "2026-09-16T10:40:00Z");
            assertThat(outage.explanation()).startsWith("10:40–10:45 UTC, 5 min so far: 0 sales in its 5 abnormal buckets against ")
                    .contains("100.0 % below normal; the worst bucket, 10:40, had 0 against 60 ± 8 from the previous 30 buckets")
                    .endsWith("CRITICAL: checkout or payments may be down.");
        });
    }

    @Test
    void anEpisodeClosesOnceItsSeriesHasBeenNormalForAWhile() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 29, 60);
        feed(detector, 30, 31, 400);
        feed(detector, 32, 32, 60);
        feed(detector, 33, 33, 400);
        feed(detector, 34, 40, 60);

        closeAll(detector);

        assertThat(latest()).as("a lull of one normal minute does not split the burst; the channels moved with the shop")
                .singleElement().satisfies(burst -> {
            assertThat(burst.evidence()).containsEntry("ongoing", false).containsEntry("abnormalBuckets", 3)
                    .containsEntry("direction", "spike").containsEntry("bucketEnd", "2026-09-16T10:34:00Z");
            assertThat(burst.explanation()).startsWith("10:30–10:34 UTC, 4 min, over: 1200 sales in its 3 abnormal buckets against ");
        });
    }

    @Test
    void whenTheStreamFallsSilentTheWallClockClosesTheEmptyBuckets() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 29, 60);
        assertThat(closeAll(detector)).isEqualTo(29);
        assertThat(persisted).isEmpty();

        wallClock.advance(Duration.ofMinutes(3));

        assertThat(closeAll(detector)).isEqualTo(3);
        assertThat(episodeStarts()).containsExactly("10:30");
        assertThat(latest().get(0).evidence()).containsEntry("abnormalBuckets", 2);
    }

    @Test
    void aConsumerThatIsAwayIsNoSilence() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 29, 60);
        assertThat(closeAll(detector)).isEqualTo(29);

        wallClock.advance(Duration.ofMinutes(3));

        assertThat(closeAll(detector, Set.of())).as("no consumer confirms it has read the partition to its end").isZero();
        assertThat(closeAll(detector)).as("once one does, the silence is the shop's").isEqualTo(3);
    }

    @Test
    void whileEventsFlowEveryBucketIsJudgedHoweverMuchEventTimePassedBetweenClaims() {
        SalesVolumeDetector detector = detector(freshPrefix());
        // seven hours of a replay arrive between two claims, more than the longest stretch (six hours)
        feed(detector, 0, 420, 10);

        assertThat(closeAll(detector)).isEqualTo(420);
    }

    @Test
    void aSilenceLongerThanTheLongestStretchIsJudgedForItsLastSixHoursOnly() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 29, 60);
        assertThat(closeAll(detector)).isEqualTo(29);

        wallClock.advance(Duration.ofHours(7));

        // 10:29 to 17:28 are closed; the six hours up to 17:28, its bucket included, are judged
        assertThat(closeAll(detector)).isEqualTo(361);
    }

    @Test
    void aSingleOddMinuteIsNotReported() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 19, 60);
        feed(detector, 20, 20, 400);
        feed(detector, 21, 21, 20);
        feed(detector, 22, 30, 60);

        closeAll(detector);

        assertThat(persisted).as("a burst, then a dip, each a minute long").isEmpty();
    }

    @Test
    void aSpikeIsFlaggedAndAModestDipIsNot() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 19, 60);
        feed(detector, 20, 20, 45);
        feed(detector, 21, 22, 360);
        feed(detector, 23, 24, 60);

        closeAll(detector);

        assertThat(persisted).as("reported once its second minute confirmed it").first().satisfies(finding -> {
            assertThat(finding.subject()).startsWith("2026-09-16T10:21");
            assertThat(finding.severity()).isEqualTo(Severity.HIGH);
            assertThat(finding.revision()).isEqualTo(2);
            assertThat(finding.explanation()).isEqualTo("10:21–10:23 UTC, 2 min so far: 720 sales in its 2 abnormal buckets "
                    + "against 119 expected, 507.2 % above normal; the worst bucket, 10:21, had 360 against 59 ± 8 from the "
                    + "previous 21 buckets. HIGH: a flash sale, a campaign or a bot attack.");
        });
        assertThat(latest()).hasSize(1);
    }

    @Test
    void oneChannelGoingDarkIsFlaggedForThatChannel() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 19, 60);
        List<TransactionEvent> webOnly = minute(20, 60).stream().filter(event -> event.channel().equals("web")).toList();
        detector.accumulate(batch(webOnly)).await().atMost(AWAIT);
        feed(detector, 21, 22, 60);

        closeAll(detector);

        assertThat(persisted).singleElement().satisfies(finding -> {
            assertThat(finding.subject()).isEqualTo("2026-09-16T10:20:00Z@app");
            assertThat(finding.explanation()).startsWith("10:20–10:21 UTC, channel app: no sales, expected 20 ± 4");
        });
    }

    @Test
    void aBatchAddedTwiceCountsOnceAndAnEventForAClosedBucketIsLate() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 19, 60);
        EventBatch minute20 = batch(minute(20, 60));
        detector.accumulate(minute20).await().atMost(AWAIT);
        detector.accumulate(minute20).await().atMost(AWAIT);
        feed(detector, 21, 22, 60);
        closeAll(detector);
        assertThat(persisted).isEmpty();
        double lateBefore = registry.get("txwatch.events.late").tag("detector", "SALES_VOLUME").counter().count();

        detector.accumulate(EventBatch.of(List.of(event().at(T0.plusSeconds(90)).build()), Set.of(), Map.of())).await().atMost(AWAIT);

        assertThat(registry.get("txwatch.events.late").tag("detector", "SALES_VOLUME").counter().count())
                .isEqualTo(lateBefore + 1);
    }

    @Test
    void aRedeliveryCutIntoOtherPollsCountsEachSaleOnce() {
        String prefix = freshPrefix();
        SalesVolumeDetector detector = detector(prefix);
        feed(detector, 0, 19, 60);
        List<TransactionEvent> minute20 = minute(20, 60);
        detector.accumulate(batch(minute20.subList(0, 40))).await().atMost(AWAIT);
        // after a crash the same events come again, cut at other offsets, with new ones after them
        detector.accumulate(batch(minute20.subList(10, 30))).await().atMost(AWAIT);
        detector.accumulate(batch(minute20.subList(25, 60))).await().atMost(AWAIT);
        feed(detector, 21, 22, 60);

        closeAll(detector);

        assertThat(persisted).isEmpty();
        Instant minute20Start = T0.plus(Duration.ofMinutes(20));
        WindowConfig windows = DetectorConfigs.defaults(WindowConfig.class, Map.of("txwatch.windows.key-prefix", prefix));
        List<String> judged = store.one(Request.cmd(Command.ZRANGEBYSCORE).arg(windows.shopKey("volume:history"))
                .arg(minute20Start.toEpochMilli()).arg(minute20Start.toEpochMilli()))
                .map(reply -> {
                    List<String> members = new ArrayList<>();
                    reply.forEach(member -> members.add(member.toString()));
                    return members;
                }).await().atMost(AWAIT);
        assertThat(judged).contains(minute20Start.toEpochMilli() + "|*|60|0|60.0|", minute20Start.toEpochMilli() + "|web|40|0|40.0|");
    }

    @Test
    void channelsBeyondTheCapAreCountedAsOther() {
        WindowConfig windows = DetectorConfigs.defaults(WindowConfig.class, Map.of("txwatch.windows.key-prefix", freshPrefix()));
        SalesVolumeDetector detector = new SalesVolumeDetector(DetectorConfigs.defaults(SalesVolumeDetector.Config.class,
                Map.of("txwatch.detectors.sales-volume.most-channels", "2")), windows, store, lateEvents, detectorMetrics, wallClock);
        List<TransactionEvent> sales = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sales.add(event().id("c" + i).at(T0.plusSeconds(i)).channel(i < 2 ? "web" : "bot-" + i).item("SKU-1", 1, "1000.00").build());
        }
        sales.add(event().id("app-1").at(T0.plusSeconds(55)).channel("app").item("SKU-1", 1, "1000.00").build());

        detector.accumulate(batch(sales)).await().atMost(AWAIT);

        Map<String, String> counters = store.one(Request.cmd(Command.HGETALL)
                .arg(windows.shopKey("volume:bucket:" + T0.toEpochMilli())))
                .map(reply -> {
                    Map<String, String> fields = new TreeMap<>();
                    reply.getKeys().forEach(field -> fields.put(field, reply.get(field).toString()));
                    return fields;
                }).await().atMost(AWAIT);
        assertThat(counters).containsEntry("n", "51").containsEntry("n@web", "2").containsEntry("n@bot-2", "1")
                .containsEntry("n@other", "48").doesNotContainKey("n@app").doesNotContainKey("n@bot-3");
    }

    @Test
    void replicasSharingTheBucketsJudgeEachBucketOnce() {
        String prefix = freshPrefix();
        SalesVolumeDetector one = detector(prefix);
        SalesVolumeDetector other = detector(prefix);
        feed(one, 0, 29, 60);
        feed(other, 35, 36, 60);

        CompletableFuture<Integer> byOne = CompletableFuture.supplyAsync(() -> closeAll(one));
        CompletableFuture<Integer> byOther = CompletableFuture.supplyAsync(() -> closeAll(other));

        assertThat(byOne.join() + byOther.join()).isEqualTo(36);
        assertThat(episodeStarts()).containsExactly("10:30");
        assertThat(latest().get(0).evidence()).containsEntry("abnormalBuckets", 5);
        assertThat(persisted).as("each bucket judged once: one revision per bucket").hasSize(5);
    }

    @Test
    void theExplanationCarriesTheNumbersBehindIt() {
        SalesVolumeDetector pure = pureDetector();
        SalesVolumeDetector.Baseline baseline = new SalesVolumeDetector.Baseline(78, 9, 30, SalesVolumeDetector.Basis.ROLLING);
        Instant bucket = Instant.parse("2026-09-16T14:05:00Z");

        SalesVolumeDetector.Verdict verdict = pure.verdict(SalesVolumeDetector.Observed.count(12), baseline).orElseThrow();
        Finding finding = pure.episodeFinding(SalesVolumeDetector.WHOLE_SHOP,
                SalesVolumeDetector.Episode.open(bucket, verdict), bucket, true, Map.of("r:INR", 8_704_000L));

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.explanation()).isEqualTo("14:05–14:06 UTC: 12 sales, ₹87,040.00 revenue, expected 78 ± 9 from "
                + "the previous 30 buckets — 84.6 % below normal. HIGH: sales have dropped.");
        assertThat(pure.verdict(SalesVolumeDetector.Observed.count(55), baseline)).isEmpty();
    }

    @Test
    void aNightlyDipFlaggedOnceBecomesPartOfNormal() {
        WindowConfig windows = DetectorConfigs.defaults(WindowConfig.class, Map.of("txwatch.windows.key-prefix", freshPrefix()));
        SalesVolumeDetector hourly = new SalesVolumeDetector(DetectorConfigs.defaults(SalesVolumeDetector.Config.class,
                Map.of("txwatch.detectors.sales-volume.bucket", "PT1H", "txwatch.detectors.sales-volume.min-expected", "5",
                        "txwatch.detectors.sales-volume.history-kept", "P10D")), windows, store, lateEvents, detectorMetrics, wallClock);
        Instant midnight = Instant.parse("2026-09-14T00:00:00Z");
        for (int hour = 0; hour < 5 * 24; hour++) {
            // 40 sales an hour, but only 8 an hour between 03:00 and 05:00: a habit of this shop, not an incident
            int sales = hour % 24 == 3 || hour % 24 == 4 ? 8 : 40;
            Instant start = midnight.plus(Duration.ofHours(hour));
            List<TransactionEvent> events = new ArrayList<>();
            for (int i = 0; i < sales; i++) {
                events.add(event().id("h" + hour + "-" + i).at(start.plusSeconds(i * 60L)).item("SKU-1", 1, "100.00").build());
            }
            hourly.accumulate(batch(events)).await().atMost(AWAIT);
        }
        closeAll(hourly);

        assertThat(latest()).as("the dip, flagged on its first night judged, then part of the seasonal baseline")
                .extracting(finding -> finding.subject()).containsExactly("2026-09-15T03:00:00Z");
    }

    /** A wall clock that stands still until a test moves it. */
    static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aModerateDropThatLastsIsAbnormalTogetherThoughNoBucketIsAlone() {
        SalesVolumeDetector pure = pureDetector();
        // a quiet evening: 17 a minute, deviating by 5 as the evening winds down
        SalesVolumeDetector.Baseline evening = new SalesVolumeDetector.Baseline(17, 5, 30, SalesVolumeDetector.Basis.ROLLING);
        Instant third = T0.plus(Duration.ofMinutes(2));
        NavigableMap<Instant, SalesVolumeDetector.Judged> past = new TreeMap<>(Map.of(
                T0, judged(5), T0.plus(Duration.ofMinutes(1)), judged(4)));

        assertThat(pure.verdict(SalesVolumeDetector.Observed.count(4), evening)).as("(4 - 17) / 5: 2.6 deviations alone").isEmpty();
        assertThat(pure.sustained(past, third, SalesVolumeDetector.Observed.count(4), evening, 3, false)).as("(13 - 51) / (5 x sqrt 3): 4.4 deviations together")
                .hasValueSatisfying(verdict -> {
                    assertThat(verdict.drop()).isTrue();
                    assertThat(verdict.z()).isCloseTo(-4.39, within(0.01));
                    assertThat(verdict.severity()).isEqualTo(Severity.HIGH);
                });
        assertThat(pure.sustained(past, third, SalesVolumeDetector.Observed.count(18), evening, 3, false)).as("a bucket back to normal ends it").isEmpty();
        assertThat(pure.sustained(new TreeMap<>(Map.of(T0, judged(16), T0.plus(Duration.ofMinutes(1)), judged(15))), third,
                SalesVolumeDetector.Observed.count(9), evening, 3, false)).as("one low bucket after normal ones").isEmpty();
    }

    @Test
    void aRunIsJudgedAgainstTheBucketsBeforeItNotItsOwnFirstOnes() {
        SalesVolumeDetector detector = detector(freshPrefix());
        for (int minute = 0; minute <= 55; minute++) {
            // a quiet hour of 10.5 sales a minute; at 10:40 two a minute for ten minutes, no minute of which is
            // abnormal alone ((2 - 10.5) / 3.2: 2.6 deviations); with the run's first two minutes in its rolling
            // baseline, it would expect 9.9, below min-expected, and judge nothing
            int sales = minute >= 40 && minute < 50 ? 2 : 10 + minute % 2;
            detector.accumulate(batch(minute(minute, sales))).await().atMost(AWAIT);
        }

        closeAll(detector);

        assertThat(latest()).singleElement().satisfies(drop -> {
            // found abnormal as its third minute closes, the run of three being the first to say so
            assertThat(drop.subject()).isEqualTo("2026-09-16T10:42:00Z");
            assertThat(drop.evidence()).containsEntry("series", "shop").containsEntry("direction", "drop")
                    .containsEntry("expectedMean", 10.5);
        });
    }

    @Test
    void salesThatHoldUpAtAFractionOfTheirAmountsAreOneRevenueDrop() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 39, 60);
        for (int minute = 40; minute <= 44; minute++) {
            detector.accumulate(batch(minute(minute, 60, "150.00"))).await().atMost(AWAIT);
        }
        feed(detector, 45, 52, 60);

        closeAll(detector);

        assertThat(latest()).singleElement().satisfies(drop -> {
            assertThat(drop.subject()).isEqualTo("2026-09-16T10:40:00Z@$INR");
            assertThat(drop.severity()).isEqualTo(Severity.HIGH);
            assertThat(drop.evidence()).containsEntry("series", "revenue:INR").containsEntry("direction", "drop")
                    .containsEntry("abnormalBuckets", 5).containsEntry("ongoing", false)
                    .containsEntry("revenue", new java.math.BigDecimal("45000.00"))
                    .containsEntry("expectedRevenue", new java.math.BigDecimal("300000.00"));
            assertThat(drop.explanation()).isEqualTo("10:40–10:45 UTC, revenue in INR, 5 min, over: ₹45,000.00 in its "
                    + "5 abnormal buckets against ₹300,000.00 expected, 85.0 % below normal; the worst bucket, 10:40, had "
                    + "₹9,000.00 against ₹60,000.00 ± ₹7,745.97 from the previous 30 buckets. HIGH: about as many sales as "
                    + "usual came in at lower amounts; a price or a discount may be wrong.");
        });
    }

    @Test
    void oneLargeOrderIsNoRevenueSpikeNorSpoilsTheBaselineForLargerOrdersAcrossTheBoard() {
        SalesVolumeDetector detector = detector(freshPrefix());
        feed(detector, 0, 39, 60);
        for (int minute = 40; minute <= 41; minute++) {
            // the big order first, so that the bucket keeps the largest order, not the last
            List<TransactionEvent> oneBigOrder = new ArrayList<>();
            oneBigOrder.add(event().id("big-" + minute).at(T0.plus(Duration.ofMinutes(minute)))
                    .item("SKU-2", 1, "500000.00").build());
            oneBigOrder.addAll(minute(minute, 59));
            detector.accumulate(batch(oneBigOrder)).await().atMost(AWAIT);
        }
        feed(detector, 42, 45, 60);
        closeAll(detector);
        assertThat(persisted).as("two minutes, each ₹5,59,000 with one order of ₹5,00,000").isEmpty();

        for (int minute = 46; minute <= 48; minute++) {
            detector.accumulate(batch(minute(minute, 60, "5000.00"))).await().atMost(AWAIT);
        }
        feed(detector, 49, 55, 60);
        closeAll(detector);

        assertThat(latest()).singleElement().satisfies(spike -> {
            assertThat(spike.subject()).isEqualTo("2026-09-16T10:46:00Z@$INR");
            assertThat(spike.evidence()).containsEntry("direction", "spike").containsEntry("abnormalBuckets", 3);
            assertThat(spike.explanation()).contains("revenue in INR").endsWith("about as many sales as usual came in "
                    + "at larger amounts: big-ticket buying, a campaign or fraud.");
        });
    }

    @Test
    void withAReportingCurrencySalesInOthersCountConvertedInItsRevenue() {
        WindowConfig windows = DetectorConfigs.defaults(WindowConfig.class, Map.of("txwatch.windows.key-prefix", freshPrefix()));
        SalesVolumeDetector detector = new SalesVolumeDetector(DetectorConfigs.defaults(SalesVolumeDetector.Config.class,
                // lower case, as an environment variable gives it
                Map.of("txwatch.detectors.sales-volume.revenue-currency", "inr",
                        "txwatch.detectors.sales-volume.exchange-rates.usd", "80")),
                windows, store, lateEvents, detectorMetrics, wallClock);
        for (int minute = 0; minute <= 52; minute++) {
            boolean underpriced = minute >= 40 && minute <= 44;
            List<TransactionEvent> events = new ArrayList<>(minute(minute, 45, underpriced ? "150.00" : "1000.00"));
            // fifteen sales a minute in dollars, at the same prices converted: $12.50 is ₹1,000
            for (int i = 0; i < 15; i++) {
                events.add(event().id("usd-" + minute + "-" + i).at(T0.plus(Duration.ofMinutes(minute)).plusSeconds(2L * i))
                        .currency("USD").item("SKU-3", 1, underpriced ? "1.875" : "12.50").build());
            }
            events.sort(java.util.Comparator.comparing(TransactionEvent::occurredAt));
            detector.accumulate(batch(events)).await().atMost(AWAIT);
        }

        closeAll(detector);

        assertThat(latest()).as("one drop of the shop's revenue, none of the dollars' own").singleElement().satisfies(drop -> {
            assertThat(drop.subject()).isEqualTo("2026-09-16T10:40:00Z@$INR");
            assertThat(drop.evidence()).containsEntry("series", "revenue:INR")
                    .containsEntry("revenue", new java.math.BigDecimal("45000.00"))
                    .containsEntry("expectedRevenue", new java.math.BigDecimal("300000.00"));
            assertThat(drop.explanation()).startsWith("10:40–10:45 UTC, revenue in INR (with sales in USD converted at the configured rates), 5 min, over: "
                    + "₹45,000.00 in its 5 abnormal buckets");
        });
        assertThatThrownBy(() -> new SalesVolumeDetector(DetectorConfigs.defaults(SalesVolumeDetector.Config.class,
                Map.of("txwatch.detectors.sales-volume.exchange-rates.USD", "80")), windows, store, lateEvents, detectorMetrics, wallClock))
                .as("rates with nothing to convert into").hasMessageContaining("without txwatch.detectors.sales-volume.revenue-currency");
        assertThatThrownBy(() -> new SalesVolumeDetector(DetectorConfigs.defaults(SalesVolumeDetector.Config.class,
                Map.of("txwatch.detectors.sales-volume.revenue-currency", "INR",
                        "txwatch.detectors.sales-volume.exchange-rates.INR", "2")), windows, store, lateEvents, detectorMetrics, wallClock))
                .as("a rate for the reporting currency itself").hasMessageContaining("for the reporting currency itself");
    }

    @Test
    void aCurrencyWhoseSalesStopIsNoMatterOfAmounts() {
        SalesVolumeDetector detector = detector(freshPrefix());
        for (int minute = 0; minute <= 49; minute++) {
            List<TransactionEvent> events = new ArrayList<>(minute(minute, 60));
            // fifteen sales a minute in dollars, until their payment method goes down at 10:40
            for (int i = 0; minute < 40 && i < 15; i++) {
                events.add(event().id("usd-" + minute + "-" + i).at(T0.plus(Duration.ofMinutes(minute)).plusSeconds(2L * i))
                        .currency("USD").item("SKU-3", 1, "20.00").build());
            }
            events.sort(java.util.Comparator.comparing(TransactionEvent::occurredAt));
            detector.accumulate(batch(events)).await().atMost(AWAIT);
        }

        closeAll(detector);

        assertThat(persisted).as("the shop sells 20 % less, dollar revenue falls with dollar sales: not a price").isEmpty();
    }

    @Test
    void aQuietHoursPricingErrorStandsOutOverTenMinutesThoughNotOverThree() {
        SalesVolumeDetector pure = pureDetector();
        // thirteen sales a minute of ₹1,000 on average, widely varying: revenue ₹13,000 ± ₹6,500 a minute
        SalesVolumeDetector.Baseline quiet = new SalesVolumeDetector.Baseline(1_300_000, 400_000, 30,
                SalesVolumeDetector.Basis.ROLLING, 650_000, 13);
        // then the same thirteen sales at a quarter of their prices
        SalesVolumeDetector.Observed underpriced = new SalesVolumeDetector.Observed(325_000, 13, 0, 50_000);
        NavigableMap<Instant, SalesVolumeDetector.Judged> past = nineMinutesOf(underpriced);
        Instant tenth = T0.plus(Duration.ofMinutes(9));

        assertThat(pure.verdict(underpriced, quiet)).as("-975,000 / 650,000: 1.5 deviations alone").isEmpty();
        assertThat(pure.sustained(past, tenth, underpriced, quiet, 3, true)).as("2.6 deviations over three").isEmpty();
        assertThat(pure.sustained(past, tenth, underpriced, quiet, 10, true)).as("-9,750,000 / (650,000 x sqrt 10): 4.7 over ten")
                .hasValueSatisfying(verdict -> assertThat(verdict.z()).isCloseTo(-4.74, within(0.01)));
    }

    @Test
    void aRunOfRevenueNeedsOnlyTheDropOfABucketSinceItsSalesHeldUp() {
        SalesVolumeDetector pure = pureDetector();
        // a busy hour: 150 sales a minute, ₹6,00,000 ± ₹2,50,000 of revenue
        SalesVolumeDetector.Baseline busy = new SalesVolumeDetector.Baseline(60_000_000, 20_000_000, 30,
                SalesVolumeDetector.Basis.DAYS, 25_000_000, 150);
        // then the same sales at well under their prices: ₹3,30,000 a minute, 45 % below normal
        SalesVolumeDetector.Observed underpriced = new SalesVolumeDetector.Observed(33_000_000, 150, 0, 1_000_000);
        NavigableMap<Instant, SalesVolumeDetector.Judged> past = nineMinutesOf(underpriced);
        Instant tenth = T0.plus(Duration.ofMinutes(9));

        assertThat(pure.sustained(past, tenth, underpriced, busy, 10, false)).as("as a count, 45 % short of 50 %").isEmpty();
        assertThat(pure.sustained(past, tenth, underpriced, busy, 10, true)).as("-27,00,000 / (2,50,000 x sqrt 10): 3.4")
                .hasValueSatisfying(verdict -> assertThat(verdict.z()).isCloseTo(-3.42, within(0.01)));
    }

    /** A detector for judging by hand: no Redis, no late events. */
    private SalesVolumeDetector pureDetector() {
        return new SalesVolumeDetector(DetectorConfigs.defaults(SalesVolumeDetector.Config.class),
                DetectorConfigs.defaults(WindowConfig.class), null, null, detectorMetrics, wallClock);
    }

    /** The nine minutes from T0 of a revenue series, each as observed, judged normal. */
    private static NavigableMap<Instant, SalesVolumeDetector.Judged> nineMinutesOf(SalesVolumeDetector.Observed observed) {
        NavigableMap<Instant, SalesVolumeDetector.Judged> past = new TreeMap<>();
        for (int minute = 0; minute < 9; minute++) {
            past.put(T0.plus(Duration.ofMinutes(minute)), new SalesVolumeDetector.Judged(observed.value(), false,
                    OptionalDouble.of(observed.value()), Optional.empty(), observed.sales(), observed.squares(),
                    observed.largest()));
        }
        return past;
    }

    private static SalesVolumeDetector.Judged judged(long count) {
        return new SalesVolumeDetector.Judged(count, false, OptionalDouble.of(count), Optional.empty());
    }
}
