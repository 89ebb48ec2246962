package io.txwatch.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.Geo;
import io.txwatch.simulate.Catalog.Product;

/**
 * A long stream with the default settings (or the realistic profile's), generated once and shared by the tests that
 * measure its properties: about two days of event time, enough for every anomaly kind and every shock kind to occur
 * repeatedly.
 */
final class Sample {

    /** A Monday midnight UTC. */
    static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    static final int SIZE = 200_000;

    private static Sample defaults;
    private static Sample realistic;

    final StreamSettings settings;
    final List<SimulatedEvent> events;
    final List<VolumeShock> shocks;
    final Map<String, Product> products;

    private Sample(StreamSettings settings, int size) {
        TransactionStream stream = new TransactionStream(settings);
        this.settings = settings;
        this.events = take(stream, size);
        this.shocks = stream.shocks();
        this.products = new LinkedHashMap<>();
        stream.catalog().products().forEach(product -> products.put(product.sku(), product));
        stream.catalog().offCatalog().forEach(product -> products.put(product.sku(), product));
    }

    static synchronized Sample ofDefaults() {
        if (defaults == null) {
            defaults = new Sample(StreamSettings.defaults(START), SIZE);
        }
        return defaults;
    }

    /** The same, in the realistic profile, with customers enough that most buy only a few times. */
    static synchronized Sample ofRealistic() {
        if (realistic == null) {
            StreamSettings defaults = StreamSettings.defaults(START);
            realistic = new Sample(new StreamSettings(defaults.seed(), START, 20_000, defaults.products(),
                    defaults.peakEventsPerMinute(), defaults.failureRate(), defaults.anomalyRate(), defaults.anomalyMix(),
                    defaults.currency(), true, defaults.shockMeanInterval(), defaults.shockWarmUp(), StreamProfile.REALISTIC),
                    SIZE);
        }
        return realistic;
    }

    static List<SimulatedEvent> take(TransactionStream stream, int count) {
        List<SimulatedEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(stream.next());
        }
        return events;
    }

    List<SimulatedEvent> labelled(AnomalyType type) {
        return events.stream().filter(event -> is(event, type)).toList();
    }

    /** The events of each incident of a kind, in event-time order. */
    Map<String, List<SimulatedEvent>> incidents(AnomalyType type) {
        return labelled(type).stream().collect(Collectors.groupingBy(event -> event.label().orElseThrow().incidentId(),
                LinkedHashMap::new, Collectors.toList()));
    }

    /** Each customer's events, in event-time order. */
    Map<String, List<SimulatedEvent>> byCustomer() {
        return events.stream().collect(Collectors.groupingBy(event -> event.event().customer().id(),
                LinkedHashMap::new, Collectors.toList()));
    }

    static boolean is(SimulatedEvent event, AnomalyType type) {
        return event.label().filter(label -> label.type() == type).isPresent();
    }

    static Predicate<SimulatedEvent> not(AnomalyType type) {
        return event -> !is(event, type);
    }

    static long millis(SimulatedEvent event) {
        return event.event().occurredAt().toEpochMilli();
    }

    static City city(Geo geo) {
        return Arrays.stream(City.values()).filter(city -> city.displayName.equals(geo.city())).findFirst().orElseThrow();
    }

    static int localHour(TransactionEvent event) {
        return city(event.geo()).localHour(event.occurredAt().toEpochMilli());
    }

    static double kmBetween(TransactionEvent from, TransactionEvent to) {
        return City.distanceKm(from.geo().lat(), from.geo().lon(), to.geo().lat(), to.geo().lon());
    }

    static Duration between(SimulatedEvent from, SimulatedEvent to) {
        return Duration.between(from.event().occurredAt(), to.event().occurredAt());
    }
}
