package io.txwatch.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What each detector does with the events it is given, for the Detectors dashboard: how many it judged, how many
 * signals it gave (alarms by its own thresholds, and evidence below them), how many it found too little history of
 * their own to judge by, and for the bucket detectors how many buckets they closed and how far behind event time.
 * Labels are detector names, so the series stay few.
 */
@ApplicationScoped
public class DetectorMetrics {

    public enum Outcome {
        /** past the detector's own thresholds: an anomaly by itself */
        ALARM,
        /** below them: kept only where it coincides with others in a typology */
        EVIDENCE
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> judged = new ConcurrentHashMap<>();
    /** By detector, then outcome: counted per signal on the hot path, so looked up without building a key. */
    private final Map<String, Map<Outcome, Counter>> signals = new ConcurrentHashMap<>();
    private final Map<String, Counter> thinBaselines = new ConcurrentHashMap<>();
    private final Map<String, Counter> bucketsClosed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bucketLagMillis = new ConcurrentHashMap<>();

    public DetectorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Exports a per-event detector's counts at zero before its first event. */
    public void expect(String detector) {
        judgedCounter(detector);
        for (Outcome outcome : Outcome.values()) {
            signalCounter(detector, outcome);
        }
    }

    /** Exports at zero, before the first, the count of a detector that judges by each subject's own history. */
    public void expectThinBaselines(String detector) {
        thinBaselineCounter(detector);
    }

    /**
     * A subject (an event, an order line) whose own history was too short for its detector to judge it by: judged by
     * a population standing in, by a fixed limit, or not at all.
     */
    public void thinBaseline(String detector) {
        thinBaselineCounter(detector).increment();
    }

    /** Exports a bucket detector's counts at zero before its first bucket closes. */
    public void expectBuckets(String detector) {
        bucketsClosedCounter(detector);
        bucketLag(detector);
    }

    public void judged(String detector, int events) {
        judgedCounter(detector).increment(events);
    }

    public void signalled(String detector, Outcome outcome) {
        signalCounter(detector, outcome).increment();
    }

    /**
     * Buckets judged and closed.
     *
     * @param newestEnd the end of the newest of them
     * @param eventTime how far event time had come when they closed: the lag is how long after its end the newest
     *        was judged, in event time, at least the allowed lateness
     */
    public void bucketsClosed(String detector, int buckets, Instant newestEnd, Instant eventTime) {
        bucketsClosedCounter(detector).increment(buckets);
        bucketLag(detector).set(Math.max(0, Duration.between(newestEnd, eventTime).toMillis()));
    }

    private Counter judgedCounter(String detector) {
        return judged.computeIfAbsent(detector, name -> Counter.builder("txwatch.detector.events")
                .description("Events given to a per-event detector to judge").tag("detector", name).register(registry));
    }

    private Counter signalCounter(String detector, Outcome outcome) {
        return signals.computeIfAbsent(detector, name -> {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome each : Outcome.values()) {
                byOutcome.put(each, Counter.builder("txwatch.detector.signals")
                        .description("Signals a detector gave: alarms by its own thresholds, and evidence below them")
                        .tag("detector", name).tag("outcome", each.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
            return byOutcome;
        }).get(outcome);
    }

    private Counter thinBaselineCounter(String detector) {
        return thinBaselines.computeIfAbsent(detector, name -> Counter.builder("txwatch.detector.thin.baselines")
                .description("Events or order lines whose own history was too short for the detector to judge them by")
                .tag("detector", name).register(registry));
    }

    private Counter bucketsClosedCounter(String detector) {
        return bucketsClosed.computeIfAbsent(detector, name -> Counter.builder("txwatch.buckets.closed")
                .description("Time buckets a bucket detector judged and closed").tag("detector", name).register(registry));
    }

    private AtomicLong bucketLag(String detector) {
        return bucketLagMillis.computeIfAbsent(detector, name -> {
            AtomicLong lag = new AtomicLong();
            Gauge.builder("txwatch.buckets.close.lag", lag, millis -> millis.get() / 1000.0)
                    .description("How far event time had passed the end of the newest bucket judged when it was closed")
                    .baseUnit("seconds").tag("detector", name).register(registry);
            return lag;
        });
    }
}
