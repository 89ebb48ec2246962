package io.txwatch.evaluate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEventJson;
import io.txwatch.simulate.StreamPublisher;

/**
 * Scores what txwatch reported against what the simulator injected, whose ground truth travels in the published
 * records' headers (detectors never read them).
 * <p>
 * An incident counts as detected when at least one anomaly of its kind is on one of its events or, for
 * SALES_VOLUME, on a bucket that overlaps its period. Precision of a kind counts its anomalies on clean events and
 * on its own incidents; one on another kind's incident (a fraudster's far-away purchase is also at an hour the
 * customer never buys in) is neither right nor wrong for it. Sales volume episodes that start at or after the last
 * event are left out: the simulator stops there, and the silence after it is real; one under way then (a spike the
 * stream ends in) is judged like any other.
 * <p>
 * Detection latency of a per-event kind is wall-clock time from the event's append to Kafka to its anomaly being
 * written; that of SALES_VOLUME is event time from the shock's start to the end of its first flagged bucket, the
 * earliest moment a whole bucket can show it.
 */
public final class Scorecard {

    /** What the headers of one published event say, and when Kafka appended it. */
    public record Truth(String transactionId, AnomalyType kind, String incident, Instant periodStart, Instant periodEnd,
            Instant occurredAt, Instant appendedAt) {

        public boolean clean() {
            return kind == null;
        }

        public static Truth of(ConsumerRecord<String, byte[]> record) {
            if (!(TransactionEventJson.read(record.value()) instanceof TransactionEventJson.Valid valid)) {
                throw new IllegalArgumentException("The simulator published an invalid event at offset " + record.offset());
            }
            TransactionEvent event = valid.event();
            Instant appendedAt = Instant.ofEpochMilli(record.timestamp());
            String label = header(record, StreamPublisher.LABEL_HEADER);
            if (label == null) {
                return new Truth(event.transactionId(), null, null, null, null, event.occurredAt(), appendedAt);
            }
            String period = header(record, StreamPublisher.PERIOD_HEADER);
            String[] bounds = period == null ? null : period.split("/");
            return new Truth(event.transactionId(), AnomalyType.valueOf(label), header(record, StreamPublisher.INCIDENT_HEADER),
                    bounds == null ? null : Instant.parse(bounds[0]), bounds == null ? null : Instant.parse(bounds[1]),
                    event.occurredAt(), appendedAt);
        }

        private static String header(ConsumerRecord<String, byte[]> record, String name) {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    }

    /** An anomaly as the API served it; a SALES_VOLUME one has a bucket instead of a transaction. */
    public record Detected(AnomalyType type, String transactionId, Instant bucketStart, Instant bucketEnd, Instant detectedAt,
            String explanation, String typology) {

        @SuppressWarnings("unchecked")
        public static Detected of(Map<String, Object> item) {
            AnomalyType type = AnomalyType.valueOf((String) item.get("type"));
            Instant detectedAt = Instant.parse((String) item.get("detectedAt"));
            if (type == AnomalyType.SALES_VOLUME) {
                Map<String, Object> evidence = (Map<String, Object>) item.get("evidence");
                return new Detected(type, null, Instant.parse((String) evidence.get("bucketStart")),
                        Instant.parse((String) evidence.get("bucketEnd")), detectedAt, (String) item.get("explanation"), null);
            }
            return new Detected(type, (String) item.get("transactionId"), null, null, detectedAt, (String) item.get("explanation"),
                    (String) item.get("typology"));
        }
    }

    /** One kind's figures; latencies in milliseconds, or in buckets for SALES_VOLUME. */
    public record KindScore(AnomalyType kind, int injected, int detected, int reported, int truePositives, double precision,
            double recall, double f1, double latencyP50, double latencyP99, String latencyUnit) {
    }

    /** What one typology raised: in all, on injected incidents of any kind, and on clean events. */
    public record TypologyScore(String typology, int raised, int onIncidents, int onClean) {
    }

    /** The whole evaluation: per kind, then the clean traffic, then the anomalies that were wrong. */
    public record Result(List<KindScore> kinds, int events, int cleanEvents, int anomaliesOnCleanEvents,
            double cleanFalsePositiveRate, int salesShocksWithinTwoBuckets, List<String> missed,
            List<String> falsePositives, List<TypologyScore> typologies) {

        public KindScore of(AnomalyType kind) {
            return kinds.stream().filter(score -> score.kind() == kind).findFirst().orElseThrow();
        }

        public String table() {
            StringBuilder table = new StringBuilder(String.format("%-21s %8s %8s %8s %8s %9s %7s %6s %11s %11s%n", "kind",
                    "injected", "detected", "reported", "true pos", "precision", "recall", "F1", "latency p50",
                    "latency p99"));
            for (KindScore score : kinds) {
                table.append(String.format("%-21s %8d %8d %8d %8d %9.3f %7.3f %6.3f %11s %11s%n", score.kind(), score.injected(),
                        score.detected(), score.reported(), score.truePositives(), score.precision(), score.recall(), score.f1(),
                        latency(score.latencyP50(), score.latencyUnit()), latency(score.latencyP99(), score.latencyUnit())));
            }
            table.append(String.format("clean events: %,d of %,d; anomalies on them: %,d (false-positive rate %.5f %%)%n",
                    cleanEvents, events, anomaliesOnCleanEvents, cleanFalsePositiveRate * 100));
            table.append(String.format("sales volume shocks flagged within two buckets of their start: %d of %d%n",
                    salesShocksWithinTwoBuckets, of(AnomalyType.SALES_VOLUME).injected()));
            missed.forEach(incident -> table.append("not flagged: ").append(incident).append('\n'));
            typologies.forEach(typology -> table.append(String.format("typology %s: %d raised, %d on injected incidents, %d on "
                    + "clean events%n", typology.typology(), typology.raised(), typology.onIncidents(), typology.onClean())));
            return table.toString();
        }

        private static String latency(double value, String unit) {
            return Double.isNaN(value) ? "-" : unit.equals("ms") ? String.format("%.0f ms", value) : String.format("%.1f %s", value, unit);
        }
    }

    /** False alarms listed per kind, so that a kind with many does not hide the others'. */
    private static final int FALSE_POSITIVES_LISTED_PER_KIND = 20;

    private final Map<String, Truth> truthByTransaction;
    private final List<Truth> shocks;
    private final Instant lastEvent;
    private final Duration bucket;

    public Scorecard(Collection<Truth> truths, Duration bucket) {
        this.truthByTransaction = new HashMap<>();
        truths.forEach(truth -> truthByTransaction.put(truth.transactionId(), truth));
        Map<String, Truth> shockByIncident = new HashMap<>();
        truths.stream().filter(truth -> truth.kind() == AnomalyType.SALES_VOLUME)
                .forEach(truth -> shockByIncident.putIfAbsent(truth.incident(), truth));
        this.shocks = List.copyOf(shockByIncident.values());
        this.lastEvent = truths.stream().map(Truth::occurredAt).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        this.bucket = bucket;
    }

    public Result score(List<Detected> reported) {
        List<Detected> judged = reported.stream()
                .filter(anomaly -> anomaly.bucketStart() == null || anomaly.bucketStart().isBefore(lastEvent))
                .filter(anomaly -> !onAnotherKindsIncident(anomaly)).toList();
        Map<AnomalyType, Set<String>> injected = new EnumMap<>(AnomalyType.class);
        truthByTransaction.values().stream().filter(truth -> !truth.clean())
                .forEach(truth -> injected.computeIfAbsent(truth.kind(), kind -> new HashSet<>()).add(truth.incident()));
        Map<AnomalyType, Set<String>> detected = new EnumMap<>(AnomalyType.class);
        Map<AnomalyType, int[]> truePositivesAndAll = new EnumMap<>(AnomalyType.class);
        Map<AnomalyType, List<Double>> latencies = new EnumMap<>(AnomalyType.class);
        Map<String, Instant> firstFlaggedBucketEnd = new HashMap<>();
        List<String> falsePositives = new ArrayList<>();
        Map<AnomalyType, Integer> falsePositivesListed = new EnumMap<>(AnomalyType.class);
        int onClean = 0;
        for (Detected anomaly : judged) {
            int[] counts = truePositivesAndAll.computeIfAbsent(anomaly.type(), kind -> new int[2]);
            counts[1]++;
            List<Truth> incidents = incidentsOf(anomaly);
            if (incidents.isEmpty()) {
                if (falsePositivesListed.merge(anomaly.type(), 1, Integer::sum) <= FALSE_POSITIVES_LISTED_PER_KIND) {
                    falsePositives.add(anomaly.type() + ": " + anomaly.explanation());
                }
            } else {
                counts[0]++;
                incidents.forEach(truth -> detected.computeIfAbsent(anomaly.type(), kind -> new HashSet<>()).add(truth.incident()));
            }
            if (anomaly.type() == AnomalyType.SALES_VOLUME) {
                // an episode's first bucket is the one that raised it
                incidents.forEach(shock -> firstFlaggedBucketEnd.merge(shock.incident(), anomaly.bucketStart().plus(bucket),
                        (known, other) -> other.isBefore(known) ? other : known));
            } else {
                Truth truth = truthByTransaction.get(anomaly.transactionId());
                if (truth != null && truth.clean()) {
                    onClean++;
                }
                if (!incidents.isEmpty()) {
                    latencies.computeIfAbsent(anomaly.type(), kind -> new ArrayList<>())
                            .add((double) Duration.between(truth.appendedAt(), anomaly.detectedAt()).toMillis());
                }
            }
        }
        int withinTwoBuckets = 0;
        List<String> missed = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        truthByTransaction.values().stream()
                .filter(truth -> !truth.clean() && truth.kind() != AnomalyType.SALES_VOLUME
                        && !detected.getOrDefault(truth.kind(), Set.of()).contains(truth.incident()))
                .sorted(Comparator.comparing(Truth::occurredAt))
                .filter(truth -> listed.add(truth.incident()))
                .forEach(truth -> missed.add("%s %s, transaction %s at %s".formatted(truth.kind(), truth.incident(),
                        truth.transactionId(), truth.occurredAt())));
        for (Truth shock : shocks) {
            Instant flaggedBy = firstFlaggedBucketEnd.get(shock.incident());
            if (flaggedBy == null) {
                missed.add("SALES_VOLUME %s, %s to %s".formatted(shock.incident(), shock.periodStart(), shock.periodEnd()));
            } else {
                double buckets = (double) Duration.between(shock.periodStart(), flaggedBy).toMillis() / bucket.toMillis();
                latencies.computeIfAbsent(AnomalyType.SALES_VOLUME, kind -> new ArrayList<>()).add(buckets);
                if (buckets <= 2) {
                    withinTwoBuckets++;
                }
            }
        }
        List<KindScore> kinds = new ArrayList<>();
        for (AnomalyType kind : AnomalyType.values()) {
            int injectedCount = injected.getOrDefault(kind, Set.of()).size();
            int detectedCount = detected.getOrDefault(kind, Set.of()).size();
            int[] counts = truePositivesAndAll.getOrDefault(kind, new int[2]);
            double precision = counts[1] == 0 ? Double.NaN : (double) counts[0] / counts[1];
            double recall = injectedCount == 0 ? Double.NaN : (double) detectedCount / injectedCount;
            double f1 = 2 * precision * recall / (precision + recall);
            List<Double> sorted = latencies.getOrDefault(kind, List.of()).stream().sorted().toList();
            kinds.add(new KindScore(kind, injectedCount, detectedCount, counts[1], counts[0], precision, recall, f1,
                    percentile(sorted, 0.50), percentile(sorted, 0.99), kind == AnomalyType.SALES_VOLUME ? "buckets" : "ms"));
        }
        int cleanEvents = (int) truthByTransaction.values().stream().filter(Truth::clean).count();
        return new Result(kinds, truthByTransaction.size(), cleanEvents, onClean,
                cleanEvents == 0 ? 0 : (double) onClean / cleanEvents, withinTwoBuckets, missed, falsePositives,
                typologies(reported));
    }

    private List<TypologyScore> typologies(List<Detected> reported) {
        Map<String, int[]> counts = new TreeMap<>();
        for (Detected anomaly : reported) {
            if (anomaly.typology() == null) {
                continue;
            }
            int[] count = counts.computeIfAbsent(anomaly.typology(), name -> new int[3]);
            count[0]++;
            Truth truth = truthByTransaction.get(anomaly.transactionId());
            if (truth != null) {
                count[truth.clean() ? 2 : 1]++;
            }
        }
        return counts.entrySet().stream()
                .map(entry -> new TypologyScore(entry.getKey(), entry.getValue()[0], entry.getValue()[1], entry.getValue()[2]))
                .toList();
    }

    /** The injected incidents an anomaly is right about: its event's, or the shocks its bucket overlaps. */
    private List<Truth> incidentsOf(Detected anomaly) {
        if (anomaly.type() == AnomalyType.SALES_VOLUME) {
            return shocks.stream().filter(shock -> anomaly.bucketStart().isBefore(shock.periodEnd())
                    && shock.periodStart().isBefore(anomaly.bucketEnd())).toList();
        }
        Truth truth = truthByTransaction.get(anomaly.transactionId());
        return truth != null && truth.kind() == anomaly.type() ? List.of(truth) : List.of();
    }

    private boolean onAnotherKindsIncident(Detected anomaly) {
        Truth truth = anomaly.transactionId() == null ? null : truthByTransaction.get(anomaly.transactionId());
        return truth != null && !truth.clean() && truth.kind() != anomaly.type();
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    private static double percentile(List<Double> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
