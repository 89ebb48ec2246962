package io.txwatch.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * A rolling sample of one entity's values in an event-time window: a product's unit prices or quantities, a
 * customer's amounts or local hours ({@code sample-stats.lua}). Each call returns the statistics of the samples
 * before the event, then adds the event's own value. Redis keeps running totals beside the samples, so a call
 * costs the same however many samples the window holds. An event is judged on the newest samples before it, up to
 * the cap, even when it is scored again after later samples pushed some of those out: the script keeps at least
 * as many pushed-out samples aside (at most twice as many).
 */
public final class RollingSample {

    /**
     * @param size samples before this event in the window
     * @param median the median, with {@link Extra#MEDIAN} (0 otherwise)
     * @param matching samples whose value is one of the values asked for, each weighed by its value's weight, with
     *        {@link Extra#VALUE_COUNTS}
     * @param oldest event time of the oldest sample kept: how far back the sample reaches
     * @param lowerQuartile the first quartile, with {@link Extra#MEDIAN} (0 otherwise)
     * @param upperQuartile the third quartile, with {@link Extra#MEDIAN} (0 otherwise)
     */
    public record Stats(long size, double mean, double standardDeviation, double median, double matching, Instant oldest,
            double lowerQuartile, double upperQuartile) {

        /** The interquartile range of a standard normal distribution. */
        private static final double IQR_OF_UNIT_NORMAL = 1.349;

        /**
         * How widely the samples vary on a log scale, robustly: the interquartile range of the log values over that of
         * a standard normal, at least {@code least} (a sample of one repeated value has none). Needs
         * {@link Extra#MEDIAN} and positive quartiles.
         */
        public double logSpread(double least) {
            return Math.max(Math.log(upperQuartile / lowerQuartile) / IQR_OF_UNIT_NORMAL, least);
        }

        /**
         * The statistics {@code sample-stats.lua} gives in mode 'median', of values at hand (quantiles interpolated
         * between neighbouring ranks the same way); {@code oldest} is how far back they reach.
         */
        public static Stats ofValues(Collection<Double> values, Instant oldest) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int size = sorted.length;
            if (size == 0) {
                return new Stats(0, 0, 0, 0, 0, oldest, 0, 0);
            }
            double mean = Arrays.stream(sorted).average().orElse(0);
            double squares = Arrays.stream(sorted).map(value -> (value - mean) * (value - mean)).sum();
            return new Stats(size, mean, size > 1 ? Math.sqrt(squares / (size - 1)) : 0, quantile(sorted, 0.5), 0, oldest,
                    quantile(sorted, 0.25), quantile(sorted, 0.75));
        }

        private static double quantile(double[] sorted, double share) {
            double rank = (sorted.length - 1) * share;
            int below = (int) Math.floor(rank);
            return below == rank ? sorted[below] : sorted[below] + (rank - below) * (sorted[below + 1] - sorted[below]);
        }
    }

    /** What a sample keeps besides its count, mean and standard deviation. */
    public enum Extra {
        NONE("plain"),
        /** the median and quartiles of the samples */
        MEDIAN("median"),
        /** how many samples have each value, for values from a small set such as hours of the day */
        VALUE_COUNTS("count");

        private final String mode;

        Extra(String mode) {
            this.mode = mode;
        }
    }

    private RollingSample() {
    }

    /**
     * @param key the sample's name; its Redis keys add a suffix to it, and keep its hash tag
     * @param valuesToCount with {@link Extra#VALUE_COUNTS}: the values whose earlier samples {@link Stats#matching()}
     *        counts, each once or, written {@code <value>*<weight>}, as much as its weight
     */
    public static Request add(WindowConfig config, String key, Extra extra, String sampleId, Instant at, String value,
            Duration window, int keptAtMost, Collection<String> valuesToCount) {
        List<String> keys = extra == Extra.MEDIAN
                ? List.of(key + ":samples", totalsKey(key), key + ":pushed-out", key + ":by-value")
                : List.of(key + ":samples", totalsKey(key), key + ":pushed-out");
        return WindowScript.SAMPLE_STATS.call(keys, List.of(
                Long.toString(at.toEpochMilli()), sampleId, value, Long.toString(window.toMillis()),
                Integer.toString(keptAtMost), Long.toString(config.allowedLateness().toMillis()),
                Long.toString(config.ttlMillis(window)), String.join(",", valuesToCount), extra.mode,
                Long.toString(config.expiryRefreshMillis())));
    }

    /**
     * The hash of the sample's running totals, which expires with the sample's keys (refreshed as events come): a caller may keep
     * counts of its own about the same entity in it, under fields starting with {@link #CALLER_FIELD_PREFIX}, which
     * the script leaves alone.
     */
    public static String totalsKey(String key) {
        return key + ":totals";
    }

    public static final String CALLER_FIELD_PREFIX = "@";

    /**
     * A look at the sample without adding to it: its newest {@code keptAtMost} samples, whatever their event time,
     * read with {@link #samplesOf(Response)}. For a detector that asks what an entity's values are now, of a sample
     * another detector keeps.
     */
    public static Request newest(String key, int keptAtMost) {
        return Request.cmd(Command.ZREVRANGE).arg(key + ":samples").arg(0).arg(keptAtMost - 1);
    }

    /** The values of the samples {@link #newest} read, by their sample ids, newest first. */
    public static Map<String, Double> samplesOf(Response response) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (Response member : response) {
            String text = member.toString();
            int separator = text.lastIndexOf(MEMBER_SEPARATOR);
            samples.put(text.substring(0, separator), Double.parseDouble(text.substring(separator + 1)));
        }
        return samples;
    }

    /** Separates a member's sample id from its value, as {@code sample-stats.lua} writes them. */
    private static final char MEMBER_SEPARATOR = '\u001f';

    public static Stats read(Response response) {
        return new Stats(response.get(0).toLong(), number(response.get(1)), number(response.get(2)),
                number(response.get(3)), weighedCount(response.get(4)),
                Instant.ofEpochMilli((long) Double.parseDouble(response.get(5).toString())), number(response.get(6)),
                number(response.get(7)));
    }

    /** A sum of weights, freed of the rounding a weight that is no binary fraction leaves after additions and removals. */
    private static double weighedCount(Response response) {
        return Math.round(number(response) * 1e9) / 1e9;
    }

    private static double number(Response response) {
        return Double.parseDouble(response.toString());
    }
}
