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
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.PaymentStatus;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.BucketClock;
import io.txwatch.window.BucketClock.Claim;
import io.txwatch.window.BucketClock.Contents;
import io.txwatch.window.BucketClock.Increment;
import io.txwatch.window.BucketClock.Summary;
import io.txwatch.window.LateEvents;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

/**
 * Flags an episode of sales (succeeded payments) far below or above normal: an outage, a broken checkout, a payment
 * provider down, or a flash sale or bot attack. Each bucket is judged against what is normal for it: the same time
 * of week in earlier weeks once that history exists, else the same time of day on earlier days, else the preceding
 * buckets, which follow the daily ramp from the first day. The deviation is never taken below
 * the Poisson noise of the expected count. Consecutive abnormal buckets in one direction are one anomaly, opened,
 * updated with its worst bucket and duration while it lasts, and closed once the series has been normal for a while.
 * An abnormal bucket still informs later seasonal baselines, held at the edge of what was normal, so one early
 * mistake or a new habit (a nightly dip) stops being flagged within days. The shop as a whole and each sales channel are judged
 * on their own, and so is the shop's revenue in each currency: sales that hold up while their amounts fall (a price or
 * discount gone wrong) or orders far larger than usual. Revenue's noise is that of a sum of heavy-tailed amounts, the
 * expected number of sales times the mean squared amount, and a revenue spike must hold without the bucket's largest
 * order, so one big order is no spike.
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

        /** ...of which at least this many must be known to judge at all. */
        @WithDefault("15")
        int minBaselineBuckets();

        /** Weekly seasonality: the same time of week in up to this many earlier weeks... */
        @WithDefault("4")
        int seasonalWeeks();

        /** ...is the baseline once at least this many of them have history. */
        @WithDefault("2")
        int seasonalMinWeeks();

        /** Daily seasonality: the same time of day on up to this many earlier days... */
        @WithDefault("7")
        int seasonalDays();

        /** ...is the baseline, until weeks are known, once at least this many of them have history. */
        @WithDefault("2")
        int seasonalMinDays();

        /** Seasonal baselines take the buckets within this time either side of the same time of week or day. */
        @WithDefault("PT30M")
        Duration seasonalSpan();

        /** Flag a drop when the count is at least this many deviations below the expected count... */
        @WithDefault("3")
        double dropZThreshold();

        /**
         * ...a spike when at least this many above: sales come in bursts, and the Poisson noise of a quiet minute
         * has a long upper tail, so a rise needs more evidence than a fall...
         */
        @WithDefault("5")
        double spikeZThreshold();

        /** ...and at least this share of it below, for a drop... */
        @WithDefault("0.30")
        double minDrop();

        /** ...or this share of it above, for a spike (1 = twice normal): busy minutes come and go... */
        @WithDefault("1.0")
        double minRise();

        /** ...in a series that expects at least this many sales per bucket; quieter ones are too noisy to judge. */
        @WithDefault("10")
        double minExpected();

        /**
         * A run of this many buckets of the shop's, the latest of them this one, is abnormal together when their sum is
         * past the same thresholds (in deviations of a sum: the bucket's times the square root of this), though no
         * bucket alone is: a drop of 80 % in a quiet evening hour, three deviations in no single minute, is one in
         * three. Channels, smaller and noisier, are judged bucket by bucket. 1 judges buckets alone...
         */
        @WithDefault("3")
        int sustainedBuckets();

        /** ...when the run is at least this share below normal (a smaller one is a quiet spell more often)... */
        @WithDefault("0.50")
        double sustainedMinDrop();

        /** ...or this share above (2 = three times normal). */
        @WithDefault("2.0")
        double sustainedMinRise();

        /**
         * Revenue is judged in runs of this many buckets as well: a quiet hour's revenue, a sum of a dozen heavy-tailed
         * amounts a minute, varies too much for three minutes at a quarter of their prices to stand out, ten do.
         */
        @WithDefault("10")
        int revenueSustainedBuckets();

        /**
         * A run of revenue buckets needs only this drop below normal (not {@code sustained-min-drop}): revenue is judged
         * only where the number of sales held up, so a run of it 30 % short is amounts that fell, a price or a discount
         * gone wrong, not a quiet spell; its z-score already weighs the amounts' noise. Every bucket of a run is at
         * least {@code min-drop} below normal, so a value under that acts as {@code min-drop}.
         */
        @WithDefault("0.30")
        double revenueSustainedMinDrop();

        /**
         * An episode is reported once it holds this many abnormal buckets, or at once when CRITICAL (an outage): a
         * single odd minute is the noise of a bursty series more often than an incident.
         */
        @WithDefault("2")
        int minAbnormalBuckets();

        /** An episode ends once its series has had no abnormal bucket for this long; one within continues it. */
        @WithDefault("PT2M")
        Duration episodeQuiet();

        /** A drop by this share of normal or more is CRITICAL, by the next HIGH, less MODERATE. */
        @WithDefault("0.90")
        double criticalDrop();

        @WithDefault("0.50")
        double highDrop();

        /** A spike to this multiple of normal or more is HIGH; MODERATE below. */
        @WithDefault("3")
        double highSpike();

        /**
         * Whether the shop's revenue in each currency is judged as well, where its expected number of sales reaches
         * {@code min-expected}.
         */
        @WithDefault("true")
        boolean judgeRevenue();

        /**
         * The shop's reporting currency: a sale in a currency that {@code exchange-rates} gives a rate for is counted,
         * converted, in this currency's revenue instead of its own, so that a shop selling in several currencies has
         * one revenue series with nearly all its sales (a pricing error hits every currency at once, and a currency
         * with a few percent of the sales is too thin to judge alone). Unset: each currency is judged apart.
         */
        Optional<String> revenueCurrency();

        /**
         * Units of {@code revenue-currency} per unit of another currency ({@code USD=83.5} for a rupee shop): rough
         * rates do, since a pricing error moves revenue by far more than rates move in weeks.
         */
        Map<String, BigDecimal> exchangeRates();

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
    /** Per currency: the number of sales, the sum of their squared amounts and the largest, for revenue's noise. */
    private static final String CURRENCY_SALES = "c:";
    private static final String SQUARES = "q:";
    private static final String LARGEST = BucketClock.LARGEST_PREFIX + REVENUE;
    private static final String CHANNEL = "@";
    /** Revenue series are named by this and their currency; a channel's name never starts with it. */
    static final String REVENUE_SERIES = "$";
    private static final long LARGEST_SQUARABLE = 3_037_000_499L;
    private static final Set<String> CURRENCY_CODES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration WEEK = Duration.ofDays(7);
    private static final BigDecimal LARGEST_MINOR_AMOUNT = BigDecimal.valueOf(Long.MAX_VALUE);

    /**
     * A judged bucket of one series, as the history keeps it.
     *
     * @param abnormal whether it was found abnormal; the preceding buckets make a baseline of normal ones only
     * @param normal what the bucket contributes to baselines: its count (for revenue, its typical value, as
     *        {@link Observed#typical()}), or for an abnormal bucket the edge
     *        of what was normal then, so that a new habit (a nightly dip) becomes normal within days (absent in
     *        summaries written before abnormal buckets informed baselines)
     * @param episode the episode open in the series at this bucket, if any
     * @param sales for a revenue series, the number of sales behind its revenue ({@code count}, in minor units)
     * @param squares for a revenue series, the sum of its sales' squared amounts (minor units squared, saturating)
     * @param largest for a revenue series, its largest sale; 0 for a count
     */
    record Judged(long count, boolean abnormal, OptionalDouble normal, Optional<Episode> episode, long sales,
            long squares, long largest) {

        /** A bucket of a count series. */
        Judged(long count, boolean abnormal, OptionalDouble normal, Optional<Episode> episode) {
            this(count, abnormal, normal, episode, count, 0, 0);
        }
    }

    /**
     * What a bucket of a series holds: a count of sales (each its own sale, none the largest), or revenue in minor
     * units with the number of sales, their squared amounts and the largest.
     */
    record Observed(long value, long sales, long squares, long largest) {

        static Observed count(long sales) {
            return new Observed(sales, sales, 0, 0);
        }

        /** What a spike is judged on: the value without the largest order. */
        long withoutLargest() {
            return value - largest;
        }

        /**
         * What a normal bucket adds to later baselines: its value with the largest order counted as an average one of
         * the rest, so that one big order does not make later buckets look poor or inflate the deviation.
         */
        double typical() {
            return largest == 0 || sales < 2 ? value : (double) (value - largest) * sales / (sales - 1);
        }
    }

    /** Where a baseline comes from. */
    enum Basis {
        WEEKS("the same time of week in earlier weeks", "same-time-of-week"),
        DAYS("the same time of day on earlier days", "same-time-of-day"),
        ROLLING("the previous", "rolling");

        private final String wording;
        private final String evidence;

        Basis(String wording, String evidence) {
            this.wording = wording;
            this.evidence = evidence;
        }
    }

    /**
     * The expected value of a bucket and its deviation, from {@code buckets} buckets; the deviation is never taken
     * below {@code noise}, the noise of the expected number of sales ({@code expectedSales}) alone.
     */
    record Baseline(double mean, double deviation, int buckets, Basis basis, double noise, double expectedSales) {

        /** A baseline of a count series, whose noise is Poisson's. */
        Baseline(double mean, double deviation, int buckets, Basis basis) {
            this(mean, deviation, buckets, basis, Math.sqrt(mean), mean);
        }

        double deviationWithNoise() {
            return Math.max(deviation, noise);
        }

        String wording() {
            return basis == Basis.ROLLING ? "the previous " + buckets + " buckets" : basis.wording + " (" + buckets + " buckets)";
        }
    }

    /** One bucket found abnormal. */
    record Verdict(long count, Baseline baseline, double deviation, double z, double change, Severity severity) {

        boolean drop() {
            return change < 0;
        }

        /** The edge of normal the bucket is held at in later baselines. */
        double normalEdge(double threshold) {
            double edge = baseline.mean() + Math.signum(z) * threshold * deviation;
            return drop() ? Math.max(count, edge) : Math.min(count, edge);
        }
    }

    /**
     * Consecutive abnormal buckets of one series in one direction, with the worst of them and the totals.
     *
     * @param worst the bucket furthest from normal, by z-score
     */
    record Episode(Instant start, boolean drop, int abnormalBuckets, Instant lastAbnormal, Instant worst, long worstCount,
            double worstExpected, double worstDeviation, double worstZ, Basis worstBasis, int worstBaselineBuckets,
            Severity severity, long sales, double expectedSales, boolean reported) {

        static Episode open(Instant bucket, Verdict verdict) {
            return new Episode(bucket, verdict.drop(), 1, bucket, bucket, verdict.count(), verdict.baseline().mean(),
                    verdict.deviation(), verdict.z(), verdict.baseline().basis(), verdict.baseline().buckets(),
                    verdict.severity(), verdict.count(), verdict.baseline().mean(), false);
        }

        Episode asReported() {
            return new Episode(start, drop, abnormalBuckets, lastAbnormal, worst, worstCount, worstExpected,
                    worstDeviation, worstZ, worstBasis, worstBaselineBuckets, severity, sales, expectedSales, true);
        }

        Episode extend(Instant bucket, Verdict verdict) {
            boolean worse = Math.abs(verdict.z()) > Math.abs(worstZ);
            return new Episode(start, drop, abnormalBuckets + 1, bucket, worse ? bucket : worst,
                    worse ? verdict.count() : worstCount, worse ? verdict.baseline().mean() : worstExpected,
                    worse ? verdict.deviation() : worstDeviation, worse ? verdict.z() : worstZ,
                    worse ? verdict.baseline().basis() : worstBasis,
                    worse ? verdict.baseline().buckets() : worstBaselineBuckets,
                    verdict.severity().compareTo(severity) > 0 ? verdict.severity() : severity,
                    sales + verdict.count(), expectedSales + verdict.baseline().mean(), reported);
        }

        String encode() {
            return String.join(",", Long.toString(start.toEpochMilli()), drop ? "d" : "s", Integer.toString(abnormalBuckets),
                    Long.toString(lastAbnormal.toEpochMilli()), Long.toString(worst.toEpochMilli()),
                    Long.toString(worstCount), Double.toString(worstExpected), Double.toString(worstDeviation),
                    Double.toString(worstZ), worstBasis.name(), Integer.toString(worstBaselineBuckets), severity.name(),
                    Long.toString(sales), Double.toString(expectedSales), reported ? "r" : "");
        }

        static Episode decode(String text) {
            String[] f = text.split(",", -1);
            return new Episode(Instant.ofEpochMilli(Long.parseLong(f[0])), "d".equals(f[1]), Integer.parseInt(f[2]),
                    Instant.ofEpochMilli(Long.parseLong(f[3])), Instant.ofEpochMilli(Long.parseLong(f[4])),
                    Long.parseLong(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                    Basis.valueOf(f[9]), Integer.parseInt(f[10]), Severity.valueOf(f[11]), Long.parseLong(f[12]),
                    Double.parseDouble(f[13]), "r".equals(f[14]));
        }
    }

    record Judgement(List<Finding> findings, List<Summary> summaries) {
    }

    private final Config config;
    private final BucketClock clock;
    private final LateEvents lateEvents;
    private final DetectorMetrics metrics;
    private final Clock wallClock;
    private final Optional<String> revenueCurrency;
    /** Units of the reporting currency per unit of each other, by upper-case ISO code. */
    private final Map<String, BigDecimal> exchangeRates;
    /** What the reporting currency's revenue explanations add: which currencies were converted into it. */
    private final String convertedWording;
    private final String owner = UUID.randomUUID().toString();

    public SalesVolumeDetector(Config config, WindowConfig windows, WindowStore store, LateEvents lateEvents,
            DetectorMetrics metrics, Clock wallClock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = new BucketClock(store, windows, "volume", new BucketClock.Settings(config.bucket(),
                config.allowedLateness(), config.idleAfter(), config.lease(), config.mostBucketsPerClaim(),
                config.longestStretch(), config.historyKept(), config.mostChannels()));
        this.lateEvents = lateEvents;
        metrics.expectBuckets(type().name());
        this.wallClock = wallClock;
        this.revenueCurrency = config.revenueCurrency().map(code -> code.trim().toUpperCase(Locale.ROOT));
        this.revenueCurrency.filter(code -> !CURRENCY_CODES.contains(code)).ifPresent(code -> {
            throw new IllegalArgumentException("txwatch.detectors.sales-volume.revenue-currency: " + code
                    + " is no ISO 4217 currency code");
        });
        // keys as written, or lower-cased when they come from environment variables
        Map<String, BigDecimal> rates = new TreeMap<>();
        config.exchangeRates().forEach((key, rate) -> {
            String code = key.trim().toUpperCase(Locale.ROOT);
            if (!CURRENCY_CODES.contains(code) || rate.signum() <= 0) {
                throw new IllegalArgumentException("txwatch.detectors.sales-volume.exchange-rates." + key
                        + " must be a positive rate for an ISO 4217 currency code, not " + rate);
            }
            if (rates.put(code, rate) != null || revenueCurrency.filter(code::equals).isPresent()) {
                throw new IllegalArgumentException("txwatch.detectors.sales-volume.exchange-rates." + key
                        + " is given twice, or for the reporting currency itself");
            }
        });
        this.exchangeRates = Map.copyOf(rates);
        this.convertedWording = rates.isEmpty() ? ""
                : " (with sales in " + String.join(", ", rates.keySet()) + " converted at the configured rates)";
        if (revenueCurrency.isEmpty() && !exchangeRates.isEmpty()) {
            throw new IllegalArgumentException("txwatch.detectors.sales-volume.exchange-rates are given without "
                    + "txwatch.detectors.sales-volume.revenue-currency to convert into");
        }
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
            // a sale in a currency with a rate counts, converted, in the reporting currency's revenue
            BigDecimal rate = exchangeRates.get(event.currency());
            String currency = rate == null ? event.currency() : revenueCurrency.orElseThrow();
            long revenue = minorUnits(rate == null ? event.amount() : event.amount().multiply(rate), currency);
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put(COUNT, 1L);
            counters.put(COUNT + CHANNEL + channel, 1L);
            counters.put(REVENUE + currency, revenue);
            counters.put(REVENUE + currency + CHANNEL + channel, revenue);
            counters.put(CURRENCY_SALES + currency, 1L);
            counters.put(SQUARES + currency, revenue > LARGEST_SQUARABLE ? Long.MAX_VALUE : revenue * revenue);
            counters.put(LARGEST + currency, revenue);
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
                .invoke(committed -> {
                    if (committed) {
                        metrics.bucketsClosed(type().name(), buckets.size(), claim.last().plus(config.bucket()),
                                claim.watermark());
                    }
                })
                .map(committed -> committed ? buckets.size() : 0);
    }

    /** The history a claim's baselines need: the buckets before it, the same time of day and of week earlier. */
    private List<Instant[]> historyRanges(Claim claim) {
        List<Instant[]> ranges = new ArrayList<>();
        ranges.add(new Instant[] { claim.first().minus(config.bucket().multipliedBy(config.baselineBuckets())), claim.first() });
        Instant end = claim.last().plus(config.bucket());
        for (int day = 1; day <= config.seasonalDays(); day++) {
            ranges.add(seasonalRange(claim.first(), end, DAY.multipliedBy(day)));
        }
        for (int week = 1; week <= config.seasonalWeeks(); week++) {
            if (week * 7 > config.seasonalDays()) {
                ranges.add(seasonalRange(claim.first(), end, WEEK.multipliedBy(week)));
            }
        }
        return ranges;
    }

    private Instant[] seasonalRange(Instant first, Instant end, Duration back) {
        return new Instant[] { first.minus(back).minus(config.seasonalSpan()), end.minus(back).plus(config.seasonalSpan()) };
    }

    /** Judges the claimed buckets in time order, each against a history that includes the ones judged before it. */
    Judgement judge(List<Instant> buckets, Contents contents) {
        Map<String, NavigableMap<Instant, Judged>> history = new LinkedHashMap<>();
        for (Summary summary : contents.history()) {
            String[] parts = summary.text().split("\\|", -1);
            history.computeIfAbsent(parts[1], series -> new TreeMap<>()).put(summary.bucketStart(), decode(parts));
        }
        List<Finding> findings = new ArrayList<>();
        List<Summary> summaries = new ArrayList<>();
        for (Instant bucket : buckets) {
            Map<String, Long> counters = contents.counters().getOrDefault(bucket, Map.of());
            TreeSet<String> channels = new TreeSet<>();
            counters.keySet().stream().filter(field -> field.startsWith(COUNT + CHANNEL))
                    .forEach(field -> channels.add(field.substring(COUNT.length() + CHANNEL.length())));
            history.keySet().stream().filter(name -> !name.equals(WHOLE_SHOP) && !isRevenue(name))
                    .filter(name -> !recent(history.get(name), bucket).isEmpty()).forEach(channels::add);
            Optional<Verdict> shop = judgeBucket(WHOLE_SHOP, bucket, Observed.count(counters.getOrDefault(COUNT, 0L)),
                    counters, history.computeIfAbsent(WHOLE_SHOP, any -> new TreeMap<>()), verdict -> true, findings,
                    summaries);
            // a channel or revenue moving with the shop's sales is the shop's anomaly; one moving on its own, or
            // against them, is its own
            Predicate<Verdict> notTheShops = verdict -> shop.isEmpty() || shop.get().drop() != verdict.drop();
            for (String channel : channels) {
                judgeBucket(channel, bucket, Observed.count(counters.getOrDefault(COUNT + CHANNEL + channel, 0L)),
                        counters, history.computeIfAbsent(channel, any -> new TreeMap<>()), notTheShops, findings,
                        summaries);
            }
            if (config.judgeRevenue()) {
                for (String currency : currencies(bucket, counters, history)) {
                    Observed revenue = new Observed(counters.getOrDefault(REVENUE + currency, 0L),
                            counters.getOrDefault(CURRENCY_SALES + currency, 0L),
                            counters.getOrDefault(SQUARES + currency, 0L), counters.getOrDefault(LARGEST + currency, 0L));
                    String series = REVENUE_SERIES + currency;
                    judgeBucket(series, bucket, revenue, counters, history.computeIfAbsent(series, any -> new TreeMap<>()),
                            notTheShops.and(verdict -> amountsMoved(revenue, verdict)), findings, summaries);
                }
            }
        }
        return new Judgement(findings, summaries);
    }

    /**
     * The currencies sold in this bucket, and those sold in the buckets before it that a baseline would read; a
     * series named like revenue whose name is no currency (a channel's, written before channel names lost a leading
     * '$') is left alone.
     */
    private TreeSet<String> currencies(Instant bucket, Map<String, Long> counters,
            Map<String, NavigableMap<Instant, Judged>> history) {
        TreeSet<String> currencies = new TreeSet<>();
        counters.keySet().stream().filter(field -> field.startsWith(CURRENCY_SALES))
                .forEach(field -> currencies.add(field.substring(CURRENCY_SALES.length())));
        history.keySet().stream().filter(SalesVolumeDetector::isRevenue)
                .filter(name -> CURRENCY_CODES.contains(name.substring(REVENUE_SERIES.length())))
                .filter(name -> recent(history.get(name), bucket).values().stream().anyMatch(judged -> judged.sales() > 0))
                .forEach(name -> currencies.add(name.substring(REVENUE_SERIES.length())));
        return currencies;
    }

    /**
     * Whether revenue moved by its amounts rather than by its number of sales: for a drop, the currency's sales fell
     * by less than {@code min-drop}; for a spike, they rose by less than {@code min-rise}. A currency whose sales
     * themselves fell or soared (its payment method down, a flash sale in it) is not a matter of amounts.
     */
    private boolean amountsMoved(Observed revenue, Verdict verdict) {
        double expected = verdict.baseline().expectedSales();
        double salesChange = (revenue.sales() - expected) / expected;
        return verdict.drop() ? salesChange > -config.minDrop() : salesChange < config.minRise();
    }

    private static boolean isRevenue(String series) {
        return series.startsWith(REVENUE_SERIES);
    }

    /**
     * Judges one series' bucket, carries its episode on in the summary, and adds the episode's anomaly as it stands
     * when the verdict is to be {@code reported} and the episode has lasted long enough (or is CRITICAL); an episode
     * never reported is not closed either.
     */
    private Optional<Verdict> judgeBucket(String series, Instant bucket, Observed observed, Map<String, Long> counters,
            NavigableMap<Instant, Judged> past, Predicate<Verdict> reported, List<Finding> findings,
            List<Summary> summaries) {
        Optional<Episode> previous = Optional.ofNullable(past.lowerEntry(bucket)).flatMap(entry -> entry.getValue().episode());
        boolean stillOpen = previous.filter(episode ->
                bucket.isBefore(episode.lastAbnormal().plus(config.bucket()).plus(config.episodeQuiet()))).isPresent();
        boolean revenue = isRevenue(series);
        // a run is judged against what came before it (a seasonal baseline of its first bucket's time of day, or the
        // buckets before it): its first buckets, not abnormal alone, would otherwise have pulled a rolling baseline
        // down with them, below min-expected in a quiet hour
        Optional<Verdict> verdict = baseline(past, bucket, revenue).flatMap(baseline -> verdict(observed, baseline))
                .or(() -> sustainedRuns(series).stream()
                        .flatMap(run -> baseline(past, bucket.minus(config.bucket().multipliedBy(run - 1L)), revenue)
                                .flatMap(before -> sustained(past, bucket, observed, before, run, revenue)).stream())
                        .findFirst());
        Optional<Episode> episode;
        double normal = observed.typical();
        if (verdict.isPresent()) {
            Verdict abnormal = verdict.get();
            normal = abnormal.normalEdge(zThreshold(abnormal.drop()));
            boolean continues = stillOpen && previous.get().drop() == abnormal.drop();
            if (previous.isPresent() && !continues && previous.get().reported()) {
                findings.add(episodeFinding(series, previous.get(), bucket, false, counters));
            }
            Episode grown = continues ? previous.get().extend(bucket, abnormal) : Episode.open(bucket, abnormal);
            boolean report = reported.test(abnormal) && (grown.abnormalBuckets() >= config.minAbnormalBuckets()
                    || grown.severity() == Severity.CRITICAL);
            episode = Optional.of(report ? grown.asReported() : grown);
            if (report) {
                findings.add(episodeFinding(series, episode.get(), bucket, true, counters));
            }
        } else if (stillOpen) {
            episode = previous;
        } else {
            episode = Optional.empty();
            previous.filter(Episode::reported)
                    .ifPresent(closed -> findings.add(episodeFinding(series, closed, bucket, false, counters)));
        }
        Judged judged = new Judged(observed.value(), verdict.isPresent(), OptionalDouble.of(normal), episode,
                observed.sales(), observed.squares(), observed.largest());
        past.put(bucket, judged);
        summaries.add(new Summary(bucket, encode(bucket, series, judged)));
        return verdict;
    }

    /** {@code start|series|count|abnormal (0 or 1)|normal|episode}, and for revenue {@code |sales|squares|largest}. */
    private static String encode(Instant bucket, String series, Judged judged) {
        String counted = bucket.toEpochMilli() + "|" + series + "|" + judged.count() + "|" + (judged.abnormal() ? 1 : 0)
                + "|" + judged.normal().orElse(judged.count()) + "|" + judged.episode().map(Episode::encode).orElse("");
        return isRevenue(series) ? counted + "|" + judged.sales() + "|" + judged.squares() + "|" + judged.largest() : counted;
    }

    /** Reads summaries as written now, and the earlier form {@code start|series|count|abnormal}. */
    private static Judged decode(String[] parts) {
        long count = Long.parseLong(parts[2]);
        boolean abnormal = "1".equals(parts[3]);
        if (parts.length == 4) {
            return new Judged(count, abnormal, abnormal ? OptionalDouble.empty() : OptionalDouble.of(count), Optional.empty());
        }
        OptionalDouble normal = OptionalDouble.of(Double.parseDouble(parts[4]));
        Optional<Episode> episode = parts[5].isEmpty() ? Optional.empty() : Optional.of(Episode.decode(parts[5]));
        if (parts.length == 9) {
            return new Judged(count, abnormal, normal, episode, Long.parseLong(parts[6]), Long.parseLong(parts[7]),
                    Long.parseLong(parts[8]));
        }
        return new Judged(count, abnormal, normal, episode);
    }

    private NavigableMap<Instant, Judged> recent(NavigableMap<Instant, Judged> past, Instant bucket) {
        return past.subMap(bucket.minus(config.bucket().multipliedBy(config.baselineBuckets())), true, bucket, false);
    }

    /** Weekly when enough earlier weeks are known, else daily when enough earlier days are, else rolling. */
    Optional<Baseline> baseline(NavigableMap<Instant, Judged> past, Instant bucket, boolean revenue) {
        return seasonal(past, bucket, WEEK, config.seasonalWeeks(), config.seasonalMinWeeks(), Basis.WEEKS, revenue)
                .or(() -> seasonal(past, bucket, DAY, config.seasonalDays(), config.seasonalMinDays(), Basis.DAYS, revenue))
                .or(() -> rolling(past, bucket, revenue));
    }

    private Optional<Baseline> seasonal(NavigableMap<Instant, Judged> past, Instant bucket, Duration period, int periods,
            int minPeriods, Basis basis, boolean revenue) {
        List<Judged> buckets = new ArrayList<>();
        int known = 0;
        for (int back = 1; back <= periods; back++) {
            Instant then = bucket.minus(period.multipliedBy(back));
            List<Judged> around = past.subMap(then.minus(config.seasonalSpan()), true, then.plus(config.seasonalSpan()), true)
                    .values().stream().filter(judged -> judged.normal().isPresent()).toList();
            if (!around.isEmpty()) {
                known++;
                buckets.addAll(around);
            }
        }
        return known < minPeriods ? Optional.empty() : Optional.of(baselineOf(buckets, basis, revenue));
    }

    /**
     * The preceding buckets found normal: a ramp through the day moves them along, and an episode in progress does
     * not drag them with it.
     */
    private Optional<Baseline> rolling(NavigableMap<Instant, Judged> past, Instant bucket, boolean revenue) {
        List<Judged> buckets = recent(past, bucket).values().stream().filter(judged -> !judged.abnormal()).toList();
        return buckets.size() < config.minBaselineBuckets() ? Optional.empty()
                : Optional.of(baselineOf(buckets, Basis.ROLLING, revenue));
    }

    /**
     * The mean and deviation of the buckets' normal values; for revenue, with the noise of a sum of the expected number
     * of sales, each as variable as the buckets' sales were: the square root of expected sales times their mean
     * squared amount, each bucket's largest order counted as an average one, as in its normal value.
     */
    private static Baseline baselineOf(List<Judged> buckets, Basis basis, boolean revenue) {
        List<Double> values = buckets.stream().map(judged -> judged.normal().orElse(judged.count())).toList();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double deviation = standardDeviation(values, mean);
        if (!revenue) {
            return new Baseline(mean, deviation, values.size(), basis);
        }
        // abnormal buckets are held at the edge of normal in the mean, but their amounts would distort the noise
        List<Judged> normal = buckets.stream().filter(judged -> !judged.abnormal()).toList();
        List<Judged> amounts = normal.isEmpty() ? buckets : normal;
        double sales = 0;
        double squares = 0;
        for (Judged judged : amounts) {
            sales += judged.sales();
            double largestSquared = (double) judged.largest() * judged.largest();
            squares += judged.sales() < 2 ? judged.squares()
                    : Math.max(0, judged.squares() - largestSquared) * judged.sales() / (judged.sales() - 1);
        }
        double expectedSales = sales / amounts.size();
        double meanSquare = sales == 0 ? 0 : squares / sales;
        return new Baseline(mean, deviation, values.size(), basis, Math.sqrt(expectedSales * meanSquare), expectedSales);
    }

    private static double standardDeviation(List<Double> values, double mean) {
        double squares = values.stream().mapToDouble(value -> (value - mean) * (value - mean)).sum();
        return values.size() > 1 ? Math.sqrt(squares / (values.size() - 1)) : 0;
    }

    private double zThreshold(boolean drop) {
        return drop ? config.dropZThreshold() : config.spikeZThreshold();
    }

    /**
     * Whether a bucket is abnormal against its baseline, and how: a drop by its value, a spike by its value without
     * the largest order.
     */
    Optional<Verdict> verdict(Observed observed, Baseline baseline) {
        if (baseline.expectedSales() < config.minExpected() || baseline.mean() <= 0) {
            return Optional.empty();
        }
        boolean drop = observed.value() < baseline.mean();
        double judged = drop ? observed.value() : observed.withoutLargest();
        double deviation = baseline.deviationWithNoise();
        double z = (judged - baseline.mean()) / deviation;
        double change = (judged - baseline.mean()) / baseline.mean();
        if (Math.abs(z) < zThreshold(drop) || (drop ? -change < config.minDrop() : change < config.minRise())) {
            return Optional.empty();
        }
        return Optional.of(new Verdict(observed.value(), baseline, deviation, z, change, severity(change)));
    }

    /**
     * The runs of buckets a series is judged in besides single buckets: the shop's, of {@code sustained-buckets};
     * revenue's, of those and of {@code revenue-sustained-buckets}; a channel's, none (smaller, noisier).
     */
    private List<Integer> sustainedRuns(String series) {
        return series.equals(WHOLE_SHOP) ? List.of(config.sustainedBuckets())
                : isRevenue(series) ? List.of(config.sustainedBuckets(), config.revenueSustainedBuckets()) : List.of();
    }

    /**
     * Whether the run of {@code run} buckets ending with this one is abnormal together, against the baseline of the
     * run's first bucket (what came before the run): every bucket of it at least {@code min-drop} below (or
     * {@code min-rise} above) normal, and their sum past the z threshold in deviations of a sum and past the sustained
     * change ({@code revenue-sustained-min-drop} for a revenue drop). The verdict is this bucket's count with the run's
     * z-score and change, which the episode reports.
     */
    Optional<Verdict> sustained(NavigableMap<Instant, Judged> past, Instant bucket, Observed observed, Baseline baseline,
            int run, boolean revenue) {
        if (run < 2 || baseline.expectedSales() < config.minExpected() || baseline.mean() <= 0) {
            return Optional.empty();
        }
        boolean drop = observed.value() < baseline.mean();
        long sum = 0;
        for (int back = 0; back < run; back++) {
            long bucketValue = back == 0 ? (drop ? observed.value() : observed.withoutLargest())
                    : Optional.ofNullable(past.get(bucket.minus(config.bucket().multipliedBy(back))))
                            .map(judged -> drop ? judged.count() : judged.count() - judged.largest()).orElse(-1L);
            double bucketChange = (bucketValue - baseline.mean()) / baseline.mean();
            if (bucketValue < 0 || (drop ? -bucketChange < config.minDrop() : bucketChange < config.minRise())) {
                return Optional.empty();
            }
            sum += bucketValue;
        }
        double deviation = baseline.deviationWithNoise();
        double expected = run * baseline.mean();
        double z = (sum - expected) / (deviation * Math.sqrt(run));
        double change = (sum - expected) / expected;
        double minDrop = revenue ? config.revenueSustainedMinDrop() : config.sustainedMinDrop();
        if (Math.abs(z) < zThreshold(drop) || (drop ? -change < minDrop : change < config.sustainedMinRise())) {
            return Optional.empty();
        }
        return Optional.of(new Verdict(observed.value(), baseline, deviation, z, change, severity(change)));
    }

    private Severity severity(double change) {
        return change < 0
                ? -change >= config.criticalDrop() ? Severity.CRITICAL : -change >= config.highDrop() ? Severity.HIGH : Severity.MODERATE
                : change + 1 >= config.highSpike() ? Severity.HIGH : Severity.MODERATE;
    }

    /**
     * The anomaly of an episode as it stands at {@code bucket}: opened, updated or (when {@code ongoing} is false)
     * closed. Its revision grows with the bucket, so the store keeps the latest however often a bucket is judged.
     */
    Finding episodeFinding(String series, Episode episode, Instant bucket, boolean ongoing, Map<String, Long> counters) {
        Instant end = episode.lastAbnormal().plus(config.bucket());
        double change = (episode.sales() - episode.expectedSales()) / episode.expectedSales();
        String basis = new Baseline(episode.worstExpected(), episode.worstDeviation(), episode.worstBaselineBuckets(),
                episode.worstBasis()).wording();
        boolean revenue = isRevenue(series);
        String currency = revenue ? series.substring(REVENUE_SERIES.length()) : null;
        String explanation = revenue
                ? revenueExplanation(currency, episode, end, ongoing, change, basis, counters)
                : salesExplanation(series, episode, end, ongoing, change, basis, counters);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("bucketStart", episode.start().toString());
        evidence.put("bucketEnd", end.toString());
        evidence.put("series", series.equals(WHOLE_SHOP) ? "shop" : revenue ? "revenue:" + currency : "channel:" + series);
        evidence.put("direction", episode.drop() ? "drop" : "spike");
        evidence.put("ongoing", ongoing);
        evidence.put("abnormalBuckets", episode.abnormalBuckets());
        if (revenue) {
            evidence.put("currency", currency);
            evidence.put("revenue", inMajorUnits(episode.sales(), currency));
            evidence.put("expectedRevenue", inMajorUnits(episode.expectedSales(), currency));
        } else {
            evidence.put("sales", episode.sales());
            evidence.put("expectedSales", episode.expectedSales());
        }
        evidence.put("change", change);
        evidence.put("worstBucket", episode.worst().toString());
        if (revenue) {
            evidence.put("worstRevenue", inMajorUnits(episode.worstCount(), currency));
            evidence.put("expectedMean", inMajorUnits(episode.worstExpected(), currency));
            evidence.put("expectedDeviation", inMajorUnits(episode.worstDeviation(), currency));
        } else {
            evidence.put("worstSales", episode.worstCount());
            evidence.put("expectedMean", episode.worstExpected());
            evidence.put("expectedDeviation", episode.worstDeviation());
        }
        evidence.put("baselineBuckets", episode.worstBaselineBuckets());
        evidence.put("baseline", episode.worstBasis().evidence);
        evidence.put("zScore", episode.worstZ());
        evidence.put("zThreshold", zThreshold(episode.drop()));
        if (!revenue && episode.abnormalBuckets() == 1 && ongoing) {
            evidence.put("revenue", inMajorUnits(revenueOf(series, counters)));
        }
        String subject = episode.start() + (series.equals(WHOLE_SHOP) ? "" : CHANNEL + series);
        int revision = (int) (Duration.between(episode.start(), bucket).toMillis() / config.bucket().toMillis()) + 1;
        return new Finding(type(), subject, episode.severity(), Math.abs(episode.worstZ()),
                Strength.ofZ(Math.abs(episode.worstZ())), episode.start(), null, null, null, explanation, evidence)
                .revised(revision);
    }

    private String salesExplanation(String series, Episode episode, Instant end, boolean ongoing, double change,
            String basis, Map<String, Long> counters) {
        String where = series.equals(WHOLE_SHOP) ? "" : ", channel " + series;
        String meaning = episode.drop()
                ? episode.worstCount() == 0 ? "checkout or payments may be down" : "sales have dropped"
                : "a flash sale, a campaign or a bot attack";
        if (episode.abnormalBuckets() == 1 && ongoing) {
            String observed = episode.worstCount() == 0 ? "no sales"
                    : episode.worstCount() + (episode.worstCount() == 1 ? " sale, " : " sales, ")
                            + revenueText(revenueOf(series, counters)) + " revenue";
            return String.format("%s–%s UTC%s: %s, expected %.0f ± %.0f from %s — %s %s normal. %s: %s.",
                    hourMinute(episode.start()), hourMinute(end), where, observed, episode.worstExpected(),
                    episode.worstDeviation(), basis,
                    MoneyFormat.percent(Math.abs(change)), episode.drop() ? "below" : "above", episode.severity(), meaning);
        }
        return String.format("%s–%s UTC%s, %s%s: %d sales in its %d abnormal buckets against %.0f expected, "
                + "%s %s normal; the worst bucket, %s, had %d against %.0f ± %.0f from %s. %s: %s.",
                hourMinute(episode.start()), hourMinute(end), where, Wording.span(Duration.between(episode.start(), end)),
                ongoing ? " so far" : ", over", episode.sales(), episode.abnormalBuckets(), episode.expectedSales(),
                MoneyFormat.percent(Math.abs(change)), episode.drop() ? "below" : "above", hourMinute(episode.worst()),
                episode.worstCount(), episode.worstExpected(), episode.worstDeviation(),
                basis, episode.severity(), meaning);
    }

    /** Revenue is judged only where sales did not move the same way, so its episode is about the amounts. */
    private String revenueExplanation(String currency, Episode episode, Instant end, boolean ongoing, double change,
            String basis, Map<String, Long> counters) {
        String meaning = episode.drop()
                ? "about as many sales as usual came in at lower amounts; a price or a discount may be wrong"
                : "about as many sales as usual came in at larger amounts: big-ticket buying, a campaign or fraud";
        if (episode.abnormalBuckets() == 1 && ongoing) {
            long sales = counters.getOrDefault(CURRENCY_SALES + currency, 0L);
            String withoutLargest = episode.drop() ? ""
                    : ", and above it without its largest order of " + money(counters.getOrDefault(LARGEST + currency, 0L), currency);
            return String.format("%s–%s UTC, revenue in %s: %s from %d %s, expected %s ± %s from %s — %s %s normal%s. %s: %s.",
                    hourMinute(episode.start()), hourMinute(end), revenueWording(currency), money(episode.worstCount(), currency), sales,
                    sales == 1 ? "sale" : "sales", money(episode.worstExpected(), currency),
                    money(episode.worstDeviation(), currency), basis, MoneyFormat.percent(Math.abs(change)),
                    episode.drop() ? "below" : "above", withoutLargest, episode.severity(), meaning);
        }
        return String.format("%s–%s UTC, revenue in %s, %s%s: %s in its %d abnormal buckets against %s expected, "
                + "%s %s normal; the worst bucket, %s, had %s against %s ± %s from %s. %s: %s.",
                hourMinute(episode.start()), hourMinute(end), revenueWording(currency),
                Wording.span(Duration.between(episode.start(), end)),
                ongoing ? " so far" : ", over", money(episode.sales(), currency), episode.abnormalBuckets(),
                money(episode.expectedSales(), currency), MoneyFormat.percent(Math.abs(change)),
                episode.drop() ? "below" : "above", hourMinute(episode.worst()), money(episode.worstCount(), currency),
                money(episode.worstExpected(), currency), money(episode.worstDeviation(), currency), basis,
                episode.severity(), meaning);
    }

    /** "INR", or for the reporting currency "INR (with sales in EUR, USD converted at the configured rates)". */
    private String revenueWording(String currency) {
        return revenueCurrency.filter(currency::equals).isPresent() ? currency + convertedWording : currency;
    }

    private static String money(double minorUnits, String currency) {
        return MoneyFormat.format(inMajorUnits(minorUnits, currency), currency);
    }

    private static BigDecimal inMajorUnits(double minorUnits, String currency) {
        return BigDecimal.valueOf(Math.round(minorUnits), fractionDigits(currency));
    }

    private static String hourMinute(Instant instant) {
        return Wording.clock(instant).substring(0, 5);
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

    /**
     * The event's channel, '|' (the summaries' separator) and a leading '$' (revenue series' mark) made '/', and a
     * channel named as the whole shop's series renamed.
     */
    private static String channelOf(TransactionEvent event) {
        if (event.channel() == null || event.channel().isBlank()) {
            return "unknown";
        }
        if (event.channel().equals(WHOLE_SHOP)) {
            return "/";
        }
        String channel = event.channel().replace('|', '/');
        return channel.startsWith(REVENUE_SERIES) ? "/" + channel.substring(REVENUE_SERIES.length()) : channel;
    }
}
