package io.txwatch.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.window.RollingSample.Extra;
import io.txwatch.window.RollingSample.Stats;

/**
 * The running totals on Redis must give what reading every sample of the window would: each call is checked
 * against a model that keeps the samples in memory and computes the statistics from scratch.
 */
@QuarkusTest
class RollingSampleTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(6);
    private static final int KEPT = 40;

    @Inject
    WindowStore store;

    @Inject
    WindowConfig config;

    @Test
    void meanAndDeviationFollowTheWindowAsSamplesComeAndGo() {
        Random amounts = new Random(10);
        replay(Extra.NONE, new Random(11), () -> "%d.%02d".formatted(100 + amounts.nextInt(900), amounts.nextInt(100)));
    }

    @Test
    void medianFollowsTheWindowAsSamplesComeAndGo() {
        Random values = new Random(12);
        replay(Extra.MEDIAN, new Random(13), () -> Integer.toString(50 + values.nextInt(20)));
    }

    @Test
    void valueCountsFollowTheWindowAsSamplesComeAndGo() {
        Random hours = new Random(14);
        replay(Extra.VALUE_COUNTS, new Random(15), () -> Integer.toString(hours.nextInt(24)));
    }

    @Test
    void aLookWithoutAddingSeesWhatTheNextSampleInOrderWouldBeJudgedOn() {
        String key = "test:{e:" + UUID.randomUUID() + "}:look";
        Random random = new Random(16);
        Instant at = START;
        for (int i = 0; i < 120; i++) {
            at = at.plusMillis(random.nextLong(1, WINDOW.toMillis() / 50));
            String value = "%d.%02d".formatted(100 + random.nextInt(400), random.nextInt(100));
            Stats looked = Stats.ofValues(store.one(RollingSample.newest(key, KEPT))
                    .map(response -> RollingSample.samplesOf(response).values()).await().atMost(Duration.ofSeconds(5)), at);
            Stats judged = call(key, Extra.MEDIAN, "s" + i, at, value, List.of());
            String step = "sample %d".formatted(i);
            assertThat(looked.size()).as(step).isEqualTo(judged.size());
            assertThat(looked.mean()).as(step).isCloseTo(judged.mean(), within(1e-6));
            assertThat(looked.median()).as(step).isCloseTo(judged.median(), within(1e-9));
            assertThat(looked.lowerQuartile()).as(step).isCloseTo(judged.lowerQuartile(), within(1e-9));
            assertThat(looked.upperQuartile()).as(step).isCloseTo(judged.upperQuartile(), within(1e-9));
        }
    }

    @Test
    void aSampleAddedTwiceCountsOnceAndIsNotPartOfItsOwnStatistics() {
        String key = "test:{e:" + UUID.randomUUID() + "}:twice";
        call(key, Extra.MEDIAN, "a", START, "10", List.of());
        call(key, Extra.MEDIAN, "b", START.plusSeconds(60), "30", List.of());
        Stats first = call(key, Extra.MEDIAN, "c", START.plusSeconds(120), "1000", List.of());
        Stats again = call(key, Extra.MEDIAN, "c", START.plusSeconds(120), "1000", List.of());
        Stats after = call(key, Extra.MEDIAN, "d", START.plusSeconds(180), "0", List.of());

        assertThat(first.size()).isEqualTo(2);
        assertThat(first.mean()).isEqualTo(20);
        assertThat(first.median()).isEqualTo(20);
        assertThat(again).isEqualTo(first);
        assertThat(after.size()).isEqualTo(3);
        assertThat(after.median()).isEqualTo(30);
    }

    @Test
    void anEventScoredAgainAfterLaterSamplesPushedEarlierOnesOutIsJudgedAsTheFirstTime() {
        for (Extra extra : Extra.values()) {
            String key = "test:{e:" + UUID.randomUUID() + "}:again-" + extra;
            for (int i = 0; i < KEPT; i++) {
                call(key, extra, "early" + i, START.plusSeconds(i), Integer.toString(i), List.of("3"));
            }
            Instant judged = START.plusSeconds(KEPT);
            Stats first = call(key, extra, "judged", judged, "500", List.of("3"));
            for (int i = 0; i < 5; i++) {
                call(key, extra, "later" + i, judged.plusSeconds(1 + i), "9000", List.of("3"));
            }
            Stats again = call(key, extra, "judged", judged, "500", List.of("3"));
            Stats next = call(key, extra, "next", judged.plusSeconds(10), "0", List.of("3"));

            assertThat(first.size()).as(extra.name()).isEqualTo(KEPT);
            assertThat(again).as(extra.name()).isEqualTo(first);
            assertThat(next.size()).as(extra.name() + ": the cap holds").isEqualTo(KEPT);
            double earlyStillKept = (6 + KEPT - 1) * (KEPT - 6) / 2.0;
            assertThat(next.mean()).as(extra.name()).isCloseTo((earlyStillKept + 500 + 5 * 9000) / KEPT, within(1e-6));
        }
    }

    /**
     * Random events, mostly in order, some behind the newest by up to the allowed lateness, some repeated (a batch
     * scored again), with gaps that let the window empty out, checked one by one against the model.
     */
    private void replay(Extra extra, Random random, Supplier<String> nextValue) {
        String key = "test:{e:" + UUID.randomUUID() + "}:" + extra;
        Model model = new Model(WINDOW, KEPT, config.allowedLateness());
        Instant newest = START;
        List<Sample> sent = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Sample sample;
            int draw = random.nextInt(100);
            if (draw < 5 && !sent.isEmpty()) {
                sample = sent.get(sent.size() - 1 - random.nextInt(Math.min(5, sent.size())));
            } else {
                Instant at = draw < 15 ? newest.minusMillis(random.nextLong(config.allowedLateness().toMillis()))
                        : draw < 17 ? newest.plus(WINDOW.multipliedBy(random.nextInt(1, 3)))
                        : newest.plusMillis(random.nextLong(1, WINDOW.toMillis() / 30));
                sample = new Sample("s" + i, at.toEpochMilli(), nextValue.get());
                sent.add(sample);
            }
            newest = Instant.ofEpochMilli(Math.max(newest.toEpochMilli(), sample.at()));
            // a value asked for twice counts as first asked; one asked with a weight counts as much as its weight
            List<String> asked = List.of(sample.value(), Integer.toString(i % 24), (i + 7) % 24 + "*0.5");
            Stats expected = model.add(sample, asked);
            Stats actual = call(key, extra, sample.id(), Instant.ofEpochMilli(sample.at()), sample.value(),
                    extra == Extra.VALUE_COUNTS ? asked : List.of());
            String step = "call %d (%s)".formatted(i, sample);
            assertThat(actual.size()).as(step).isEqualTo(expected.size());
            assertThat(actual.mean()).as(step).isCloseTo(expected.mean(), within(1e-6));
            assertThat(actual.standardDeviation()).as(step).isCloseTo(expected.standardDeviation(), within(1e-6));
            assertThat(actual.oldest()).as(step).isEqualTo(expected.oldest());
            if (extra == Extra.MEDIAN) {
                assertThat(actual.median()).as(step).isEqualTo(expected.median());
                assertThat(actual.lowerQuartile()).as(step).isCloseTo(expected.lowerQuartile(), within(1e-9));
                assertThat(actual.upperQuartile()).as(step).isCloseTo(expected.upperQuartile(), within(1e-9));
            }
            if (extra == Extra.VALUE_COUNTS) {
                assertThat(actual.matching()).as(step).isEqualTo(expected.matching());
            }
        }
    }

    private Stats call(String key, Extra extra, String id, Instant at, String value, List<String> valuesToCount) {
        return store.one(RollingSample.add(config, key, extra, id, at, value, WINDOW, KEPT, valuesToCount))
                .map(RollingSample::read).await().atMost(Duration.ofSeconds(5));
    }

    private record Sample(String id, long at, String value) {

        String member() {
            return id + "\u001f" + value;
        }
    }

    /**
     * The samples in memory, trimmed as the script trims them, the statistics computed from all of them: those
     * before the event in the window, the newest up to the cap when the event is not the newest.
     */
    private static final class Model {

        // Redis orders equal scores by member, byte by byte
        private static final Comparator<Sample> ORDER = Comparator.comparingLong(Sample::at).thenComparing(Sample::member);

        private final long window;
        private final int kept;
        private final long lateness;
        private final List<Sample> samples = new ArrayList<>();
        private final List<Sample> pushedOut = new ArrayList<>();
        private long newest = Long.MIN_VALUE;

        Model(Duration window, int kept, Duration lateness) {
            this.window = window.toMillis();
            this.kept = kept;
            this.lateness = lateness.toMillis();
        }

        Stats add(Sample sample, List<String> asked) {
            long t = sample.at();
            long cutoff = Math.max(t, newest) - window - lateness;
            samples.removeIf(kept -> kept.at() < cutoff);
            pushedOut.removeIf(kept -> kept.at() < cutoff);
            List<Sample> seen = new ArrayList<>(samples.stream().filter(s -> s.at() > t - window && s.at() < t).toList());
            if (t <= newest) {
                List<Sample> restorable = pushedOut.stream().filter(s -> s.at() > t - window && s.at() < t)
                        .sorted(ORDER.reversed()).toList();
                seen.addAll(restorable.subList(0, Math.max(0, Math.min(restorable.size(), kept - seen.size()))));
            }
            long oldest = Stream.concat(samples.stream(), seen.stream()).mapToLong(Sample::at).min().orElse(t);
            List<Double> values = seen.stream().map(s -> Double.parseDouble(s.value())).sorted().toList();
            Map<String, Double> weights = new LinkedHashMap<>();
            for (String entry : asked) {
                int star = entry.indexOf('*');
                weights.putIfAbsent(star < 0 ? entry : entry.substring(0, star),
                        star < 0 ? 1.0 : Double.parseDouble(entry.substring(star + 1)));
            }
            double matching = seen.stream().mapToDouble(s -> weights.getOrDefault(s.value(), 0.0)).sum();
            int n = values.size();
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double deviation = n < 2 ? 0 : Math.sqrt(values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (n - 1));
            double median = quantile(values, 0.5);
            boolean pushedOutBefore = t <= newest && pushedOut.stream().anyMatch(s -> s.member().equals(sample.member()));
            if (!pushedOutBefore && samples.stream().noneMatch(s -> s.member().equals(sample.member()))) {
                samples.add(sample);
            }
            samples.sort(ORDER);
            while (samples.size() > kept) {
                pushedOut.add(samples.remove(0));
            }
            pushedOut.sort(ORDER);
            if (pushedOut.size() > 2 * kept) {
                pushedOut.subList(0, pushedOut.size() - kept).clear();
            }
            newest = Math.max(newest, t);
            return new Stats(n, mean, deviation, median, matching, Instant.ofEpochMilli(oldest), quantile(values, 0.25),
                    quantile(values, 0.75));
        }

        /** Interpolated between the neighbouring ranks, as numpy's default and R's type 7 do. */
        private static double quantile(List<Double> ascending, double p) {
            if (ascending.isEmpty()) {
                return 0;
            }
            double h = (ascending.size() - 1) * p;
            int below = (int) Math.floor(h);
            double low = ascending.get(below);
            return h == below ? low : low + (h - below) * (ascending.get(below + 1) - low);
        }
    }
}
