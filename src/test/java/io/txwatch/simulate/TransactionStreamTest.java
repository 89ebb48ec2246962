package io.txwatch.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEventJson;

class TransactionStreamTest {

    @Test
    void theSameSeedGivesTheSameStreamByteForByte() {
        List<SimulatedEvent> first = Sample.take(new TransactionStream(StreamSettings.defaults(Sample.START)), 20_000);
        List<SimulatedEvent> second = Sample.take(new TransactionStream(StreamSettings.defaults(Sample.START)), 20_000);

        for (int i = 0; i < first.size(); i++) {
            assertThat(TransactionEventJson.write(second.get(i).event())).isEqualTo(TransactionEventJson.write(first.get(i).event()));
            assertThat(second.get(i).label()).isEqualTo(first.get(i).label());
        }
    }

    @Test
    void anotherSeedGivesAnotherStream() {
        StreamSettings defaults = StreamSettings.defaults(Sample.START);
        List<SimulatedEvent> seed42 = Sample.take(new TransactionStream(defaults), 1_000);
        List<SimulatedEvent> seed43 = Sample.take(new TransactionStream(withSeed(defaults, 43)), 1_000);

        assertThat(seed43.stream().map(simulated -> simulated.event().occurredAt()).toList())
                .isNotEqualTo(seed42.stream().map(simulated -> simulated.event().occurredAt()).toList());
        assertThat(seed43.stream().map(simulated -> simulated.event().customer()).toList())
                .isNotEqualTo(seed42.stream().map(simulated -> simulated.event().customer()).toList());
    }

    @Test
    void everyEventReadsBackAsValid() {
        assertThat(Sample.ofDefaults().events).allSatisfy(simulated ->
                assertThat(TransactionEventJson.read(TransactionEventJson.write(simulated.event())))
                        .isInstanceOf(TransactionEventJson.Valid.class));
    }

    /** Money compares by value: the reader drops trailing zeros (1399.00 reads back as 1399). */
    @Test
    void eventsReadBackUnchanged() {
        assertThat(Sample.ofDefaults().events.subList(0, 10_000)).allSatisfy(simulated ->
                assertThat(TransactionEventJson.read(TransactionEventJson.write(simulated.event())))
                        .isInstanceOfSatisfying(TransactionEventJson.Valid.class, valid -> assertThat(valid.event())
                                .usingRecursiveComparison()
                                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                                .isEqualTo(simulated.event())));
    }

    @Test
    void eventTimeNeverGoesBackAndIdsAreUniqueAndNamedAfterTheSeed() {
        List<SimulatedEvent> events = Sample.ofDefaults().events;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            TransactionEvent event = events.get(i).event();
            assertThat(ids.add(event.transactionId())).as("unique id %s", event.transactionId()).isTrue();
            assertThat(event.transactionId()).startsWith("sim-42-");
            assertThat(event.occurredAt()).isAfterOrEqualTo(Sample.START);
            if (i > 0) {
                assertThat(event.occurredAt()).isAfterOrEqualTo(events.get(i - 1).event().occurredAt());
            }
        }
    }

    @Test
    void amountsAreTheExactSumOfTheirLines() {
        for (SimulatedEvent simulated : Sample.ofDefaults().events) {
            assertThat(simulated.event().amount()).isEqualTo(simulated.event().itemsTotal());
        }
    }

    @Test
    void anotherCurrencyKeepsItsOwnMinorUnitsAndScalesTheHighAmountLimit() {
        StreamSettings defaults = StreamSettings.defaults(Sample.START);
        StreamSettings inYen = new StreamSettings(defaults.seed(), defaults.start(), defaults.customers(), defaults.products(),
                defaults.peakEventsPerMinute(), defaults.failureRate(), 0.2, defaults.anomalyMix(), "JPY", defaults.shocks(),
                defaults.shockMeanInterval(), defaults.shockWarmUp());
        int yenDigits = Currency.getInstance("JPY").getDefaultFractionDigits();
        BigDecimal highAmountFloor = BigDecimal.valueOf(new Money("JPY").fromRupees(Baskets.HIGH_AMOUNT_FLOOR_RUPEES));

        List<SimulatedEvent> events = Sample.take(new TransactionStream(inYen), 20_000);

        assertThat(events).allSatisfy(simulated -> {
            assertThat(simulated.event().currency()).isEqualTo("JPY");
            assertThat(simulated.event().items()).allSatisfy(item -> assertThat(item.unitPrice().scale()).isEqualTo(yenDigits));
            assertThat(TransactionEventJson.read(TransactionEventJson.write(simulated.event())))
                    .isInstanceOf(TransactionEventJson.Valid.class);
        });
        assertThat(events).filteredOn(simulated -> Sample.is(simulated, AnomalyType.HIGH_AMOUNT)).isNotEmpty()
                .allSatisfy(simulated -> assertThat(simulated.event().amount()).isGreaterThan(highAmountFloor));
    }

    @Test
    void settingsThatCannotBeSimulatedAreRefused() {
        StreamSettings defaults = StreamSettings.defaults(Sample.START);
        Map<AnomalyType, Double> withSalesVolume = new EnumMap<>(defaults.anomalyMix());
        withSalesVolume.put(AnomalyType.SALES_VOLUME, 1.0);

        assertThatThrownBy(() -> withMix(defaults, withSalesVolume)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SALES_VOLUME");
        assertThatThrownBy(() -> new StreamSettings(1, Sample.START, 10, 10, 60, 0.03, 0.01, defaults.anomalyMix(), "XAU",
                true, defaults.shockMeanInterval(), defaults.shockWarmUp())).hasMessageContaining("XAU");
        assertThatThrownBy(() -> new StreamSettings(1, Sample.START, 0, 10, 60, 0.03, 0.01, defaults.anomalyMix(), "INR",
                true, defaults.shockMeanInterval(), defaults.shockWarmUp())).hasMessageContaining("customers");
    }

    static StreamSettings withSeed(StreamSettings settings, long seed) {
        return new StreamSettings(seed, settings.start(), settings.customers(), settings.products(),
                settings.peakEventsPerMinute(), settings.failureRate(), settings.anomalyRate(), settings.anomalyMix(),
                settings.currency(), settings.shocks(), settings.shockMeanInterval(), settings.shockWarmUp());
    }

    private static StreamSettings withMix(StreamSettings settings, Map<AnomalyType, Double> mix) {
        return new StreamSettings(settings.seed(), settings.start(), settings.customers(), settings.products(),
                settings.peakEventsPerMinute(), settings.failureRate(), settings.anomalyRate(), mix, settings.currency(),
                settings.shocks(), settings.shockMeanInterval(), settings.shockWarmUp());
    }
}
