package io.txwatch.detect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.PaymentStatus;
import io.txwatch.window.BucketClock;
import io.txwatch.window.BucketClock.Claim;
import io.txwatch.window.BucketClock.Contents;
import io.txwatch.window.BucketClock.Increment;
import io.txwatch.window.BucketClock.Summary;
import io.txwatch.window.LateEvents;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

/**
 * Flags a time bucket whose sales (succeeded payments) are far below or above normal: an outage, a broken
 * checkout, a payment provider down, or a flash sale or bot attack. Normal is the rolling mean and deviation of
 * the preceding buckets, or of the same time of week in earlier weeks once that history exists; the deviation is
 * never taken below the Poisson noise of the mean. The shop as a whole is judged first; when it looks normal,
 * each sales channel is judged on its own, so that one channel going dark is noticed too.
 */
@ApplicationScoped
public class SalesVolumeDetector implements BucketDetector {

    private static final Logger LOG = Logger.getLogger(SalesVolumeDetector.class);

    @ConfigMapping(prefix = "txwatch.detectors.sales-volume")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** Length of a bucket. */
        @WithDefault("PT1M")
        Duration bucket();

        /** How long after its end a bucket waits for late events before it is judged. */
        @WithDefault("PT30S")
        Duration allowedLateness();

        /** A Kafka partition with no new events for this long no longer holds event time back; when all are, the
         *  wall clock moves it on, and empty buckets (an outage) close. */
        @WithDefault("PT30S")
        Duration idleAfter();

        /** The rolling baseline: this many preceding buckets... */
        @WithDefault("30")
        int baselineBuckets();

        /** ...of which at least this many must be known (and not anomalous themselves) to judge at all. */
        @WithDefault("15")
        int minBaselineBuckets();

        /** Seasonality: the same time of week in up to this many earlier weeks... */
        @WithDefault("4")
        int seasonalWeeks();

        /** ...replaces the rolling baseline once at least this many of them have history... */
        @WithDefault("2")
        int seasonalMinWeeks();

        /** ...taking buckets within this time either side of the same time of week. */
        @WithDefault("PT30M")
        Duration seasonalSpan();

        /** Flag when the count is at least this many deviations from the baseline mean... */
        @WithDefault("3")
        double zThreshold();

        /** ...and at least this share of the mean below it, for a drop... */
        @WithDefault("0.30")
        double minDrop();

        /** ...or this share of the mean above it, for a spike (1 = twice normal): busy minutes come and go... */
        @WithDefault("1.0")
        double minRise();

        /** ...in a series that expects at least this many sales per bucket; quieter ones are too noisy to judge. */
        @WithDefault("10")
        double minExpected();

        /** A drop by this share of normal or more is CRITICAL, by the next HIGH, less MODERATE. */
        @WithDefault("0.90")
        double criticalDrop();

        @WithDefault("0.50")
        double highDrop();

        /** A spike to this multiple of normal or more is HIGH; MODERATE below. */
        @WithDefault("3")
        double highSpike();

        /** Channels judged apart: the first this many met; sales of any later channel are counted as channel "other". */
        @WithDefault("16")
        int mostChannels();

        /** How long judged buckets are kept for baselines; longer than the seasonal weeks. */
        @WithDefault("P35D")
        Duration historyKept();

        /** A replica's claim on due buckets is exclusive this long. */
        @WithDefault("PT30S")
        Duration lease();

        /** A claim judges at most this many buckets; the rest wait for the next one. */
        @WithDefault("120")
        int mostBucketsPerClaim();

        /** After a longer silence only this much of it is judged. */
        @WithDefault("PT6H")
        Duration longestStretch();
    }

    static final String WHOLE_SHOP = "*";
    private static final String COUNT = "n";
    private static final String REVENUE = "r:";
    private static final String CHANNEL = "@";
    private static final Duration WEEK = Duration.ofDays(7);
    private static final BigDecimal LARGEST_MINOR_AMOUNT = BigDecimal.valueOf(Long.MAX_VALUE);

    /** A judged bucket of one series, as the history keeps it. */
    record Judged(long count, boolean flagged) {
    }

    record Baseline(double mean, double deviation, int buckets, boolean seasonal) {
    }

    record Judgement(List<Finding> findings, List<Summary> summaries) {
    }

    private final Config config;
    private final BucketClock clock;
    private final LateEvents lateEvents;
    private final Clock wallClock;
    private final String owner = UUID.randomUUID().toString();

    public SalesVolumeDetector(Config config, WindowConfig windows, WindowStore store, LateEvents lateEvents, Clock wallClock) {
        this.config = config;
        this.clock = new BucketClock(store, windows, "volume", new BucketClock.Settings(config.bucket(),
                config.allowedLateness(), config.idleAfter(), config.lease(), config.mostBucketsPerClaim(),
                config.longestStretch(), config.historyKept(), config.mostChannels()));
        this.lateEvents = lateEvents;
        this.wallClock = wallClock;
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.SALES_VOLUME;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Uni<Void> accumulate(EventBatch batch) {
        List<Increment> sales = new ArrayList<>();
        for (TransactionEvent event : batch.allEvents()) {
            if (event.status() != PaymentStatus.SUCCEEDED) {
                continue;
            }
            String channel = channelOf(event);
            long revenue = minorUnits(event.amount(), event.currency());
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put(COUNT, 1L);
            counters.put(COUNT + CHANNEL + channel, 1L);
            counters.put(REVENUE + event.currency(), revenue);
            counters.put(REVENUE + event.currency() + CHANNEL + channel, revenue);
            sales.add(new Increment(event.transactionId(), clock.bucketOf(event.occurredAt()), channel, counters));
        }
        if (sales.isEmpty() && batch.newestByPartition().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return clock.accumulate(batch.newestByPartition(), sales, wallClock.instant())
                .invoke(late -> lateEvents.count(type(), late))
                .replaceWithVoid();
    }

    @Override
    public Uni<Integer> closeDue(Instant now, Set<Integer> caughtUp, Function<List<Finding>, Uni<Void>> persist) {
        return clock.claim(owner, now, caughtUp).chain(claim -> claim.isEmpty()
                ? Uni.createFrom().item(0)
                : judgeAndCommit(claim.get(), persist));
    }

    private Uni<Integer> judgeAndCommit(Claim claim, Function<List<Finding>, Uni<Void>> persist) {
        if (claim.skipped() > 0) {
            LOG.warnf("Sales volume: the stream was silent longer than %s; %d buckets before %s are not judged",
                    config.longestStretch(), claim.skipped(), claim.first());
        }
        List<Instant> buckets = claim.buckets(config.bucket());
        return clock.read(claim, historyRanges(claim))
                .map(contents -> judge(buckets, contents))
                .chain(judgement -> persist.apply(judgement.findings())
                        .chain(() -> clock.commit(claim, judgement.summaries())))
                .map(committed -> committed ? buckets.size() : 0);
    }

    /** The history a claim's baselines need: the buckets before it, and the same time of week in earlier weeks. */
    private List<Instant[]> historyRanges(Claim claim) {
        List<Instant[]> ranges = new ArrayList<>();
        ranges.add(new Instant[] { claim.first().minus(config.bucket().multipliedBy(config.baselineBuckets())), claim.first() });
        Instant end = claim.last().plus(config.bucket());
        for (int week = 1; week <= config.seasonalWeeks(); week++) {
            Duration back = WEEK.multipliedBy(week);
            ranges.add(new Instant[] { claim.first().minus(back).minus(config.seasonalSpan()),
                    end.minus(back).plus(config.seasonalSpan()) });
        }
        return ranges;
    }

    /** Judges the claimed buckets in time order, each against a history that includes the ones judged before it. */
    Judgement judge(List<Instant> buckets, Contents contents) {
        Map<String, NavigableMap<Instant, Judged>> history = new LinkedHashMap<>();
        for (Summary summary : contents.history()) {
            String[] parts = summary.text().split("\\|");
            history.computeIfAbsent(parts[1], series -> new TreeMap<>())
                    .put(summary.bucketStart(), new Judged(Long.parseLong(parts[2]), "1".equals(parts[3])));
        }
        List<Finding> findings = new ArrayList<>();
        List<Summary> summaries = new ArrayList<>();
        for (Instant bucket : buckets) {
            Map<String, Long> counters = contents.counters().getOrDefault(bucket, Map.of());
            TreeSet<String> channels = new TreeSet<>();
            counters.keySet().stream().filter(field -> field.startsWith(COUNT + CHANNEL))
                    .forEach(field -> channels.add(field.substring(COUNT.length() + CHANNEL.length())));
            history.keySet().stream().filter(series -> !series.equals(WHOLE_SHOP))
                    .filter(series -> !recent(history.get(series), bucket).isEmpty())
                    .forEach(channels::add);

            long shopCount = counters.getOrDefault(COUNT, 0L);
            Optional<Finding> shop = judgeSeries(WHOLE_SHOP, bucket, shopCount, counters, history);
            shop.ifPresent(findings::add);
            record(history, summaries, WHOLE_SHOP, bucket, shopCount, shop.isPresent());
            for (String channel : channels) {
                long count = counters.getOrDefault(COUNT + CHANNEL + channel, 0L);
                Optional<Finding> finding = shop.isPresent() ? Optional.empty()
                        : judgeSeries(channel, bucket, count, counters, history);
                finding.ifPresent(findings::add);
                record(history, summaries, channel, bucket, count, shop.isPresent() || finding.isPresent());
            }
        }
        return new Judgement(findings, summaries);
    }

    private void record(Map<String, NavigableMap<Instant, Judged>> history, List<Summary> summaries, String series,
            Instant bucket, long count, boolean flagged) {
        history.computeIfAbsent(series, name -> new TreeMap<>()).put(bucket, new Judged(count, flagged));
        summaries.add(new Summary(bucket, bucket.toEpochMilli() + "|" + series + "|" + count + "|" + (flagged ? 1 : 0)));
    }

    private Optional<Finding> judgeSeries(String series, Instant bucket, long count, Map<String, Long> counters,
            Map<String, NavigableMap<Instant, Judged>> history) {
        NavigableMap<Instant, Judged> past = history.getOrDefault(series, new TreeMap<>());
        return baseline(past, bucket).flatMap(baseline -> judge(series, bucket, count, revenueOf(series, counters), baseline));
    }

    private NavigableMap<Instant, Judged> recent(NavigableMap<Instant, Judged> past, Instant bucket) {
        return past.subMap(bucket.minus(config.bucket().multipliedBy(config.baselineBuckets())), true, bucket, false);
    }

    /** Seasonal when enough earlier weeks are known, rolling otherwise; anomalous buckets never count as normal. */
    Optional<Baseline> baseline(NavigableMap<Instant, Judged> past, Instant bucket) {
        List<Long> seasonal = new ArrayList<>();
        int weeksKnown = 0;
        for (int week = 1; week <= config.seasonalWeeks(); week++) {
            Instant then = bucket.minus(WEEK.multipliedBy(week));
            List<Long> counts = normalCounts(past.subMap(then.minus(config.seasonalSpan()), true,
                    then.plus(config.seasonalSpan()), true));
            if (!counts.isEmpty()) {
                weeksKnown++;
                seasonal.addAll(counts);
            }
        }
        if (weeksKnown >= config.seasonalMinWeeks()) {
            return Optional.of(statistics(seasonal, true));
        }
        List<Long> rolling = normalCounts(recent(past, bucket));
        return rolling.size() >= config.minBaselineBuckets() ? Optional.of(statistics(rolling, false)) : Optional.empty();
    }

    private static List<Long> normalCounts(Map<Instant, Judged> buckets) {
        return buckets.values().stream().filter(judged -> !judged.flagged()).map(Judged::count).toList();
    }

    private static Baseline statistics(List<Long> counts, boolean seasonal) {
        double mean = counts.stream().mapToLong(Long::longValue).average().orElse(0);
        double squares = counts.stream().mapToDouble(count -> (count - mean) * (count - mean)).sum();
        double deviation = counts.size() > 1 ? Math.sqrt(squares / (counts.size() - 1)) : 0;
        return new Baseline(mean, deviation, counts.size(), seasonal);
    }

    Optional<Finding> judge(String series, Instant bucket, long count, Map<String, Long> revenueMinor, Baseline baseline) {
        if (baseline.mean() < config.minExpected()) {
            return Optional.empty();
        }
        double deviation = Math.max(baseline.deviation(), Math.sqrt(baseline.mean()));
        double z = (count - baseline.mean()) / deviation;
        double change = (count - baseline.mean()) / baseline.mean();
        if (Math.abs(z) < config.zThreshold() || (change < 0 ? -change < config.minDrop() : change < config.minRise())) {
            return Optional.empty();
        }
        boolean drop = change < 0;
        Severity severity = drop
                ? -change >= config.criticalDrop() ? Severity.CRITICAL : -change >= config.highDrop() ? Severity.HIGH : Severity.MODERATE
                : change + 1 >= config.highSpike() ? Severity.HIGH : Severity.MODERATE;
        Instant end = bucket.plus(config.bucket());
        String where = series.equals(WHOLE_SHOP) ? "" : ", channel " + series;
        String observed = count == 0 ? "no sales"
                : count + (count == 1 ? " sale, " : " sales, ") + revenueText(revenueMinor) + " revenue";
        String basis = baseline.seasonal()
                ? "the same time of week in earlier weeks (" + baseline.buckets() + " buckets)"
                : "the previous " + baseline.buckets() + " buckets";
        String meaning = drop
                ? count == 0 ? "checkout or payments may be down" : "sales have dropped"
                : "a flash sale, a campaign or a bot attack";
        String explanation = String.format("%s–%s UTC%s: %s, expected %.0f ± %.0f from %s — %s %s normal. %s: %s.",
                Wording.clock(bucket).substring(0, 5), Wording.clock(end).substring(0, 5), where, observed,
                baseline.mean(), deviation, basis, MoneyFormat.percent(Math.abs(change)), drop ? "below" : "above",
                severity, meaning);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("bucketStart", bucket.toString());
        evidence.put("bucketEnd", end.toString());
        evidence.put("series", series.equals(WHOLE_SHOP) ? "shop" : "channel:" + series);
        evidence.put("sales", count);
        evidence.put("revenue", inMajorUnits(revenueMinor));
        evidence.put("expectedMean", baseline.mean());
        evidence.put("expectedDeviation", deviation);
        evidence.put("baselineBuckets", baseline.buckets());
        evidence.put("baseline", baseline.seasonal() ? "same-time-of-week" : "rolling");
        evidence.put("zScore", z);
        evidence.put("change", change);
        evidence.put("zThreshold", config.zThreshold());
        String subject = bucket + (series.equals(WHOLE_SHOP) ? "" : CHANNEL + series);
        return Optional.of(new Finding(type(), subject, severity, Math.abs(z), bucket, null, null, null, explanation,
                evidence));
    }

    private static Map<String, Long> revenueOf(String series, Map<String, Long> counters) {
        Map<String, Long> revenue = new TreeMap<>();
        counters.forEach((field, value) -> {
            if (!field.startsWith(REVENUE)) {
                return;
            }
            String rest = field.substring(REVENUE.length());
            int at = rest.indexOf(CHANNEL);
            String currency = at < 0 ? rest : rest.substring(0, at);
            String channel = at < 0 ? WHOLE_SHOP : rest.substring(at + 1);
            if (channel.equals(series)) {
                revenue.put(currency, value);
            }
        });
        return revenue;
    }

    private static Map<String, BigDecimal> inMajorUnits(Map<String, Long> minorByCurrency) {
        Map<String, BigDecimal> revenue = new TreeMap<>();
        minorByCurrency.forEach((currency, minor) -> revenue.put(currency, BigDecimal.valueOf(minor, fractionDigits(currency))));
        return revenue;
    }

    private static String revenueText(Map<String, Long> minorByCurrency) {
        List<String> amounts = new ArrayList<>();
        inMajorUnits(minorByCurrency).forEach((currency, amount) -> amounts.add(MoneyFormat.format(amount, currency)));
        return amounts.isEmpty() ? "no" : String.join(" + ", amounts);
    }

    /** Saturates rather than fails: a bounded amount in a currency with four decimals can still exceed a long. */
    private static long minorUnits(BigDecimal amount, String currency) {
        return amount.movePointRight(fractionDigits(currency)).setScale(0, RoundingMode.HALF_EVEN)
                .min(LARGEST_MINOR_AMOUNT).longValueExact();
    }

    private static int fractionDigits(String currency) {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }

    private static String channelOf(TransactionEvent event) {
        return event.channel() == null || event.channel().isBlank() ? "unknown" : event.channel().replace('|', '/');
    }
}
