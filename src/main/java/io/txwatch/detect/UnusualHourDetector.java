package io.txwatch.detect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Flags a purchase at an hour of the day the customer (almost) never buys in, by the customer's own profile of
 * local hours, weighed with the shop's profile (all located purchases), which stands in where the customer's is thin:
 * twenty purchases without one at 3 a.m. say more when hardly anyone buys at 3 a.m. than twenty without one at 8 a.m.
 * Local time is the time zone the event's geo tells (country, or longitude), so a trip abroad keeps the shopper's
 * day where it is; where an event carries no location, it is the customer's home zone, the zone most of their located
 * purchases were made in (a shop whose web checkout sends no location while its app does). An event whose zone is
 * known neither way is neither judged nor added to the profile, since a clock that is not the customer's would make
 * ordinary hours look strange. Without a profile of their own nobody is flagged: a purchase at night is no anomaly by
 * itself (night-shift workers, shoppers abroad), only an hour unusual for this customer is. Such a night purchase is
 * still evidence, as strong as the shop's own share of that time of day makes it, for a typology to weigh.
 */
@ApplicationScoped
public class UnusualHourDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.unusual-hour")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** How far back the customer's purchases form their profile of hours. */
        @WithDefault("P90D")
        Duration window();

        /** The profile holds at most this many latest purchases. */
        @WithDefault("200")
        int profilePurchases();

        /** A profile needs this many purchases; with fewer the customer is not judged. */
        @WithDefault("20")
        int minProfile();

        /**
         * ...reaching at least this far back, so that every hour of the day has had its chance; a full profile
         * ({@code profile-purchases}) of a frequent buyer counts however short it is, or they would never get one.
         */
        @WithDefault("P1D")
        Duration minProfileSpan();

        /** Hours either side of the purchase's hour that count as the same time of day... */
        @WithDefault("1")
        int neighbourHours();

        /**
         * ...and, outside the local night ({@code night-start-hour} to {@code night-end-hour}), this many more either
         * side beyond them, each counting {@code edge-weight} (for the customer and for the shop alike): a customer
         * whose purchases begin at 7 a.m., in the shop's quiet first hours, easily has none of thirty between 6 and 8,
         * seldom none between 5 and 9, so buying at 7 is the edge of their habit, not an unusual hour. In the night
         * habits are sharp (people sleep), and one who buys until 11 p.m. buying at 1 a.m. is what this detector is
         * for: a single purchase at 11 p.m. counting half would hide it in a profile of thirty.
         */
        @WithDefault("1")
        int edgeHours();

        @WithDefault("0.5")
        double edgeWeight();

        /**
         * Flag when at most this share of the profile falls at that time of day, the profile's counts taken together
         * with the population's: {@code (purchases then + w × population share then) / (purchases + w)}, w being
         * {@code population-weight}. A time of day nobody buys at (the small hours) is unusual for a customer with
         * twenty daytime purchases; one where many buy (early morning) needs a long profile without it. At 1 %, an hour
         * at the edge of a customer's habits (2 of their 100 purchases) is not flagged.
         */
        @WithDefault("0.01")
        double maxShare();

        /**
         * How many of the customer's purchases at that time of day are set aside as a one-off before the share is
         * taken: a single earlier purchase at 2 a.m. (perhaps an anomaly itself) makes no habit of the small hours, so
         * it counts only half.
         */
        @WithDefault("0.5")
        double oneOffDiscount();

        /**
         * How many purchases the shop's profile counts for in a customer's: until a customer has bought about this
         * often, a time of day is unusual for them only where the shop itself rarely sells. Beyond it their own habits
         * weigh more, so that a night worker's few night purchases outweigh the shop's quiet nights.
         */
        @WithDefault("20")
        double populationWeight();

        /** The shop's profile counts its located purchases per local hour over this many days of event time. */
        @WithDefault("7")
        int populationDays();

        /**
         * The local night, from this hour (inclusive) to {@code night-end-hour} (exclusive): a purchase then by a
         * customer without a profile is evidence, never an alarm by itself.
         */
        @WithDefault("0")
        int nightStartHour();

        @WithDefault("6")
        int nightEndHour();

        /**
         * What a night purchase without a profile counts for, against the strength the shop's share of that time of
         * day gives it: the shop's habits say little about one customer (a night worker buys when the shop is quiet).
         */
        @WithDefault("0.5")
        double withoutProfileWeight();

        /**
         * A purchase without a location is judged in the customer's home zone once this many of their located
         * purchases were made in one zone, and that zone holds more than half of them. The counts live as long as the
         * customer's profile and never shrink: a customer who moves away is judged in their old zone until their new
         * one has more purchases.
         */
        @WithDefault("5")
        int homeZonePurchases();
    }

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
    private static final String ZONE_FIELD_PREFIX = RollingSample.CALLER_FIELD_PREFIX + "zone:";

    private final Config config;
    private final DetectorMetrics metrics;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;
    /** Per hour of the day, the hours that count as its time of day and how much, worked out once. */
    private final List<Map<Integer, Double>> timeOfDay;
    /** ...and the same as a sample's values to count. */
    private final List<List<String>> sameTimeOfDay;

    public UnusualHourDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store,
            DetectorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        metrics.expectThinBaselines(type().name());
        this.risk = risk;
        this.windows = windows;
        this.store = store;
        this.timeOfDay = IntStream.range(0, 24).mapToObj(this::weighedHoursAround).toList();
        this.sameTimeOfDay = timeOfDay.stream().map(UnusualHourDetector::asValuesToCount).toList();
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.UNUSUAL_HOUR;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    /**
     * The home zones of the batch's customers whose events carry no location first, when there are any; then one
     * pipeline: the shop's hour counts of the last days (as they stood before this batch), each located event's
     * profile, the batch's own hour counts added to the shop's, and the zones of the events whose geo tells one
     * counted towards their customers' home zones.
     */
    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        List<Optional<ZoneId>> told = batch.stream().map(event -> TimeZones.of(event.geo())).toList();
        List<String> unlocatedCustomers = IntStream.range(0, batch.size()).filter(i -> told.get(i).isEmpty())
                .mapToObj(i -> batch.get(i).customer().id()).distinct().toList();
        if (unlocatedCustomers.isEmpty()) {
            return detect(batch, told, Map.of());
        }
        List<Request> reads = unlocatedCustomers.stream()
                .map(customer -> Request.cmd(Command.HGETALL).arg(zonesKey(customer))).toList();
        return store.pipeline(reads).flatMap(responses -> {
            Map<String, ZoneId> homeZones = new HashMap<>();
            for (int i = 0; i < unlocatedCustomers.size(); i++) {
                String customer = unlocatedCustomers.get(i);
                homeZone(responses.get(i)).ifPresent(zone -> homeZones.put(customer, zone));
            }
            return detect(batch, told, homeZones);
        });
    }

    /** @param told the zone each event's geo tells, in batch order */
    private Uni<List<Finding>> detect(List<TransactionEvent> batch, List<Optional<ZoneId>> told,
            Map<String, ZoneId> homeZones) {
        List<Located> located = new ArrayList<>();
        List<Request> profiles = new ArrayList<>();
        Map<String, Map<Integer, Long>> shopIncrements = new TreeMap<>();
        Map<String, Map<String, Long>> zoneIncrements = new TreeMap<>();
        long newestDay = Long.MIN_VALUE;
        for (int i = 0; i < batch.size(); i++) {
            TransactionEvent event = batch.get(i);
            ZoneId zone = told.get(i).orElse(homeZones.get(event.customer().id()));
            if (zone == null) {
                continue;
            }
            if (told.get(i).isPresent()) {
                zoneIncrements.computeIfAbsent(zonesKey(event.customer().id()), key -> new TreeMap<>())
                        .merge(zone.getId(), 1L, Long::sum);
            }
            int hour = event.occurredAt().atZone(zone).getHour();
            located.add(new Located(event, zone, told.get(i).isEmpty(), hour));
            profiles.add(RollingSample.add(windows, profileKey(event.customer().id()),
                    RollingSample.Extra.VALUE_COUNTS, event.transactionId(), event.occurredAt(), Integer.toString(hour),
                    config.window(), config.profilePurchases(), sameTimeOfDay.get(hour)));
            long day = Math.floorDiv(event.occurredAt().toEpochMilli(), DAY_MILLIS);
            newestDay = Math.max(newestDay, day);
            shopIncrements.computeIfAbsent(shopHoursKey(day), key -> new TreeMap<>()).merge(hour, 1L, Long::sum);
        }
        if (located.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Request> requests = new ArrayList<>();
        for (long day = newestDay - config.populationDays() + 1; day <= newestDay; day++) {
            requests.add(Request.cmd(Command.HGETALL).arg(shopHoursKey(day)));
        }
        int shopDays = requests.size();
        requests.addAll(profiles);
        long ttl = Duration.ofDays(config.populationDays() + 1L).toMillis();
        shopIncrements.forEach((key, counts) -> {
            counts.forEach((hour, count) -> requests.add(Request.cmd(Command.HINCRBY).arg(key).arg(hour).arg(count)));
            requests.add(Request.cmd(Command.PEXPIRE).arg(key).arg(ttl));
        });
        // after the profiles, which gave the hash its expiry if it is new
        zoneIncrements.forEach((key, counts) -> counts.forEach((zone, count) ->
                requests.add(Request.cmd(Command.HINCRBY).arg(key).arg(ZONE_FIELD_PREFIX + zone).arg(count))));
        return store.pipeline(requests).map(responses -> {
            long[] shopHours = new long[24];
            for (int i = 0; i < shopDays; i++) {
                Response counts = responses.get(i);
                counts.getKeys().forEach(hour -> shopHours[Integer.parseInt(hour)] += counts.get(hour).toLong());
            }
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < located.size(); i++) {
                Located one = located.get(i);
                judge(one.event(), one.zone(), one.homeZone(), RollingSample.read(responses.get(shopDays + i)),
                        shopTimeOfDay(shopHours, one.hour())).ifPresent(findings::add);
            }
            return findings;
        });
    }

    /** The zone most of the customer's located purchases were made in, when they were enough and most were there. */
    private Optional<ZoneId> homeZone(Response zoneCounts) {
        long total = 0;
        long most = 0;
        String mostOften = null;
        for (String field : zoneCounts.getKeys()) {
            if (!field.startsWith(ZONE_FIELD_PREFIX)) {
                continue;
            }
            long count = zoneCounts.get(field).toLong();
            total += count;
            if (count > most) {
                most = count;
                mostOften = field.substring(ZONE_FIELD_PREFIX.length());
            }
        }
        if (most < config.homeZonePurchases() || 2 * most <= total) {
            return Optional.empty();
        }
        return Optional.of(ZoneId.of(mostOften));
    }

    /**
     * How often each zone a customer's geo told was theirs, kept beside their profile (and gone with it); counted
     * per batch, not per transaction id, so a batch scored twice after a crash counts twice, which moves which zone
     * is home only between near-equals. The home zones are read before the batch's own located purchases count, so
     * a batch scored again may judge an unlocated event the first pass left alone.
     */
    private String zonesKey(String customerId) {
        return RollingSample.totalsKey(profileKey(customerId));
    }

    private String profileKey(String customerId) {
        return windows.customerKey(customerId, "hours");
    }

    /** The hours of a time of day as a sample counts them, those at its edges with their weight ({@code <hour>*<weight>}). */
    private static List<String> asValuesToCount(Map<Integer, Double> weighedHours) {
        List<String> hours = new ArrayList<>();
        weighedHours.forEach((hour, weight) -> hours.add(weight == 1 ? Integer.toString(hour) : hour + "*" + weight));
        return List.copyOf(hours);
    }

    /**
     * The hours of the day that count as the same time of day as this one, each with how much it counts: the nearest
     * first, so that an hour reached both ways round the clock counts once, as near as it is.
     */
    private Map<Integer, Double> weighedHoursAround(int hour) {
        Map<Integer, Double> weights = new LinkedHashMap<>();
        int edgeHours = inNight(hour) ? 0 : config.edgeHours();
        for (int distance = 0; distance <= config.neighbourHours() + edgeHours; distance++) {
            double weight = distance <= config.neighbourHours() ? 1 : config.edgeWeight();
            weights.putIfAbsent(Math.floorMod(hour - distance, 24), weight);
            weights.putIfAbsent(Math.floorMod(hour + distance, 24), weight);
        }
        return weights;
    }

    /** The shop's located purchases at this time of day (the hour, its neighbours and edges, weighed), and in all. */
    private ShopTimeOfDay shopTimeOfDay(long[] shopHours, int hour) {
        long total = 0;
        for (long count : shopHours) {
            total += count;
        }
        double around = 0;
        double hours = 0;
        for (Map.Entry<Integer, Double> weighed : timeOfDay.get(hour).entrySet()) {
            around += weighed.getValue() * shopHours[weighed.getKey()];
            hours += weighed.getValue();
        }
        return new ShopTimeOfDay(around, total, hours);
    }

    /** @param hours how many hours of the day {@code around} covers, the edges' weighed */
    record ShopTimeOfDay(double around, long total, double hours) {

        double share() {
            return total == 0 ? 0 : (double) around / total;
        }

        /** The share with one purchase added to every hour, so that a shop that has sold little is not certain. */
        double smoothedShare() {
            return (around + hours) / (total + 24);
        }
    }

    /**
     * A day's purchases per local hour, for the whole shop: counted per batch, not per transaction id, so a batch
     * scored twice after a crash counts twice; among a week of purchases that moves a share by a few thousandths.
     */
    private String shopHoursKey(long epochDay) {
        return windows.shopKey("local-hours:" + epochDay);
    }

    /**
     * An event with the time zone it is judged in (its geo's, or its customer's home zone when {@code homeZone}) and
     * its local hour, worked out once.
     */
    private record Located(TransactionEvent event, ZoneId zone, boolean homeZone, int hour) {
    }

    Optional<Finding> judge(TransactionEvent event, ZoneId zone, boolean homeZone, RollingSample.Stats profile,
            ShopTimeOfDay shop) {
        boolean hasProfile = profile.size() >= config.minProfile()
                && (profile.size() >= config.profilePurchases()
                        || !profile.oldest().isAfter(event.occurredAt().minus(config.minProfileSpan())));
        ZonedDateTime local = event.occurredAt().atZone(zone);
        int hour = local.getHour();
        if (!hasProfile) {
            metrics.thinBaseline(type().name());
            return atNightWithoutProfile(event, zone, homeZone, local, profile, shop);
        }
        double populationShare = shop.share();
        double share = (Math.max(0, profile.matching() - config.oneOffDiscount()) + config.populationWeight() * populationShare)
                / (profile.size() + config.populationWeight());
        double strength = Strength.ofTail(share);
        boolean alarm = share <= config.maxShare();
        if (!alarm && strength < risk.signalFloor()) {
            return Optional.empty();
        }
        Severity severity = profile.matching() == 0 ? Severity.HIGH : Severity.MODERATE;
        String observation = String.format("Transaction %s: %s bought at %02d:%02d local time (%s), an hour this customer "
                + "%s buys in: %s of their %d purchases in the last %s fell between %02d:00 and %02d:59%s, "
                + "and %s of the shop's.",
                event.transactionId(), event.customerReference(), hour, local.getMinute(), zoneWording(zone, homeZone),
                alarm ? "(almost) never" : "seldom", count(profile.matching()), profile.size(), days(config.window()),
                Math.floorMod(hour - config.neighbourHours(), 24), Math.floorMod(hour + config.neighbourHours(), 24),
                edgeWording(hour), MoneyFormat.percent(populationShare));
        Map<String, Object> evidence = evidence(local, zone, homeZone, profile, shop);
        evidence.put("shareAtThisTimeOfDay", share);
        evidence.put("oneOffDiscount", config.oneOffDiscount());
        evidence.put("maxShare", config.maxShare());
        if (!alarm) {
            return Optional.of(Finding.evidenceOnly(type(), event.transactionId(), strength, event.occurredAt(),
                    event.transactionId(), event.customer().id(), null, observation, evidence));
        }
        return Optional.of(new Finding(type(), event.transactionId(), severity, 1 - share, strength,
                event.occurredAt(), event.transactionId(), event.customer().id(), null, observation + " " + severity + ".",
                evidence));
    }

    /** Evidence only, and only in the local night: as surprising as the shop's own share of that time of day. */
    private Optional<Finding> atNightWithoutProfile(TransactionEvent event, ZoneId zone, boolean homeZone,
            ZonedDateTime local, RollingSample.Stats profile, ShopTimeOfDay shop) {
        int hour = local.getHour();
        if (!inNight(hour)) {
            return Optional.empty();
        }
        double strength = config.withoutProfileWeight() * Strength.ofTail(shop.smoothedShare());
        if (strength < risk.signalFloor()) {
            return Optional.empty();
        }
        String observation = String.format("Transaction %s: %s bought at %02d:%02d local time (%s), at night, when "
                + "%s of the shop's purchases are made; too few of the customer's own (%d) to know their hours.",
                event.transactionId(), event.customerReference(), hour, local.getMinute(), zoneWording(zone, homeZone),
                MoneyFormat.percent(shop.share()), profile.size());
        Map<String, Object> evidence = evidence(local, zone, homeZone, profile, shop);
        evidence.put("shareAtThisTimeOfDay", shop.smoothedShare());
        return Optional.of(Finding.evidenceOnly(type(), event.transactionId(), strength, event.occurredAt(),
                event.transactionId(), event.customer().id(), null, observation, evidence));
    }

    /** A weighed count, to two decimals at most: whole where it is whole. */
    private static String count(double weighed) {
        return BigDecimal.valueOf(weighed).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** Whether the hour is in the local night, which may run across midnight (22 to 6). */
    private boolean inNight(int hour) {
        int start = config.nightStartHour();
        int end = config.nightEndHour();
        return start <= end ? hour >= start && hour < end : hour >= start || hour < end;
    }

    private String edgeWording(int hour) {
        if (config.edgeHours() == 0 || inNight(hour)) {
            return "";
        }
        return String.format(" (%s either side counting %s)", config.edgeHours() == 1 ? "the hour" : "the " + config.edgeHours()
                + " hours", config.edgeWeight() == 0.5 ? "half" : count(config.edgeWeight()) + " each");
    }

    private static String zoneWording(ZoneId zone, boolean homeZone) {
        return homeZone ? zone.getId() + ", the customer's home zone: no location came with it" : zone.getId();
    }

    private static Map<String, Object> evidence(ZonedDateTime local, ZoneId zone, boolean homeZone,
            RollingSample.Stats profile, ShopTimeOfDay shop) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("localTime", local.toLocalDateTime().toString());
        evidence.put("timeZone", zone.getId());
        evidence.put("timeZoneFrom", homeZone ? "home zone" : "location");
        evidence.put("profilePurchases", profile.size());
        evidence.put("purchasesAtThisTimeOfDay", profile.matching());
        evidence.put("populationShareAtThisTimeOfDay", shop.share());
        return evidence;
    }

    private static String days(Duration window) {
        return window.toDays() + " days";
    }
}
