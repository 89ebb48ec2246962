package io.txwatch.localinfra;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of the service's Prometheus metrics: each metric summed over its labels, and histogram buckets. */
public record MetricsScrape(Map<String, Double> sums, Map<String, TreeMap<Double, Double>> histograms) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    public static MetricsScrape parse(String text) {
        Map<String, Double> sums = new HashMap<>();
        Map<String, TreeMap<Double, Double>> histograms = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            String name = sample.group(1);
            double value = Double.parseDouble(sample.group(3));
            sums.merge(name, value, Double::sum);
            Matcher le = sample.group(2) == null ? null : LE.matcher(sample.group(2));
            if (name.endsWith("_bucket") && le != null && le.find()) {
                double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                histograms.computeIfAbsent(name.substring(0, name.length() - "_bucket".length()), key -> new TreeMap<>())
                        .merge(bound, value, Double::sum);
            }
        }
        return new MetricsScrape(sums, histograms);
    }

    public double sum(String name) {
        return sums.getOrDefault(name, 0.0);
    }

    /** Cumulative bucket counts of {@code histogram} observed after {@code earlier}. */
    public TreeMap<Double, Double> bucketsSince(MetricsScrape earlier, String histogram) {
        TreeMap<Double, Double> now = histograms.getOrDefault(histogram, new TreeMap<>());
        TreeMap<Double, Double> before = earlier.histograms.getOrDefault(histogram, new TreeMap<>());
        TreeMap<Double, Double> difference = new TreeMap<>();
        now.forEach((bound, count) -> difference.put(bound, count - before.getOrDefault(bound, 0.0)));
        return difference;
    }

    /**
     * Events the service is done with: scored and persisted, or refused. Not the duplicates: those are events
     * delivered again (after a rebalance), already counted once.
     */
    public double handledEvents() {
        return sum("txwatch_events_processed_total") + sum("txwatch_events_invalid_total");
    }
}
