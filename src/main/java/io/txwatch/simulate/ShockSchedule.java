package io.txwatch.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import io.txwatch.simulate.VolumeShock.Kind;

/**
 * When the shop's sales volume is shocked: outages, drops, flash-sale spikes and (where the profile has them) pricing
 * errors, rare, never during the warm-up,
 * and at least {@link #MIN_GAP_MILLIS} apart so that each one is measured against a recovered baseline. Drawn from
 * a random source of its own, so that the schedule does not depend on the traffic.
 */
final class ShockSchedule {

    private static final long MIN_GAP_MILLIS = Duration.ofHours(1).toMillis();

    /** A scheduled shock and how it changes the shop. */
    record Shock(VolumeShock period, long startMillis, long endMillis, double intensityFactor, double priceShare) {

        boolean contains(long epochMillis) {
            return epochMillis >= startMillis && epochMillis < endMillis;
        }

        /** The share of list price everything sells at while a flash sale is on. */
        OptionalDouble flashSale() {
            return period.kind() == Kind.SPIKE ? OptionalDouble.of(priceShare) : OptionalDouble.empty();
        }

        /** The share of its usual price everything sells at while a pricing error is on. */
        OptionalDouble pricingError() {
            return period.kind() == Kind.UNDERPRICED ? OptionalDouble.of(priceShare) : OptionalDouble.empty();
        }
    }

    private final SplittableRandom random;
    private final long seed;
    private final double meanIntervalMillis;
    private final List<Shock> scheduled = new ArrayList<>();
    private final List<Kind> kinds;
    private final List<Kind> bag = new ArrayList<>();
    /** The first shock that had not ended at the latest instant asked about; absent when shocks are off. */
    private Shock upcoming;
    /** An outage that has ended, whose end the next event announces. */
    private Shock unannouncedOutage;

    ShockSchedule(StreamSettings settings, SplittableRandom random) {
        this.random = random;
        this.seed = settings.seed();
        this.meanIntervalMillis = settings.shockMeanInterval().toMillis();
        this.kinds = settings.profile().pricingErrors ? List.of(Kind.values())
                : List.of(Kind.OUTAGE, Kind.DROP, Kind.SPIKE);
        if (settings.shocks()) {
            long firstAllowed = settings.start().plus(settings.shockWarmUp()).toEpochMilli();
            upcoming = scheduleFrom(firstAllowed + (long) Chance.exponential(random, 1 / meanIntervalMillis));
        }
    }

    /** How much the shock under way multiplies the shop's intensity: 1 when there is none. */
    double intensityFactor(long epochMillis) {
        advanceTo(epochMillis);
        return upcoming != null && upcoming.contains(epochMillis) ? upcoming.intensityFactor() : 1.0;
    }

    /** The next instant after {@code epochMillis} at which the intensity factor changes. */
    long nextChange(long epochMillis) {
        advanceTo(epochMillis);
        if (upcoming == null) {
            return Long.MAX_VALUE;
        }
        return epochMillis < upcoming.startMillis() ? upcoming.startMillis() : upcoming.endMillis();
    }

    /**
     * The shock an event at this instant belongs to: a drop or spike under way, or an outage that has ended and that
     * this event is the first after.
     */
    Optional<Shock> at(long epochMillis) {
        advanceTo(epochMillis);
        if (upcoming != null && upcoming.contains(epochMillis)) {
            return Optional.of(upcoming);
        }
        return Optional.ofNullable(unannouncedOutage);
    }

    /** Records that an event announced the end of this outage, so that later events do not. */
    void announced(VolumeShock outage) {
        if (unannouncedOutage != null && unannouncedOutage.period().equals(outage)) {
            unannouncedOutage = null;
        }
    }

    /** Whether no shock is under way or begins within {@code marginMillis}: a burst started now stays clear of it. */
    boolean clearAround(long epochMillis, long marginMillis) {
        advanceTo(epochMillis);
        return upcoming == null || epochMillis + marginMillis < upcoming.startMillis();
    }

    /** The shocks that had begun by this instant, in order. */
    List<VolumeShock> begunBy(long epochMillis) {
        return scheduled.stream().filter(shock -> shock.startMillis() <= epochMillis).map(Shock::period).toList();
    }

    private void advanceTo(long epochMillis) {
        while (upcoming != null && upcoming.endMillis() <= epochMillis) {
            if (upcoming.period().kind() == Kind.OUTAGE) {
                unannouncedOutage = upcoming;
            }
            long gap = Math.max(MIN_GAP_MILLIS, (long) Chance.exponential(random, 1 / meanIntervalMillis));
            upcoming = scheduleFrom(upcoming.endMillis() + gap);
        }
    }

    private Shock scheduleFrom(long approximateStart) {
        long start = Math.floorDiv(approximateStart, 1000L) * 1000L;
        Kind kind = nextKind();
        double minutes;
        double factor;
        double priceShare = 1.0;
        switch (kind) {
            case OUTAGE -> {
                minutes = Chance.between(random, 4, 10);
                factor = 0;
            }
            case DROP -> {
                minutes = Chance.between(random, 6, 20);
                factor = Chance.between(random, 0.05, 0.2);
            }
            case UNDERPRICED -> {
                minutes = Chance.between(random, 10, 25);
                factor = 1;
                priceShare = Chance.between(random, 0.1, 0.4);
            }
            default -> { // SPIKE
                minutes = Chance.between(random, 5, 15);
                factor = Chance.between(random, 5, 10);
                priceShare = Chance.between(random, 0.85, 0.95);
            }
        }
        long end = start + Math.round(minutes * 60) * 1000L;
        VolumeShock period = new VolumeShock(kind, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end),
                "shock-" + seed + "-" + (scheduled.size() + 1));
        Shock shock = new Shock(period, start, end, factor, priceShare);
        scheduled.add(shock);
        return shock;
    }

    /** Kinds come from a shuffled bag of all of them, so that each run of as many shocks has one of every kind. */
    private Kind nextKind() {
        if (bag.isEmpty()) {
            bag.addAll(kinds);
            for (int i = bag.size() - 1; i > 0; i--) {
                Collections.swap(bag, i, random.nextInt(i + 1));
            }
        }
        return bag.remove(bag.size() - 1);
    }
}
