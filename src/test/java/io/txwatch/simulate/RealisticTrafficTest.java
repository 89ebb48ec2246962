package io.txwatch.simulate;

import static io.txwatch.simulate.Sample.not;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.LineItem;

/** The realistic profile has what real shops have and the default lacks, and still labels every injected anomaly. */
class RealisticTrafficTest {

    private final Sample sample = Sample.ofRealistic();

    @Test
    void aboutHalfOfEventsCarryNoLocation() {
        long unlocated = sample.events.stream().filter(simulated -> simulated.event().geo() == null).count();

        // a third of shoppers never share one, the others three times in ten
        assertThat((double) unlocated / sample.events.size()).isBetween(0.42, 0.62);
    }

    @Test
    void nightWorkersBuyInTheSmallHoursWithoutBeingAnAnomaly() {
        long cleanAtNight = sample.events.stream().filter(SimulatedEvent::isClean)
                .filter(simulated -> simulated.event().geo() != null)
                .filter(simulated -> Sample.localHour(simulated.event()) < 5).count();

        // among the half of events that carry a location
        assertThat(cleanAtNight).isGreaterThan(sample.events.size() / 1000);
    }

    @Test
    void mostShoppersBuyRarelyAndAFewOften() {
        List<Integer> purchases = sample.byCustomer().values().stream().map(List::size).sorted().toList();
        int median = purchases.get(purchases.size() / 2);
        double mean = purchases.stream().mapToInt(Integer::intValue).average().orElseThrow();

        assertThat(median).isLessThanOrEqualTo(5);
        assertThat(mean).as("the frequent few pull the mean above the median").isGreaterThan(1.5 * median);
    }

    @Test
    void marketplaceSellersAskWidelyDifferentPrices() {
        Map<String, List<Double>> logShares = new HashMap<>();
        sample.events.stream().filter(SimulatedEvent::isClean).filter(simulated -> inShopCurrency(simulated.event())).forEach(simulated -> {
            for (LineItem item : simulated.event().items()) {
                Catalog.Product product = sample.products.get(item.sku());
                if (!product.listed()) {
                    logShares.computeIfAbsent(item.sku(), sku -> new ArrayList<>())
                            .add(Math.log(item.unitPrice().doubleValue() / product.listPrice().doubleValue()));
                }
            }
        });

        assertThat(logShares).isNotEmpty();
        logShares.values().stream().filter(shares -> shares.size() >= 40).forEach(shares -> {
            List<Double> sorted = shares.stream().sorted().toList();
            double spread = (sorted.get(sorted.size() * 3 / 4) - sorted.get(sorted.size() / 4)) / 1.349;
            assertThat(spread).as("robust spread of log prices").isBetween(0.2, 0.4);
        });
    }

    @Test
    void aFewProductsSellAtAPriceTheCatalogHasNotCaughtUpWithEachAnIncidentOfTheCatalogs() {
        List<Catalog.Product> listed = sample.products.values().stream().filter(Catalog.Product::listed).toList();
        List<Catalog.Product> stale = listed.stream()
                .filter(product -> product.catalogPrice().compareTo(product.listPrice()) != 0).toList();

        assertThat((double) stale.size() / listed.size()).isBetween(0.01, 0.06);
        assertThat(stale).allSatisfy(product -> assertThat(product.listPrice().doubleValue() / product.catalogPrice().doubleValue())
                .isBetween(0.5, 0.73));
        List<SimulatedEvent> sold = sample.events.stream().filter(simulated -> simulated.event().items().stream()
                .anyMatch(item -> stale.stream().anyMatch(product -> product.sku().equals(item.sku())))).toList();
        assertThat(sold).as("sales of them").isNotEmpty().allSatisfy(simulated ->
                assertThat(simulated.label()).as("labelled, by their own incident or another").isPresent());
        assertThat(sold).anySatisfy(simulated -> assertThat(simulated.label().orElseThrow().incidentId()).startsWith("stale-catalog-"));
    }

    @Test
    void aboutOneEventInAHundredArrivesADayOrTwoAfterItHappened() {
        long backfilled = 0;
        for (int i = 1; i < sample.events.size(); i++) {
            if (Sample.between(sample.events.get(i), sample.events.get(i - 1)).compareTo(Duration.ofMinutes(59)) > 0) {
                backfilled++;
                // everyday purchases: none injected, though one may sell a product the catalog is behind on
                assertThat(sample.events.get(i).label().map(label -> label.incidentId().startsWith("stale-catalog-")))
                        .as("backfill %s", sample.events.get(i).event().transactionId()).isNotEqualTo(Optional.of(false));
            }
        }

        assertThat((double) backfilled / sample.events.size()).isBetween(0.005, 0.015);
    }

    @Test
    void everyKindIsStillInjectedAndImpossibleTravelHasALocation() {
        for (AnomalyType type : AnomalyType.values()) {
            if (type != AnomalyType.UNUSUAL_HOUR) {
                assertThat(sample.incidents(type)).as("incidents of %s", type).hasSizeGreaterThanOrEqualTo(3);
            }
        }
        assertThat(sample.labelled(AnomalyType.IMPOSSIBLE_TRAVEL)).allSatisfy(simulated ->
                assertThat(simulated.event().geo()).isNotNull());
        // an unusual hour without a location is judged in the shopper's home zone, learned from their located purchases
        assertThat(sample.labelled(AnomalyType.UNUSUAL_HOUR)).anySatisfy(simulated ->
                assertThat(simulated.event().geo()).isNull());
    }

    @Test
    void everydayTrafficStillNeverTravelsFasterThanAPlane() {
        for (List<SimulatedEvent> purchases : sample.byCustomer().values()) {
            List<TransactionEvent> located = purchases.stream().filter(not(AnomalyType.IMPOSSIBLE_TRAVEL))
                    .map(SimulatedEvent::event).filter(event -> event.geo() != null)
                    .sorted(Comparator.comparing(TransactionEvent::occurredAt)).toList();
            for (int i = 1; i < located.size(); i++) {
                double hours = Duration.between(located.get(i - 1).occurredAt(), located.get(i).occurredAt()).toMillis() / 3.6e6;
                double km = Sample.kmBetween(located.get(i - 1), located.get(i));
                if (km > 100) {
                    assertThat(km / hours).as("km/h between %s and %s", located.get(i - 1).transactionId(),
                            located.get(i).transactionId()).isLessThanOrEqualTo(900);
                }
            }
        }
    }
    @Test
    void aPricingErrorSellsAsOftenAsBeforeAtAFractionOfTheAmounts() {
        List<VolumeShock> pricingErrors = sample.shocks.stream().filter(shock -> shock.kind() == VolumeShock.Kind.UNDERPRICED).toList();

        assertThat(pricingErrors).isNotEmpty().allSatisfy(shock -> {
            Duration length = Duration.between(shock.start(), shock.end());
            List<TransactionEvent> before = sales(shock.start().minus(length), shock.start());
            List<TransactionEvent> during = sales(shock.start(), shock.end());
            assertThat((double) during.size() / before.size()).as("sales against the same time before").isBetween(0.6, 1.6);
            assertThat(meanAmount(during) / meanAmount(before)).as("their mean amount").isBetween(0.05, 0.5);
            long labelled = sample.events.stream().filter(simulated -> during.contains(simulated.event()))
                    .filter(simulated -> simulated.label().map(SimulatedEvent.Label::incidentId).equals(Optional.of(shock.incidentId())))
                    .count();
            assertThat((double) labelled / during.size()).as("labelled with the incident, but for backfills of days before")
                    .isGreaterThan(0.95);
        });
    }

    @Test
    void shoppersAbroadPayInTheirOwnCurrencyAtTheShopsPricesConverted() {
        Map<String, Long> sales = sample.events.stream().map(SimulatedEvent::event)
                .collect(Collectors.groupingBy(TransactionEvent::currency, Collectors.counting()));

        assertThat(sales.keySet()).contains("INR", "AED", "GBP", "USD", "EUR", "SGD", "AUD", "CAD", "JPY");
        assertThat((double) sales.get("INR") / sample.events.size()).as("the shop's own").isBetween(0.7, 0.9);
        assertThat(sample.byCustomer().values()).allSatisfy(purchases -> assertThat(purchases.stream()
                .map(simulated -> simulated.event().currency()).distinct()).as("one currency per shopper").hasSize(1));
        Map<String, List<Double>> poundsPerRupee = new HashMap<>();
        sample.events.stream().filter(SimulatedEvent::isClean).map(SimulatedEvent::event)
                .filter(event -> event.currency().equals("GBP")).flatMap(event -> event.items().stream())
                .filter(item -> sample.products.get(item.sku()).listed())
                .forEach(item -> poundsPerRupee.computeIfAbsent(item.sku(), sku -> new ArrayList<>())
                        .add(item.unitPrice().doubleValue() / sample.products.get(item.sku()).listPrice().doubleValue()));
        List<Double> medians = poundsPerRupee.values().stream().map(ratios -> ratios.stream().sorted().toList())
                .map(sorted -> sorted.get(sorted.size() / 2)).toList();
        assertThat(medians).isNotEmpty();
        assertThat(medians.stream().mapToDouble(Double::doubleValue).sorted().toArray()[medians.size() / 2])
                .as("a listed product's usual price in pounds against its list price in rupees").isCloseTo(0.0094, within(0.0005));
        assertThat(sample.labelled(AnomalyType.PRICE_VS_CATALOG)).filteredOn(simulated -> simulated.label().orElseThrow()
                .incidentId().startsWith("inc-")).as("mispriced against the catalog, which lists only the shop's currency")
                .allSatisfy(simulated -> assertThat(simulated.event().currency()).isEqualTo("INR"));
    }

    private static boolean inShopCurrency(TransactionEvent event) {
        return event.currency().equals(StreamSettings.defaults(Sample.START).currency());
    }

    private List<TransactionEvent> sales(java.time.Instant from, java.time.Instant to) {
        return sample.events.stream().map(SimulatedEvent::event).filter(RealisticTrafficTest::inShopCurrency)
                .filter(event -> !event.occurredAt().isBefore(from) && event.occurredAt().isBefore(to))
                .filter(event -> event.status() == TransactionEvent.PaymentStatus.SUCCEEDED).toList();
    }

    private static double meanAmount(List<TransactionEvent> sales) {
        return sales.stream().mapToDouble(sale -> sale.amount().doubleValue()).average().orElseThrow();
    }
}
