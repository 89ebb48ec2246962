package io.txwatch.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.txwatch.catalog.CatalogProduct;
import io.txwatch.event.TransactionEvent;
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Statistics of the well-known members of a population (how widely the products of a catalog category are priced,
 * how widely the customers paying in a currency spend, how many units of a category's products an order usually
 * holds and how widely that varies): their means over those whose own history is long, over the last days of event
 * time. Where a member's own history is thin, the population's figures stand in, weaker, so that a few observations
 * that happened to agree do not make a member look steadier than its kind. Kept per population in one hash, a count
 * and a sum per figure and day (fields {@code n<day>}, {@code sum<day>} for the first figure and {@code sum<day>:<i>}
 * for the i-th after it), so a batch reads a population's days in one command; the day leaving the window is dropped
 * as a new one is added. Counted per batch, not per observation id, so a batch scored again after a crash counts
 * twice; among days of members that hardly moves their means.
 */
final class PopulationBaselines {

    /** The population of the products missing from the catalog. */
    private static final String OFF_CATALOG = "~off-catalog";
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
    private static final String SUM = "sum";
    private static final String MEMBERS = "n";

    private final WindowConfig windows;
    private final WindowStore store;
    private final String kind;
    private final int days;
    private final int figures;

    /**
     * @param kind names the populations' keys ({@code <kind>:<population>} in the shop's key space)
     * @param days how many days of event time the means cover
     * @param figures how many figures each member gives
     */
    PopulationBaselines(WindowConfig windows, WindowStore store, String kind, int days, int figures) {
        this.windows = windows;
        this.store = store;
        this.kind = kind;
        this.days = days;
        this.figures = figures;
    }

    /** Judges a subject by its own sample and, where it has them, its population's figures. */
    interface Judge<S> {
        Optional<Finding> judge(S subject, RollingSample.Stats own, Figures population);
    }

    /** The subject as a member of its population, with its figures, where its own history is long enough to inform it. */
    interface Confident<S> {
        Optional<Member> of(S subject, RollingSample.Stats own);
    }

    /**
     * @param id counts the member once per batch, however many of its subjects the batch holds
     * @param figures as many as the population keeps, in the same order
     */
    record Member(String id, double... figures) {
    }

    /** A population's figures: the means over its members counted in the days read, none when no member was. */
    record Figures(double... means) {

        static final Figures NONE = new Figures();

        /** The mean of the figure at this index (from 0), if any member was counted. */
        OptionalDouble mean(int figure) {
            return figure < means.length ? OptionalDouble.of(means[figure]) : OptionalDouble.empty();
        }
    }

    /**
     * One pipeline for the batch: the figures of its subjects' populations over the days up to {@code newestDay} (as
     * they stood before the batch), then each subject's sample request, in order; each subject is judged on its
     * sample's answer with its population's figure; then, in a second pipeline, the figures of the confident members
     * are added to their populations'.
     */
    <S> Uni<List<Finding>> judge(List<S> subjects, List<Request> samples, long newestDay, Function<S, String> populationOf,
            Judge<S> judge, Confident<S> confident) {
        if (subjects.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> populations = subjects.stream().map(populationOf).distinct().sorted().toList();
        List<Request> requests = new ArrayList<>();
        populations.forEach(population -> requests.add(read(population, newestDay)));
        requests.addAll(samples);
        return store.pipeline(requests).chain(responses -> {
            Map<String, Figures> figures = means(populations, responses);
            List<Finding> findings = new ArrayList<>();
            Additions additions = new Additions();
            for (int i = 0; i < subjects.size(); i++) {
                S subject = subjects.get(i);
                String population = populationOf.apply(subject);
                RollingSample.Stats own = RollingSample.read(responses.get(populations.size() + i));
                judge.judge(subject, own, figures.get(population)).ifPresent(findings::add);
                confident.of(subject, own).ifPresent(member -> additions.add(population, member));
            }
            return store.pipeline(add(additions, newestDay)).replaceWith(findings);
        });
    }

    /** The newest day of event time among the events. */
    static long newestDay(List<TransactionEvent> events) {
        return events.stream().mapToLong(event -> dayOf(event.occurredAt())).max().orElse(Long.MIN_VALUE);
    }

    /** A product's population: its catalog category, or all products missing from the catalog. */
    static String categoryOf(Optional<CatalogProduct> product) {
        return product.map(CatalogProduct::category).orElse(OFF_CATALOG);
    }

    /** How a sentence names a product population: "category gifts", "products missing from the catalog". */
    static String describeCategory(String population) {
        return OFF_CATALOG.equals(population) ? "products missing from the catalog" : "category " + population;
    }

    private static long dayOf(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli(), DAY_MILLIS);
    }

    /**
     * Reads the population's figures over the days up to {@code newestDay}, per day its count and then its sums; its
     * answer goes to {@link #figuresOf}.
     */
    private Request read(String population, long newestDay) {
        Request request = Request.cmd(Command.HMGET).arg(key(population));
        for (long day = newestDay - days + 1; day <= newestDay; day++) {
            request.arg(MEMBERS + day);
            for (int figure = 0; figure < figures; figure++) {
                request.arg(sumField(day, figure));
            }
        }
        return request;
    }

    private static String sumField(long day, int figure) {
        return figure == 0 ? SUM + day : SUM + day + ":" + figure;
    }

    /** The figures the first responses answered, one {@link #read} per population in this order. */
    private Map<String, Figures> means(List<String> populations, List<Response> responses) {
        Map<String, Figures> means = new HashMap<>();
        for (int i = 0; i < populations.size(); i++) {
            means.put(populations.get(i), figuresOf(responses.get(i)));
        }
        return means;
    }

    /** The figures a {@link #read} answered, if any member was counted in those days. */
    private Figures figuresOf(Response days) {
        double[] sums = new double[figures];
        long members = 0;
        for (int field = 0; field < days.size(); field += figures + 1) {
            if (days.get(field) != null) {
                members += days.get(field).toLong();
                for (int figure = 0; figure < figures; figure++) {
                    Response sum = days.get(field + 1 + figure);
                    sums[figure] += sum == null ? 0 : Double.parseDouble(sum.toString());
                }
            }
        }
        if (members == 0) {
            return Figures.NONE;
        }
        for (int figure = 0; figure < figures; figure++) {
            sums[figure] /= members;
        }
        return new Figures(sums);
    }

    /** The figures of a batch's well-known members, each member counted once, to add to their populations. */
    private final class Additions {

        private final Map<String, double[]> sums = new TreeMap<>();
        private final Map<String, Long> members = new HashMap<>();
        private final Set<String> counted = new HashSet<>();

        void add(String population, Member member) {
            if (member.figures().length != figures) {
                throw new IllegalArgumentException(kind + " keeps " + figures + " figures per member, not "
                        + member.figures().length);
            }
            if (counted.add(member.id())) {
                double[] sum = sums.computeIfAbsent(population, any -> new double[figures]);
                for (int figure = 0; figure < figures; figure++) {
                    sum[figure] += member.figures()[figure];
                }
                members.merge(population, 1L, Long::sum);
            }
        }
    }

    /** Adds the day's well-known members' figures to their populations' totals; nothing when there are none. */
    private List<Request> add(Additions additions, long day) {
        long ttl = Duration.ofDays(days + 1L).toMillis();
        long leftWindow = day - days;
        List<Request> requests = new ArrayList<>();
        additions.sums.forEach((population, sum) -> {
            String key = key(population);
            Request dropLeftDay = Request.cmd(Command.HDEL).arg(key).arg(MEMBERS + leftWindow);
            for (int figure = 0; figure < figures; figure++) {
                requests.add(Request.cmd(Command.HINCRBYFLOAT).arg(key).arg(sumField(day, figure))
                        .arg(Double.toString(sum[figure])));
                dropLeftDay.arg(sumField(leftWindow, figure));
            }
            requests.add(Request.cmd(Command.HINCRBY).arg(key).arg(MEMBERS + day).arg(additions.members.get(population)));
            requests.add(dropLeftDay);
            requests.add(Request.cmd(Command.PEXPIRE).arg(key).arg(ttl));
        });
        return requests;
    }

    /**
     * The figure to judge by (a spread, a usual quantity): the member's own where its history is not thin or no
     * population is known, else the larger of its own and {@code (size x own + weight x population's) / (size + weight)}:
     * the larger, so that the stand-in only ever judges more leniently.
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
