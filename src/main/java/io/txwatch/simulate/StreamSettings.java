package io.txwatch.simulate;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import io.txwatch.anomaly.AnomalyType;

/**
 * Everything the generated stream depends on; equal settings give a byte-identical stream.
 *
 * @param seed                the seed of every random choice
 * @param start               event time of the stream's beginning
 * @param customers           how many shoppers
 * @param products            how many products the catalog publishes
 * @param peakEventsPerMinute events per minute at the busiest hour of an ordinary weekday (weekends are busier)
 * @param failureRate         share of everyday payment attempts that fail
 * @param anomalyRate         share of events that belong to an injected per-customer or per-item anomaly
 * @param anomalyMix          relative weight of each injected kind; {@link AnomalyType#SALES_VOLUME} is injected as
 *                            volume shocks instead, and is not part of the mix
 * @param currency            ISO 4217 code of the shop's currency
 * @param shocks              whether to inject sales volume shocks (outages, drops, spikes)
 * @param shockMeanInterval   mean event time between two shocks
 * @param shockWarmUp         event time from the start in which no shock happens, so that baselines can form first
 * @param profile             what kind of shop the everyday traffic imitates
 */
public record StreamSettings(long seed, Instant start, int customers, int products, double peakEventsPerMinute,
        double failureRate, double anomalyRate, Map<AnomalyType, Double> anomalyMix, String currency, boolean shocks,
        Duration shockMeanInterval, Duration shockWarmUp, StreamProfile profile) {

    public StreamSettings {
        require(start != null && anomalyMix != null && currency != null && shockMeanInterval != null
                && shockWarmUp != null && profile != null,
                "start, anomalyMix, currency, the shock durations and the profile are required");
        require(customers >= 1, "customers must be at least 1");
        require(products >= 1, "products must be at least 1");
        require(peakEventsPerMinute > 0 && Double.isFinite(peakEventsPerMinute), "peakEventsPerMinute must be above 0");
        require(failureRate >= 0 && failureRate <= 0.5, "failureRate must be between 0 and 0.5");
        require(anomalyRate >= 0 && anomalyRate <= 0.5, "anomalyRate must be between 0 and 0.5");
        require(!anomalyMix.containsKey(AnomalyType.SALES_VOLUME),
                "SALES_VOLUME is injected as volume shocks, not through the anomaly mix");
        require(anomalyMix.values().stream().allMatch(weight -> weight >= 0 && Double.isFinite(weight)),
                "anomaly mix weights must be 0 or more");
        require(anomalyRate == 0 || anomalyMix.values().stream().mapToDouble(Double::doubleValue).sum() > 0,
                "with an anomaly rate above 0, at least one anomaly mix weight must be above 0");
        require(Money.isSimulated(currency), "currency " + currency + " is not simulated");
        require(shockMeanInterval.compareTo(Duration.ofMinutes(1)) >= 0, "shockMeanInterval must be at least a minute");
        require(!shockWarmUp.isNegative(), "shockWarmUp must not be negative");
        anomalyMix = anomalyMix.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(anomalyMix));
    }

    /** Settings of the default profile. */
    public StreamSettings(long seed, Instant start, int customers, int products, double peakEventsPerMinute,
            double failureRate, double anomalyRate, Map<AnomalyType, Double> anomalyMix, String currency, boolean shocks,
            Duration shockMeanInterval, Duration shockWarmUp) {
        this(seed, start, customers, products, peakEventsPerMinute, failureRate, anomalyRate, anomalyMix, currency, shocks,
                shockMeanInterval, shockWarmUp, StreamProfile.DEFAULT);
    }

    /** These settings for another kind of shop. */
    public StreamSettings withProfile(StreamProfile other) {
        return new StreamSettings(seed, start, customers, products, peakEventsPerMinute, failureRate, anomalyRate,
                anomalyMix, currency, shocks, shockMeanInterval, shockWarmUp, other);
    }

    /**
     * What one unit of each other currency shoppers may pay in is worth in the shop's currency, at the simulation's
     * fixed rates: what a shop owner configures as the sales-volume detector's exchange rates.
     */
    public Map<String, BigDecimal> exchangeRates() {
        return new Money(currency).ratesInto();
    }

    /** The defaults of {@code txwatch.simulator.*}, from the given start. */
    public static StreamSettings defaults(Instant start) {
        Map<AnomalyType, Double> evenMix = new EnumMap<>(AnomalyType.class);
        for (AnomalyType type : AnomalyType.values()) {
            if (type != AnomalyType.SALES_VOLUME) {
                evenMix.put(type, 1.0);
            }
        }
        return new StreamSettings(42, start, 2000, 300, 120, 0.03, 0.01, evenMix, "INR", true, Duration.ofHours(3),
                Duration.ofHours(2));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
