package io.txwatch.detect;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * Flags a purchase at an hour of the day the customer (almost) never buys in, by the customer's own profile of
 * local hours. Local time is the time zone the event's geo tells (country, or longitude); an event whose geo tells
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

        /** Flag when at most this share of the profile falls at that time of day. */
        @WithDefault("0.02")
        double maxShare();
    }

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

    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        WindowProbes<Located> probes = new WindowProbes<>();
        for (TransactionEvent event : batch) {
            Optional<ZoneId> zone = TimeZones.of(event.geo());
            if (zone.isEmpty()) {
                continue;
            }
            int hour = event.occurredAt().atZone(zone.get()).getHour();
            List<String> sameTimeOfDay = IntStream.rangeClosed(-config.neighbourHours(), config.neighbourHours())
                    .mapToObj(offset -> Integer.toString(Math.floorMod(hour + offset, 24))).toList();
            probes.add(new Located(event, zone.get()), RollingSample.add(windows,
                    windows.customerKey(event.customer().id(), "hours"), RollingSample.Extra.VALUE_COUNTS,
                    event.transactionId(), event.occurredAt(), Integer.toString(hour), config.window(),
                    config.profilePurchases(), sameTimeOfDay));
        }
        return probes.judge(store, (located, response) -> judge(located.event(), located.zone(), RollingSample.read(response)));
    }

    /** An event with the time zone its geo points to, worked out once. */
    private record Located(TransactionEvent event, ZoneId zone) {
    }

    Optional<Finding> judge(TransactionEvent event, ZoneId zone, RollingSample.Stats profile) {
        boolean hasProfile = profile.size() >= config.minProfile()
                && (profile.size() >= config.profilePurchases()
                        || !profile.oldest().isAfter(event.occurredAt().minus(config.minProfileSpan())));
        if (!hasProfile) {
            return Optional.empty();
        }
        double share = (double) profile.matching() / profile.size();
        if (share > config.maxShare()) {
            return Optional.empty();
        }
        ZonedDateTime local = event.occurredAt().atZone(zone);
        int hour = local.getHour();
        Severity severity = profile.matching() == 0 ? Severity.HIGH : Severity.MODERATE;
        String explanation = String.format("Transaction %s: %s bought at %02d:%02d local time (%s), an hour this customer "
                + "(almost) never buys in: %d of their %d purchases in the last %s fell between %02d:00 and %02d:59. %s.",
                event.transactionId(), event.customerReference(), hour, local.getMinute(), zone.getId(),
                profile.matching(), profile.size(), days(config.window()),
                Math.floorMod(hour - config.neighbourHours(), 24), Math.floorMod(hour + config.neighbourHours(), 24),
                severity);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("localTime", local.toLocalDateTime().toString());
        evidence.put("timeZone", zone.getId());
        evidence.put("profilePurchases", profile.size());
        evidence.put("purchasesAtThisTimeOfDay", profile.matching());
        evidence.put("shareAtThisTimeOfDay", share);
        evidence.put("maxShare", config.maxShare());
        return Optional.of(new Finding(type(), event.transactionId(), severity, 1 - share,
                event.occurredAt(), event.transactionId(), event.customer().id(), null, explanation, evidence));
    }

    private static String days(Duration window) {
        return window.toDays() + " days";
    }
}
