package io.txwatch.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

import io.txwatch.window.WindowConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * How widely the well-known members of a population vary (the products of a catalog category, the customers paying in
 * a currency): the mean log spread of those whose own history is long, over the last days of event time. Where a
 * member's own history is thin, the population's spread stands in, weaker, so that a few observations that happened
 * to agree do not make a member look steadier than its kind. Kept per population in one hash, a sum and a count per
 * day (fields {@code spreads<day>} and {@code n<day>}), so a batch reads a population's days in one command; the day
 * leaving the window is dropped as a new one is added. Counted per batch, not per observation id, so a batch scored
 * again after a crash counts twice; among days of spreads that hardly moves their mean.
 */
final class PopulationSpreads {

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
    private static final String SPREADS = "spreads";
    private static final String MEMBERS = "n";

    private final WindowConfig windows;
    private final String kind;
    private final int days;

    /**
     * @param kind names the populations' keys ({@code <kind>:<population>} in the shop's key space)
     * @param days how many days of event time the mean spread covers
     */
    PopulationSpreads(WindowConfig windows, String kind, int days) {
        this.windows = windows;
        this.kind = kind;
        this.days = days;
    }

    static long dayOf(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli(), DAY_MILLIS);
    }

    /** Reads the population's spreads over the days up to {@code newestDay}; its answer goes to {@link #mean}. */
    Request read(String population, long newestDay) {
        Request request = Request.cmd(Command.HMGET).arg(key(population));
        for (long day = newestDay - days + 1; day <= newestDay; day++) {
            request.arg(SPREADS + day).arg(MEMBERS + day);
        }
        return request;
    }

    /** The mean spreads the first responses answered, one {@link #read} per population in this order. */
    static Map<String, OptionalDouble> means(List<String> populations, List<Response> responses) {
        Map<String, OptionalDouble> means = new HashMap<>();
        for (int i = 0; i < populations.size(); i++) {
            means.put(populations.get(i), mean(responses.get(i)));
        }
        return means;
    }

    /** The mean spread a {@link #read} answered, if any member was counted in those days. */
    private static OptionalDouble mean(Response days) {
        double sum = 0;
        long members = 0;
        for (int field = 0; field < days.size(); field += 2) {
            if (days.get(field + 1) != null) {
                sum += Double.parseDouble(days.get(field).toString());
                members += days.get(field + 1).toLong();
            }
        }
        return members == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / members);
    }

    /** The spreads of a batch's well-known members, each member counted once, to add to their populations. */
    static final class Additions {

        private final Map<String, double[]> sums = new TreeMap<>();
        private final Set<String> counted = new HashSet<>();

        void add(String population, String member, double spread) {
            if (counted.add(member)) {
                double[] sum = sums.computeIfAbsent(population, any -> new double[2]);
                sum[0] += spread;
                sum[1]++;
            }
        }
    }

    /** Adds the day's well-known members' spreads to their populations' totals; nothing when there are none. */
    List<Request> add(Additions additions, long day) {
        long ttl = Duration.ofDays(days + 1L).toMillis();
        long leftWindow = day - days;
        List<Request> requests = new ArrayList<>();
        additions.sums.forEach((population, sum) -> {
            String key = key(population);
            requests.add(Request.cmd(Command.HINCRBYFLOAT).arg(key).arg(SPREADS + day).arg(Double.toString(sum[0])));
            requests.add(Request.cmd(Command.HINCRBY).arg(key).arg(MEMBERS + day).arg((long) sum[1]));
            requests.add(Request.cmd(Command.HDEL).arg(key).arg(SPREADS + leftWindow).arg(MEMBERS + leftWindow));
            requests.add(Request.cmd(Command.PEXPIRE).arg(key).arg(ttl));
        });
        return requests;
    }

    /**
     * The spread to judge by: the member's own where its history is not thin or no population is known, else the
     * larger of its own and {@code (size x own + weight x population's) / (size + weight)}.
     */
    static double standIn(double own, long size, boolean thin, OptionalDouble population, double weight) {
        if (!thin || population.isEmpty()) {
            return own;
        }
        return Math.max(own, (size * own + weight * population.getAsDouble()) / (size + weight));
    }

    private String key(String population) {
        return windows.shopKey(kind + ":" + population);
    }
}
