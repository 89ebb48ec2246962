package io.txwatch.detect;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
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
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Flags a purchase at an hour of the day the customer (almost) never buys in, by the customer's own profile of
 * local hours, weighed with the shop's profile (all located purchases), which stands in where the customer's is thin:
 * twenty purchases without one at 3 a.m. say more when hardly anyone buys at 3 a.m. than twenty without one at 8 a.m. Local time is the time zone the event's geo tells (country, or longitude); an event whose geo tells
 * none is neither judged nor added to the profile, since a clock that is not the customer's would make ordinary
 * hours look strange. Without a profile of their own nobody is flagged: a purchase at night is no anomaly by itself
 * (night-shift workers, shoppers abroad), only an hour unusual for this customer is.
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

        /** Hours either side of the purchase's hour that count as the same time of day. */
        @WithDefault("1")
        int neighbourHours();

        /**
         * Flag when at most this share of the profile falls at that time of day, the profile's counts taken together
         * with the population's: {@code (purchases then + w × population share then) / (purchases + w)}, w being
         * {@code population-weight}. A time of day nobody buys at (the small hours) is unusual for a customer with
         * twenty daytime purchases; one where many buy (early morning) needs a long profile without it.
         */
        @WithDefault("0.02")
        double maxShare();

        /**
         * How many purchases the shop's profile counts for in a customer's: until a customer has bought about this
         * often, a time of day is unusual for them only where the shop itself rarely sells.
         */
        @WithDefault("100")
        double populationWeight();

        /** The shop's profile counts its located purchases per local hour over this many days of event time. */
        @WithDefault("7")
        int populationDays();
    }

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private final Config config;
    private final WindowConfig windows;
    private final WindowStore store;

    public UnusualHourDetector(Config config, WindowConfig windows, WindowStore store) {
        this.config = config;
        this.windows = windows;
        this.store = store;
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
     * One pipeline per batch: the shop's hour counts of the last days first (as they stood before this batch), then
     * each located event's profile, then the batch's own hour counts added to the shop's.
     */
    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        List<Located> located = new ArrayList<>();
        List<Request> profiles = new ArrayList<>();
        Map<String, Map<Integer, Long>> shopIncrements = new TreeMap<>();
        long newestDay = Long.MIN_VALUE;
        for (TransactionEvent event : batch) {
            Optional<ZoneId> zone = TimeZones.of(event.geo());
            if (zone.isEmpty()) {
                continue;
            }
            int hour = event.occurredAt().atZone(zone.get()).getHour();
            located.add(new Located(event, zone.get(), hour));
            profiles.add(RollingSample.add(windows, windows.customerKey(event.customer().id(), "hours"),
                    RollingSample.Extra.VALUE_COUNTS, event.transactionId(), event.occurredAt(), Integer.toString(hour),
                    config.window(), config.profilePurchases(), sameTimeOfDay(hour)));
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
        return store.pipeline(requests).map(responses -> {
            long[] shopHours = new long[24];
            for (int i = 0; i < shopDays; i++) {
                Response counts = responses.get(i);
                counts.getKeys().forEach(hour -> shopHours[Integer.parseInt(hour)] += counts.get(hour).toLong());
            }
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < located.size(); i++) {
                Located one = located.get(i);
                judge(one.event(), one.zone(), RollingSample.read(responses.get(shopDays + i)),
                        shopShare(shopHours, one.hour())).ifPresent(findings::add);
            }
            return findings;
        });
    }

    private List<String> sameTimeOfDay(int hour) {
        return IntStream.rangeClosed(-config.neighbourHours(), config.neighbourHours())
                .mapToObj(offset -> Integer.toString(Math.floorMod(hour + offset, 24))).toList();
    }

    /** The share of the shop's located purchases at this time of day (the hour and its neighbours). */
    private double shopShare(long[] shopHours, int hour) {
        long total = 0;
        for (long count : shopHours) {
            total += count;
        }
        long around = 0;
        for (int offset = -config.neighbourHours(); offset <= config.neighbourHours(); offset++) {
            around += shopHours[Math.floorMod(hour + offset, 24)];
        }
        return total == 0 ? 0 : (double) around / total;
    }

    /**
     * A day's purchases per local hour, for the whole shop: counted per batch, not per transaction id, so a batch
     * scored twice after a crash counts twice; among a week of purchases that moves a share by a few thousandths.
     */
    private String shopHoursKey(long epochDay) {
        return windows.shopKey("local-hours:" + epochDay);
    }

    /** An event with the time zone its geo points to and its local hour, worked out once. */
    private record Located(TransactionEvent event, ZoneId zone, int hour) {
    }

    Optional<Finding> judge(TransactionEvent event, ZoneId zone, RollingSample.Stats profile, double populationShare) {
        boolean hasProfile = profile.size() >= config.minProfile()
                && (profile.size() >= config.profilePurchases()
                        || !profile.oldest().isAfter(event.occurredAt().minus(config.minProfileSpan())));
        if (!hasProfile) {
            return Optional.empty();
        }
        double share = (profile.matching() + config.populationWeight() * populationShare)
                / (profile.size() + config.populationWeight());
        if (share > config.maxShare()) {
            return Optional.empty();
        }
        ZonedDateTime local = event.occurredAt().atZone(zone);
        int hour = local.getHour();
        Severity severity = profile.matching() == 0 ? Severity.HIGH : Severity.MODERATE;
        String explanation = String.format("Transaction %s: %s bought at %02d:%02d local time (%s), an hour this customer "
                + "(almost) never buys in: %d of their %d purchases in the last %s fell between %02d:00 and %02d:59, "
                + "and %s of the shop's. %s.",
                event.transactionId(), event.customerReference(), hour, local.getMinute(), zone.getId(),
                profile.matching(), profile.size(), days(config.window()),
                Math.floorMod(hour - config.neighbourHours(), 24), Math.floorMod(hour + config.neighbourHours(), 24),
                MoneyFormat.percent(populationShare), severity);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("localTime", local.toLocalDateTime().toString());
        evidence.put("timeZone", zone.getId());
        evidence.put("profilePurchases", profile.size());
        evidence.put("purchasesAtThisTimeOfDay", profile.matching());
        evidence.put("populationShareAtThisTimeOfDay", populationShare);
        evidence.put("shareAtThisTimeOfDay", share);
        evidence.put("maxShare", config.maxShare());
        return Optional.of(new Finding(type(), event.transactionId(), severity, 1 - share,
                event.occurredAt(), event.transactionId(), event.customer().id(), null, explanation, evidence));
    }

    private static String days(Duration window) {
        return window.toDays() + " days";
    }
}
