package io.txwatch.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.Geo;
import io.txwatch.window.PreviousPoints;
import io.txwatch.window.PreviousPoints.Point;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

/**
 * Flags two transactions of one customer whose places are too far apart for the time between them: a card or an
 * account used by someone else. Distances are great-circle (haversine). Events without coordinates are skipped.
 * The way back from a flagged place is not flagged again: a transaction that is reachable from the place before
 * the outlier is taken as the customer being where they were.
 */
@ApplicationScoped
public class ImpossibleTravelDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.impossible-travel")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** Flag a speed above this, in km/h. */
        @WithDefault("900")
        double maxSpeedKmh();

        /** Places closer than this, in km, are the same place: geolocation is not that precise. */
        @WithDefault("100")
        double minDistanceKm();

        /** Above this speed, in km/h, the anomaly is CRITICAL; HIGH below. */
        @WithDefault("3000")
        double criticalSpeedKmh();

        /** How long a customer's last places are remembered. */
        @WithDefault("P2D")
        Duration memory();
    }

    private static final double EARTH_RADIUS_KM = 6371.0088;
    private static final String SEPARATOR = "\u001f";

    record Place(double lat, double lon, String name) {

        static Place of(Geo geo) {
            String name = geo.city() != null && geo.country() != null ? geo.city() + ", " + geo.country()
                    : geo.city() != null ? geo.city()
                    : geo.country() != null ? geo.country()
                    : String.format(Locale.ROOT, "%.3f, %.3f", geo.lat(), geo.lon());
            return new Place(geo.lat(), geo.lon(), name);
        }

        String payload() {
            return lat + SEPARATOR + lon + SEPARATOR + name;
        }

        static Place parse(String payload) {
            String[] parts = payload.split(SEPARATOR, 3);
            return new Place(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), parts[2]);
        }

        double distanceKm(Place other) {
            double dLat = Math.toRadians(other.lat - lat);
            double dLon = Math.toRadians(other.lon - lon);
            double a = Math.pow(Math.sin(dLat / 2), 2)
                    + Math.cos(Math.toRadians(lat)) * Math.cos(Math.toRadians(other.lat)) * Math.pow(Math.sin(dLon / 2), 2);
            return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
        }
    }

    private final Config config;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;

    public ImpossibleTravelDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store) {
        this.config = config;
        this.risk = risk;
        this.windows = windows;
        this.store = store;
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.IMPOSSIBLE_TRAVEL;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        WindowProbes<TransactionEvent> probes = new WindowProbes<>();
        for (TransactionEvent event : batch) {
            if (event.geo() != null && event.geo().hasCoordinates()) {
                probes.add(event, PreviousPoints.add(windows, windows.customerKey(event.customer().id(), "places"),
                        event.transactionId(), event.occurredAt(), Place.of(event.geo()).payload(), 2, 5, config.memory()));
            }
        }
        return probes.judge(store, (event, response) -> judge(event, PreviousPoints.read(response)));
    }

    /** @param earlier the customer's places before this event, newest first */
    Optional<Finding> judge(TransactionEvent event, List<Point> earlier) {
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        Place here = Place.of(event.geo());
        Point previous = earlier.get(0);
        Place there = Place.parse(previous.payload());
        double distance = there.distanceKm(here);
        Duration elapsed = Duration.between(previous.at(), event.occurredAt());
        double speed = speedKmh(distance, elapsed);
        if (distance < config.minDistanceKm() || returnsFromOutlier(here, event, earlier)) {
            return Optional.empty();
        }
        double strength = Strength.ofRule(speed / config.maxSpeedKmh());
        boolean alarm = speed > config.maxSpeedKmh();
        if (!alarm && strength < risk.signalFloor()) {
            return Optional.empty();
        }
        Severity severity = speed > config.criticalSpeedKmh() ? Severity.CRITICAL : Severity.HIGH;
        String observation = String.format(Locale.ROOT, "Transaction %s: %s paid from %s, %,.0f km from %s where they paid "
                + "%s earlier (transaction %s) — %s",
                event.transactionId(), event.customerReference(), here.name(), distance, there.name(),
                Wording.span(elapsed), previous.eventId(),
                Double.isInfinite(speed) ? "at the same moment" : String.format(Locale.ROOT, "%,.0f km/h", speed));
        String explanation = alarm
                ? String.format(Locale.ROOT, "%s, above the %,.0f km/h anyone can travel. %s.", observation,
                        config.maxSpeedKmh(), severity)
                : observation + ".";
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("from", Map.of("transactionId", previous.eventId(), "place", there.name(), "lat", there.lat(),
                "lon", there.lon(), "at", previous.at().toString()));
        evidence.put("to", Map.of("place", here.name(), "lat", here.lat(), "lon", here.lon()));
        evidence.put("distanceKm", distance);
        evidence.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
        evidence.put("speedKmh", Double.isInfinite(speed) ? null : speed);
        evidence.put("maxSpeedKmh", config.maxSpeedKmh());
        if (!alarm) {
            return Optional.of(Finding.evidenceOnly(type(), event.transactionId(), strength, event.occurredAt(),
                    event.transactionId(), event.customer().id(), null, explanation, evidence));
        }
        return Optional.of(new Finding(type(), event.transactionId(), severity,
                Double.isInfinite(speed) ? Double.MAX_VALUE : speed / config.maxSpeedKmh(), strength, event.occurredAt(),
                event.transactionId(), event.customer().id(), null, explanation, evidence));
    }

    /**
     * Coming back: the previous place was itself impossible to reach from the one before it, and this one is
     * reachable from that one, so the previous place was the outlier and has been flagged already.
     */
    private boolean returnsFromOutlier(Place here, TransactionEvent event, List<Point> earlier) {
        if (earlier.size() < 2) {
            return false;
        }
        Point previous = earlier.get(0);
        Point before = earlier.get(1);
        Place beforePlace = Place.parse(before.payload());
        return !possible(beforePlace, before.at(), Place.parse(previous.payload()), previous.at())
                && possible(beforePlace, before.at(), here, event.occurredAt());
    }

    private boolean possible(Place from, Instant leftAt, Place to, Instant arrivedAt) {
        double distance = from.distanceKm(to);
        return distance < config.minDistanceKm() || speedKmh(distance, Duration.between(leftAt, arrivedAt)) <= config.maxSpeedKmh();
    }

    private static double speedKmh(double distanceKm, Duration elapsed) {
        double hours = elapsed.toMillis() / 3_600_000.0;
        return hours <= 0 ? Double.POSITIVE_INFINITY : distanceKm / hours;
    }
}
