package io.txwatch.backtest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.txwatch.anomaly.Severity;

/**
 * What txwatch would have raised on a user's events: per kind (a single detector's alarms) and per typology the
 * anomalies and the share of events they flag, the highest-risk anomalies with their explanations, and, when the file
 * carries labels, precision and recall.
 *
 * @param refused events the service refused (dead-lettered), with the most frequent reasons
 * @param flaggedShare share of the events flagged by at least one per-event anomaly
 * @param precision of the flagged events, the share labelled as true anomalies; null without labels
 * @param recall of the events labelled as true anomalies, the share flagged; null without labels
 */
record BacktestReport(int events, long refused, List<String> refusalReasons, List<Kind> kinds, int flaggedEvents,
        double flaggedShare, List<Top> top, Integer labelled, Double precision, Double recall) {

    static final int TOP = 10;

    /**
     * One kind's figures, or one typology's ({@code typology <name>}); {@code events} and {@code share} count the events
     * it flags (none for SALES_VOLUME, whose
     * anomalies are about time buckets).
     */
    record Kind(String kind, int anomalies, int events, double share, Double precision, Double recall) {
    }

    record Top(double riskScore, String severity, String type, String occurredAt, String explanation) {
    }

    /**
     * An anomaly as the API served it: type, severity, risk, the typology that raised it (null for a detector's own),
     * the transaction it is about, its explanation.
     */
    record Served(String type, Severity severity, double riskScore, String typology, String transactionId,
            String occurredAt, String explanation) {

        static Served of(Map<String, Object> item) {
            return new Served((String) item.get("type"), Severity.valueOf((String) item.get("severity")),
                    ((Number) item.get("riskScore")).doubleValue(), (String) item.get("typology"),
                    (String) item.get("transactionId"), (String) item.get("occurredAt"), (String) item.get("explanation"));
        }

        /** The row it counts in: its typology's, or its type's. */
        String row() {
            return typology == null ? type : "typology " + typology;
        }
    }

    static BacktestReport of(List<EventFile.Event> events, long refused, List<String> refusalReasons, List<Served> anomalies) {
        Set<String> positives = new HashSet<>();
        boolean labelled = !events.isEmpty() && events.stream().allMatch(event -> event.label().isPresent());
        events.stream().filter(event -> event.label().orElse(false)).forEach(event -> positives.add(event.transactionId()));
        Map<String, List<Served>> byKind = new TreeMap<>();
        anomalies.forEach(anomaly -> byKind.computeIfAbsent(anomaly.row(), kind -> new ArrayList<>()).add(anomaly));
        Set<String> flagged = new HashSet<>();
        List<Kind> kinds = new ArrayList<>();
        byKind.forEach((kind, ofKind) -> {
            Set<String> flaggedByKind = new HashSet<>();
            ofKind.stream().filter(anomaly -> anomaly.transactionId() != null).forEach(anomaly -> flaggedByKind.add(anomaly.transactionId()));
            flagged.addAll(flaggedByKind);
            kinds.add(new Kind(kind, ofKind.size(), flaggedByKind.size(), share(flaggedByKind.size(), events.size()),
                    labelled && !flaggedByKind.isEmpty() ? share(hits(flaggedByKind, positives), flaggedByKind.size()) : null,
                    labelled && !positives.isEmpty() && !flaggedByKind.isEmpty()
                            ? share(hits(flaggedByKind, positives), positives.size()) : null));
        });
        List<Top> top = anomalies.stream()
                .sorted(Comparator.comparingDouble(Served::riskScore).reversed().thenComparing(Comparator.comparing(Served::severity).reversed()))
                .limit(TOP).map(anomaly -> new Top(anomaly.riskScore(), anomaly.severity().name(), anomaly.row(),
                        anomaly.occurredAt(), anomaly.explanation()))
                .toList();
        return new BacktestReport(events.size(), refused, refusalReasons, kinds, flagged.size(), share(flagged.size(), events.size()),
                top, labelled ? positives.size() : null,
                labelled && !flagged.isEmpty() ? share(hits(flagged, positives), flagged.size()) : null,
                labelled && !positives.isEmpty() ? share(hits(flagged, positives), positives.size()) : null);
    }

    private static int hits(Set<String> flagged, Set<String> positives) {
        return (int) flagged.stream().filter(positives::contains).count();
    }

    private static double share(int part, int whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    String table() {
        StringBuilder table = new StringBuilder();
        table.append(String.format("events: %,d; refused by the service: %,d%n", events, refused));
        refusalReasons.forEach(reason -> table.append("  refused: ").append(reason).append('\n'));
        table.append(String.format("%-26s %9s %8s %9s %9s %7s%n", "kind or typology", "anomalies", "events", "share",
                "precision", "recall"));
        for (Kind kind : kinds) {
            table.append(String.format("%-26s %9d %8d %8.3f%% %9s %7s%n", kind.kind(), kind.anomalies(), kind.events(),
                    kind.share() * 100, figure(kind.precision()), figure(kind.recall())));
        }
        table.append(String.format("events flagged: %,d of %,d (%.3f %%)%n", flaggedEvents, events, flaggedShare * 100));
        if (labelled != null) {
            table.append(String.format("labelled anomalies: %,d; precision %s, recall %s%n", labelled, figure(precision),
                    figure(recall)));
        }
        table.append("highest risk:\n");
        top.forEach(anomaly -> table.append(String.format("  %.2f %s %s: %s%n", anomaly.riskScore(), anomaly.severity(),
                anomaly.type(), anomaly.explanation())));
        return table.toString();
    }

    private static String figure(Double value) {
        return value == null ? "-" : String.format("%.3f", value);
    }
}
