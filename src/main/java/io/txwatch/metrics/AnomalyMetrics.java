package io.txwatch.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What Grafana users alert on: the anomalies raised, and how long after its event each one was stored. Counted when an
 * anomaly is first stored, so a redelivered batch or a growing episode does not count it again. Labels are names, not
 * the stages' types, so that every stage may report here.
 */
@ApplicationScoped
public class AnomalyMetrics {

    /** The typology label of an anomaly raised by one detector alone. */
    public static final String NO_TYPOLOGY = "none";

    private static final String ANOMALIES = "txwatch.anomalies";
    private static final String ANOMALIES_DESCRIPTION = "Anomalies raised, counted once when first stored";

    private final MeterRegistry registry;
    private final Map<List<String>, Counter> anomalies = new ConcurrentHashMap<>();
    private final Timer sinceAppend;
    private final Timer sinceEventTime;

    public AnomalyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sinceAppend = latency(registry, "append",
                "From the event's append to Kafka until its anomaly is stored");
        this.sinceEventTime = latency(registry, "event-time",
                "From the event time the anomaly is about (a sales bucket's start) until it is stored");
    }

    private static Timer latency(MeterRegistry registry, String since, String description) {
        return Timer.builder("txwatch.detection.latency").description(description).tag("since", since)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(registry);
    }

    private Counter counter(String type, String severity, String typology) {
        return anomalies.computeIfAbsent(List.of(type, severity, typology), labels -> Counter.builder(ANOMALIES)
                .description(ANOMALIES_DESCRIPTION)
                .tag("type", type).tag("severity", severity).tag("typology", typology)
                .register(registry));
    }

    /**
     * Exports the count of a type and severity at zero before its first anomaly, as every one should be from the start:
     * a rate over a series that does not exist yet is no rate at all.
     */
    public void expect(String type, String severity) {
        counter(type, severity, NO_TYPOLOGY);
    }

    /** ...and of a typology, filed under one of the types it combines. */
    public void expect(String type, String severity, String typology) {
        counter(type, severity, typology);
    }

    /**
     * An anomaly stored for the first time.
     *
     * @param typology the typology that raised it, or null for a single detector's alarm; typologies are named in
     *        configuration, so the label's values stay few
     */
    public void raised(String type, String severity, String typology, Instant occurredAt, Instant storedAt) {
        counter(type, severity, typology == null ? NO_TYPOLOGY : typology).increment();
        sinceEventTime.record(Math.max(0, storedAt.toEpochMilli() - occurredAt.toEpochMilli()), TimeUnit.MILLISECONDS);
    }

    /** How long after its event's append to Kafka an anomaly about it was stored. */
    public void storedAfterAppend(long appendedAtMillis, Instant storedAt) {
        sinceAppend.record(Math.max(0, storedAt.toEpochMilli() - appendedAtMillis), TimeUnit.MILLISECONDS);
    }
}
