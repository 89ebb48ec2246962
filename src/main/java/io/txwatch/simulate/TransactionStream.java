package io.txwatch.simulate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.Customer;
import io.txwatch.event.TransactionEvent.Geo;
import io.txwatch.event.TransactionEvent.LineItem;
import io.txwatch.event.TransactionEvent.PaymentStatus;
import io.txwatch.simulate.Population.Shopper;
import io.txwatch.simulate.ShockSchedule.Shock;
import io.txwatch.simulate.SimulatedEvent.Label;

/**
 * An endless, deterministic stream of an online shop's payment attempts in event-time order, with anomalies injected
 * and labelled. Arrivals form a non-homogeneous Poisson process (peak intensity x daily and weekly curves x volume
 * shocks); each arrival is one shopper inside their usual hours buying an everyday basket, or, at the anomaly rate,
 * the start of an injected incident. Pure: no clock, no I/O; the same settings give the same stream.
 *
 * <p>In the default profile everyday traffic keeps clear of every detector: a shopper buys at most once a minute,
 * fails at most once in half an hour, never at night, never travels faster than a plane, and after an incident stays
 * quiet long enough not to extend it. The realistic profile ({@link StreamProfile#REALISTIC}) keeps those rules but
 * adds what real shops have: night workers, shoppers without a location, long trips, occasional buyers, wider
 * baskets and prices, and backfilled events.
 */
public final class TransactionStream implements Iterator<SimulatedEvent> {

    private static final long MINUTE = 60_000L;
    private static final long NEVER = Long.MIN_VALUE / 4;

    private static final long MIN_GAP_BETWEEN_PURCHASES = MINUTE;
    private static final long MIN_GAP_BETWEEN_FAILURES = 30 * MINUTE;
    /** After a burst or a far-away purchase the shopper is quiet this long, so that no later purchase joins it. */
    private static final long QUIET_AFTER_INCIDENT = 30 * MINUTE;
    /** No incident starts this close before a volume shock: the longest burst ends before the shock begins. */
    private static final long CLEAR_BEFORE_SHOCK = 15 * MINUTE;
    /** Shoppers tried for one arrival before it is dropped, which happens when everyone active bought just now. */
    private static final int PICK_ATTEMPTS = 8;

    /**
     * Trips (how often, how far and how fast: {@link StreamProfile}) end at home again after a few purchases, and are
     * never faster than a plane door to door.
     */
    private static final double RETURN_HOME_CHANCE = 0.25;
    /**
     * A backfilled event happened one to this many whole days before it is delivered: whole days, so that it stays at
     * the hour of the day the shopper bought at.
     */
    private static final int BACKFILL_MOST_DAYS = 2;
    private static final long DAY = 24 * 60 * MINUTE;
    /** How far apart a shopper's purchases from one place appear: the noise of geolocating them. */
    private static final double LOCATION_NOISE_KM = 0.5;
    private static final double STAY_RADIUS_KM = 5;
    private static final double OTHER_CHECKOUT_CHANCE = 0.1;

    private static final int VELOCITY_MIN_EVENTS = 7;
    private static final int VELOCITY_MAX_EVENTS = 12;
    private static final long VELOCITY_MIN_SPAN = 20_000;
    private static final long VELOCITY_MAX_SPAN = 50_000;
    private static final int FAILURES_MIN = 3;
    private static final int FAILURES_MAX = 6;
    private static final long FAILURES_MIN_SPAN = MINUTE;
    private static final long FAILURES_MAX_SPAN = 8 * MINUTE;
    /** Retries of a failed payment are this far apart at least, so that a failure burst is never also a velocity burst. */
    private static final long FAILURES_MIN_GAP = 20_000;
    private static final int NIGHT_FROM_HOUR = 1;
    private static final int NIGHT_UNTIL_HOUR = 5;
    /**
     * A night purchase needs a shopper with this many purchases that carried a location, over at least a day, so that
     * their usual hours are known: the profile txwatch.detectors.unusual-hour asks for by default.
     */
    private static final int NIGHT_MIN_HISTORY = 20;
    private static final long NIGHT_MIN_HISTORY_SPAN = 24 * 60 * MINUTE;
    private static final double FAR_AWAY_KM = 3_000;
    private static final long FAR_AWAY_WITHIN = 100 * MINUTE;
    /** A far-away purchase happens in daytime there, so that it is not also an unusual hour. */
    private static final int FAR_AWAY_LATEST_HOUR = 22;

    private static final List<String> FALLBACK_CHANNELS = List.of("web", "mobile-app");
    private static final String FALLBACK_PAYMENT_METHOD = "card";
    /** The ways each payment method fails. */
    private static final Map<String, List<String>> FAILURE_REASONS = Map.of(
            "card", List.of("insufficient_funds", "card_declined", "3ds_failed", "timeout"),
            "upi", List.of("insufficient_funds", "timeout"),
            "wallet", List.of("insufficient_funds", "timeout"),
            "paypal", List.of("card_declined", "timeout"),
            "cod", List.of("timeout"));

    private final StreamSettings settings;
    private final StreamProfile profile;
    /** The shop's currency, in which baskets are priced, and the others shoppers pay in, converted at emission. */
    private final Money money;
    private final Map<String, Money> otherMoney = new HashMap<>();
    /** The products whose catalog price lags behind the price they sell at. */
    private final Set<String> staleCatalogSkus;
    private final SplittableRandom random;
    private final Catalog catalog;
    private final Population population;
    private final Baskets baskets;
    private final ShockSchedule shocks;
    private final Memory[] memories;
    /** The shoppers of the latest events, among whom a far-away purchase finds one who bought recently. */
    private final int[] recentBuyers = new int[256];
    private final PriorityQueue<Draft> due = new PriorityQueue<>(
            Comparator.comparingLong(Draft::at).thenComparingLong(Draft::order));
    private final AnomalyType[] injectedKinds;
    private final double[] injectedWeights;
    private final double incidentChance;
    private final double peakPerMilli;

    private double nextArrival;
    private long emitted;
    private long drafted;
    private long incidents;
    private long lastEmittedAt = NEVER;

    public TransactionStream(StreamSettings settings) {
        this.settings = settings;
        this.profile = settings.profile();
        SplittableRandom root = new SplittableRandom(settings.seed());
        this.money = new Money(settings.currency());
        this.catalog = Catalog.generate(settings.products(), money, root.split(), profile.staleCatalogShare);
        this.staleCatalogSkus = catalog.products().stream()
                .filter(product -> product.catalogPrice().compareTo(product.listPrice()) != 0)
                .map(Catalog.Product::sku).collect(Collectors.toUnmodifiableSet());
        this.population = Population.generate(settings.customers(), money, root.split(), profile);
        this.shocks = new ShockSchedule(settings, root.split());
        this.random = root.split();
        this.baskets = new Baskets(catalog, money, settings.seed(), profile);
        this.memories = population.shoppers().stream().map(Memory::new).toArray(Memory[]::new);
        this.injectedKinds = settings.anomalyMix().keySet().toArray(AnomalyType[]::new);
        this.injectedWeights = Arrays.stream(injectedKinds).mapToDouble(settings.anomalyMix()::get).toArray();
        this.incidentChance = incidentChance(settings);
        this.peakPerMilli = settings.peakEventsPerMinute() / MINUTE;
        this.nextArrival = arrivalAfter(settings.start().toEpochMilli());
    }

    /**
     * The chance that an arrival starts an incident, such that the share of events in incidents is the anomaly rate:
     * a velocity burst brings about 9.5 events, a failure burst 4.5, every other kind one.
     */
    private static double incidentChance(StreamSettings settings) {
        double weights = 0;
        double events = 0;
        for (Map.Entry<AnomalyType, Double> kind : settings.anomalyMix().entrySet()) {
            weights += kind.getValue();
            events += kind.getValue() * switch (kind.getKey()) {
                case VELOCITY -> (VELOCITY_MIN_EVENTS + VELOCITY_MAX_EVENTS) / 2.0;
                case FAILED_PAYMENT_BURST -> (FAILURES_MIN + FAILURES_MAX) / 2.0;
                default -> 1.0;
            };
        }
        return events == 0 ? 0 : settings.anomalyRate() * weights / events;
    }

    public StreamSettings settings() {
        return settings;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The volume shocks that had begun by the latest event returned, in order. */
    public List<VolumeShock> shocks() {
        return shocks.begunBy(lastEmittedAt);
    }

    /** Always: the stream never ends. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public SimulatedEvent next() {
        while (true) {
            long arrival = (long) nextArrival;
            Draft head = due.peek();
            if (head != null && head.at() <= arrival) {
                return emit(due.poll());
            }
            arrive(arrival);
            nextArrival = arrivalAfter(nextArrival);
        }
    }

    /**
     * The next arrival of the Poisson process after {@code from}. The intensity is constant between quarter hours
     * and shock boundaries, so each such segment is sampled exactly; an arrival drawn past the segment's end is
     * discarded and drawing restarts there, which the memorylessness of the exponential distribution allows.
     */
    private double arrivalAfter(double from) {
        double time = from;
        while (true) {
            long now = (long) time;
            double rate = peakPerMilli * population.intensity(now) * shocks.intensityFactor(now);
            long segmentEnd = Math.min(Population.nextChange(now), shocks.nextChange(now));
            if (rate > 0) {
                double candidate = time + Chance.exponential(random, rate);
                if (candidate < segmentEnd) {
                    return candidate;
                }
            }
            time = segmentEnd;
        }
    }

    private void arrive(long at) {
        Optional<Shock> shock = shocks.at(at);
        if (shock.isEmpty() && shocks.clearAround(at, CLEAR_BEFORE_SHOCK) && random.nextDouble() < incidentChance) {
            List<Draft> incident = inject(injectedKinds[Chance.weighted(random, injectedWeights)], at);
            if (!incident.isEmpty()) {
                due.addAll(incident);
                return;
            }
        }
        everyday(at, shock).ifPresent(due::add);
    }

    private Optional<Draft> everyday(long at, Optional<Shock> shock) {
        Optional<Shopper> found = pickAvailable(at);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Shopper shopper = found.get();
        Memory memory = memories[shopper.index()];
        wander(shopper, memory, at);
        OptionalDouble flashSale = shock.map(Shock::flashSale).orElse(OptionalDouble.empty());
        List<LineItem> basket = baskets.everyday(shopper, at, flashSale, random);
        OptionalDouble pricingError = shock.map(Shock::pricingError).orElse(OptionalDouble.empty());
        List<LineItem> items = pricingError.isPresent() ? baskets.atShare(basket, pricingError.getAsDouble()) : basket;
        Checkout checkout = checkout(shopper);
        boolean fails = random.nextDouble() < settings.failureRate()
                && at - memory.lastFailureAt >= MIN_GAP_BETWEEN_FAILURES;
        Optional<Label> label = shock.map(s -> new Label(AnomalyType.SALES_VOLUME, s.period().incidentId(),
                Optional.of(s.period())));
        return Optional.of(draft(at, shopper, items, fails ? failureReason(checkout) : null, checkout,
                here(memory), label));
    }

    private List<Draft> inject(AnomalyType kind, long at) {
        return switch (kind) {
            case PRICE_VS_CATALOG -> single(at, kind, shopper -> baskets.mispricedListed(shopper, random));
            case PRICE_VS_RECENT -> single(at, kind, shopper -> baskets.mispricedOffCatalog(shopper, random));
            case HIGH_AMOUNT -> single(at, kind, shopper -> baskets.expensive(shopper, random));
            case BULK_QUANTITY -> single(at, kind, shopper -> baskets.bulk(shopper, at, random));
            case VELOCITY -> velocityBurst(at);
            case FAILED_PAYMENT_BURST -> failureBurst(at);
            case UNUSUAL_HOUR -> nightPurchase(at);
            case IMPOSSIBLE_TRAVEL -> farAwayPurchase(at);
            case SALES_VOLUME -> throw new IllegalStateException("SALES_VOLUME is injected by the shock schedule");
        };
    }

    /** One everyday purchase whose basket alone is odd. */
    private List<Draft> single(long at, AnomalyType kind, Function<Shopper, Optional<List<LineItem>>> basket) {
        for (int attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
            Optional<Shopper> found = pickAvailable(at);
            if (found.isEmpty()) {
                return List.of();
            }
            Shopper shopper = found.get();
            Optional<List<LineItem>> items = basket.apply(shopper);
            if (items.isPresent()) {
                return List.of(draft(at, shopper, items.get(), null, checkout(shopper), here(memories[shopper.index()]),
                        Optional.of(incident(kind))));
            }
        }
        return List.of();
    }

    /** 7-12 purchases within 20-50 seconds from one place: a bot or a scripted checkout. */
    private List<Draft> velocityBurst(long at) {
        Optional<Shopper> found = pickAvailable(at);
        if (found.isEmpty()) {
            return List.of();
        }
        Shopper shopper = found.get();
        Memory memory = memories[shopper.index()];
        int count = VELOCITY_MIN_EVENTS + random.nextInt(VELOCITY_MAX_EVENTS - VELOCITY_MIN_EVENTS + 1);
        long span = VELOCITY_MIN_SPAN + random.nextLong(VELOCITY_MAX_SPAN - VELOCITY_MIN_SPAN + 1);
        long[] offsets = new long[count];
        offsets[count - 1] = span;
        for (int i = 1; i < count - 1; i++) {
            offsets[i] = random.nextLong(span + 1);
        }
        Arrays.sort(offsets);
        Label label = incident(AnomalyType.VELOCITY);
        Checkout checkout = checkout(shopper);
        Geo geo = here(memory);
        List<Draft> burst = new ArrayList<>(count);
        for (long offset : offsets) {
            burst.add(draft(at + offset, shopper, baskets.everyday(shopper, at, OptionalDouble.empty(), random), null,
                    checkout, geo, Optional.of(label)));
        }
        memory.quietUntil = at + span + QUIET_AFTER_INCIDENT;
        return burst;
    }

    /** 3-6 failed attempts to pay for one cart within 1-8 minutes: a stolen card being tried, or a broken one. */
    private List<Draft> failureBurst(long at) {
        Optional<Shopper> found = pickAvailable(at);
        if (found.isEmpty()) {
            return List.of();
        }
        Shopper shopper = found.get();
        Memory memory = memories[shopper.index()];
        int attempts = FAILURES_MIN + random.nextInt(FAILURES_MAX - FAILURES_MIN + 1);
        long shortest = Math.max(FAILURES_MIN_SPAN, (attempts - 1) * FAILURES_MIN_GAP);
        long span = shortest + random.nextLong(FAILURES_MAX_SPAN - shortest + 1);
        double[] weights = new double[attempts - 1];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextDouble();
            sum += weights[i];
        }
        long spare = span - (attempts - 1) * FAILURES_MIN_GAP;
        Label label = incident(AnomalyType.FAILED_PAYMENT_BURST);
        Checkout checkout = checkout(shopper);
        Geo geo = here(memory);
        List<LineItem> cart = baskets.everyday(shopper, at, OptionalDouble.empty(), random);
        List<Draft> burst = new ArrayList<>(attempts);
        long time = at;
        for (int i = 0; i < attempts; i++) {
            if (i > 0) {
                time += FAILURES_MIN_GAP + (long) (spare * weights[i - 1] / sum);
            }
            burst.add(draft(time, shopper, cart, failureReason(checkout), checkout, geo, Optional.of(label)));
        }
        memory.quietUntil = at + span + QUIET_AFTER_INCIDENT;
        return burst;
    }

    /** A purchase at 01:00-04:59 local time by a shopper at home whose usual hours are in daytime. */
    private List<Draft> nightPurchase(long at) {
        List<City> atNight = Arrays.stream(City.values())
                .filter(city -> city.localHour(at) >= NIGHT_FROM_HOUR && city.localHour(at) < NIGHT_UNTIL_HOUR)
                .filter(city -> !population.livingIn(city).isEmpty())
                .toList();
        if (atNight.isEmpty()) {
            return List.of();
        }
        for (int attempt = 0; attempt < 2 * PICK_ATTEMPTS; attempt++) {
            Shopper shopper = Chance.oneOf(random, population.livingIn(Chance.oneOf(random, atNight)));
            Memory memory = memories[shopper.index()];
            if (memory.locatedPurchases >= NIGHT_MIN_HISTORY && memory.firstAt <= at - NIGHT_MIN_HISTORY_SPAN
                    && memory.city == shopper.home() && canBuy(memory, at) && shopper.locates()
                    && !shopper.usuallyBuysAt(shopper.home().localHour(at))) {
                memory.quietUntil = at + QUIET_AFTER_INCIDENT;
                return List.of(draft(at, shopper, baskets.everyday(shopper, at, OptionalDouble.empty(), random), null,
                        checkout(shopper), here(memory), Optional.of(incident(AnomalyType.UNUSUAL_HOUR))));
            }
        }
        return List.of();
    }

    /**
     * A purchase from a city at least 3,000 km from the shopper's previous purchase, less than two hours after it:
     * a card or an account used by someone else.
     */
    private List<Draft> farAwayPurchase(long at) {
        int known = (int) Math.min(emitted, recentBuyers.length);
        for (int attempt = 0; attempt < PICK_ATTEMPTS && known > 0; attempt++) {
            Shopper shopper = population.shoppers().get(recentBuyers[random.nextInt(known)]);
            Memory memory = memories[shopper.index()];
            if (!canBuy(memory, at) || at - memory.lastLocatedAt > FAR_AWAY_WITHIN || !shopper.locates()) {
                continue;
            }
            List<City> farAway = Arrays.stream(City.values())
                    .filter(city -> city.distanceKm(memory.lastLat, memory.lastLon) >= FAR_AWAY_KM + STAY_RADIUS_KM)
                    .filter(city -> city.localHour(at) >= Population.FIRST_SHOPPING_HOUR
                            && city.localHour(at) <= FAR_AWAY_LATEST_HOUR)
                    .toList();
            if (farAway.isEmpty()) {
                continue;
            }
            City city = Chance.oneOf(random, farAway);
            double[] point = City.near(city.lat, city.lon, STAY_RADIUS_KM, random);
            double distance = City.distanceKm(memory.lastLat, memory.lastLon, point[0], point[1]);
            // The shopper's own next purchase, from where they really are, must not look impossible in turn.
            long backAgain = (long) ((distance + 2 * STAY_RADIUS_KM) / profile.travelSpeedKmh * 60 * MINUTE);
            memory.quietUntil = at + Math.max(QUIET_AFTER_INCIDENT, backAgain);
            return List.of(draft(at, shopper, baskets.everyday(shopper, at, OptionalDouble.empty(), random), null,
                    checkout(shopper), new Geo(city.country, city.displayName, point[0], point[1]),
                    Optional.of(incident(AnomalyType.IMPOSSIBLE_TRAVEL))));
        }
        return List.of();
    }

    private Optional<Shopper> pickAvailable(long at) {
        for (int attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
            Optional<Shopper> shopper = population.pick(at, random);
            if (shopper.isEmpty()) {
                return shopper;
            }
            Memory memory = memories[shopper.get().index()];
            if (canBuy(memory, at) && (memory.city.localHour(at) >= Population.FIRST_SHOPPING_HOUR
                    || shopper.get().worksNights())) {
                return shopper;
            }
        }
        return Optional.empty();
    }

    private static boolean canBuy(Memory memory, long at) {
        return memory.quietUntil <= at && at - memory.lastAt >= MIN_GAP_BETWEEN_PURCHASES;
    }

    /** Now and then a shopper takes a trip in the region, and later comes home, never faster than a plane. */
    private void wander(Shopper shopper, Memory memory, long at) {
        if (memory.city != shopper.home()) {
            if (random.nextDouble() < RETURN_HOME_CHANCE) {
                moveIfReachable(memory, shopper.home(), shopper.lat(), shopper.lon(), at);
            }
        } else if (random.nextDouble() < profile.travelChance) {
            City destination = Chance.oneOf(random, List.of(City.values()));
            if (destination != shopper.home()
                    && Math.abs(destination.utcOffsetMinutes - shopper.home().utcOffsetMinutes) <= profile.travelMaxOffsetMinutes
                    && destination.localHour(at) >= Population.FIRST_SHOPPING_HOUR) {
                double[] stay = City.near(destination.lat, destination.lon, STAY_RADIUS_KM, random);
                moveIfReachable(memory, destination, stay[0], stay[1], at);
            }
        }
    }

    private void moveIfReachable(Memory memory, City city, double lat, double lon, long at) {
        double hours = (at - memory.lastAt) / (60.0 * MINUTE);
        double distance = City.distanceKm(memory.lastLat, memory.lastLon, lat, lon) + 2 * LOCATION_NOISE_KM;
        if (memory.lastAt == NEVER || distance <= profile.travelSpeedKmh * hours) {
            memory.city = city;
            memory.baseLat = lat;
            memory.baseLon = lon;
        }
    }

    /**
     * Where the shopper is, as their purchase reports it: nowhere, for one whose purchases carry no location, and
     * for some purchases of the others where the profile has such.
     */
    private Geo here(Memory memory) {
        if (!memory.locates || profile.unlocatedPurchases > 0 && random.nextDouble() < profile.unlocatedPurchases) {
            return null;
        }
        double[] point = City.near(memory.baseLat, memory.baseLon, LOCATION_NOISE_KM, random);
        return new Geo(memory.city.country, memory.city.displayName, point[0], point[1]);
    }

    private Checkout checkout(Shopper shopper) {
        String channel = random.nextDouble() < OTHER_CHECKOUT_CHANCE ? Chance.oneOf(random, FALLBACK_CHANNELS) : shopper.channel();
        String method = random.nextDouble() < OTHER_CHECKOUT_CHANCE ? FALLBACK_PAYMENT_METHOD : shopper.paymentMethod();
        return new Checkout(channel, method);
    }

    private String failureReason(Checkout checkout) {
        return Chance.oneOf(random, FAILURE_REASONS.get(checkout.paymentMethod()));
    }

    /**
     * A sale of a product whose catalog price is out of date belongs to that product's incident: the catalog is
     * wrong, and reporting it on the first such sales is right (on every one it would be noise).
     */
    private Optional<Label> staleCatalog(List<LineItem> items) {
        return items.stream().map(LineItem::sku).filter(staleCatalogSkus::contains).findFirst()
                .map(sku -> new Label(AnomalyType.PRICE_VS_CATALOG, "stale-catalog-" + settings.seed() + "-" + sku,
                        Optional.empty()));
    }

    private Label incident(AnomalyType kind) {
        return new Label(kind, "inc-" + settings.seed() + "-" + ++incidents, Optional.empty());
    }

    private Draft draft(long at, Shopper shopper, List<LineItem> items, String failureReason, Checkout checkout, Geo geo,
            Optional<Label> label) {
        return new Draft(at, drafted++, shopper, items, failureReason, checkout, geo, label);
    }

    private SimulatedEvent emit(Draft draft) {
        Shopper shopper = draft.shopper();
        List<LineItem> items = inShoppersCurrency(draft.items(), shopper);
        BigDecimal amount = items.stream().map(LineItem::total).reduce(BigDecimal.ZERO, BigDecimal::add);
        boolean failed = draft.failureReason() != null;
        long occurredAt = draft.at();
        Geo geo = draft.geo();
        // drawn only where the profile has backfills, so that the default stream stays what it was; a backfill comes
        // from a system that records no location (a till's export), since the shopper may have been elsewhere then
        if (profile.backfillChance > 0 && draft.label().isEmpty() && random.nextDouble() < profile.backfillChance) {
            occurredAt -= (1 + random.nextInt(BACKFILL_MOST_DAYS)) * DAY;
            geo = null;
        }
        TransactionEvent event = new TransactionEvent(
                "sim-" + settings.seed() + "-" + ++emitted,
                Instant.ofEpochMilli(occurredAt),
                new Customer(shopper.id(), shopper.name(), shopper.email()),
                items,
                amount,
                shopper.currency(),
                failed ? PaymentStatus.FAILED : PaymentStatus.SUCCEEDED,
                draft.failureReason(),
                draft.checkout().paymentMethod(),
                draft.checkout().channel(),
                geo,
                shopper.ip(),
                shopper.userAgent(draft.checkout().channel()),
                TransactionEvent.CURRENT_SCHEMA_VERSION);

        Memory memory = memories[shopper.index()];
        if (memory.purchases == 0) {
            memory.firstAt = draft.at();
        }
        memory.lastAt = draft.at();
        // where the detectors last saw the shopper: a backfill's location is dropped on the way
        if (geo != null) {
            memory.locatedPurchases++;
            memory.lastLocatedAt = draft.at();
            memory.lastLat = geo.lat();
            memory.lastLon = geo.lon();
        }
        memory.purchases++;
        if (failed) {
            memory.lastFailureAt = draft.at();
        }
        baskets.sold(items, shopper.currency());
        recentBuyers[(int) ((emitted - 1) % recentBuyers.length)] = shopper.index();
        draft.label().flatMap(Label::shock).ifPresent(shocks::announced);
        lastEmittedAt = draft.at();
        return new SimulatedEvent(event, draft.label().or(() -> staleCatalog(draft.items())));
    }

    /** The basket as a shopper paying in another currency than the shop's sees it: its prices converted. */
    private List<LineItem> inShoppersCurrency(List<LineItem> items, Shopper shopper) {
        if (shopper.currency().equals(money.currency())) {
            return items;
        }
        Money theirs = otherMoney.computeIfAbsent(shopper.currency(), Money::new);
        return items.stream().map(item -> new LineItem(item.sku(), item.name(), item.quantity(),
                money.convert(item.unitPrice(), theirs))).toList();
    }

    private record Checkout(String channel, String paymentMethod) {
    }

    /** An event waiting for its time; {@code order} keeps events of the same millisecond in the order drafted. */
    private record Draft(long at, long order, Shopper shopper, List<LineItem> items, String failureReason,
            Checkout checkout, Geo geo, Optional<Label> label) {
    }

    /** What the stream remembers of a shopper, as a detector would: their last purchase, where they are, when to stay quiet. */
    private static final class Memory {

        City city;
        double baseLat;
        double baseLon;
        long firstAt = NEVER;
        long lastAt = NEVER;
        /** Purchases that carried a location: those that told the detectors the shopper's clock. */
        int locatedPurchases;
        /** When the purchase at {@code lastLat}, {@code lastLon} was made: the last one that carried a location. */
        long lastLocatedAt = NEVER;
        double lastLat;
        double lastLon;
        long lastFailureAt = NEVER;
        long quietUntil = NEVER;
        int purchases;
        final boolean locates;

        Memory(Shopper shopper) {
            this.locates = shopper.locates();
            this.city = shopper.home();
            this.baseLat = shopper.lat();
            this.baseLon = shopper.lon();
        }
    }
}
