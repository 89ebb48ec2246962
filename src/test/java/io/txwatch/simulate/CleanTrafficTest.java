package io.txwatch.simulate;

import static io.txwatch.simulate.Sample.millis;
import static io.txwatch.simulate.Sample.not;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.LineItem;
import io.txwatch.event.TransactionEvent.PaymentStatus;
import io.txwatch.simulate.Catalog.Product;

/**
 * Everyday traffic stays clearly inside normal behaviour on each detector's count, and so does every event injected
 * as another kind: a detector may flag only the events of its own kind.
 */
class CleanTrafficTest {

    private final Sample sample = Sample.ofDefaults();

    @Test
    void pricesStayWithinPromotionsOfTheListPriceOrCloseToTheTypicalPrice() {
        List<SimulatedEvent> fairlyPriced = sample.events.stream()
                .filter(not(AnomalyType.PRICE_VS_CATALOG)).filter(not(AnomalyType.PRICE_VS_RECENT)).toList();

        assertThat(fairlyPriced).allSatisfy(simulated -> assertThat(simulated.event().items()).allSatisfy(item -> {
            Product product = sample.products.get(item.sku());
            double share = share(item, product);
            if (product.listed()) {
                assertThat(share).as("%s in %s", item, simulated).isBetween(0.75, 1.05);
            } else {
                assertThat(share).as("%s in %s", item, simulated).isBetween(0.90, 1.10);
            }
        }));
    }

    @Test
    void somePurchasesArePromotionsButMostAreAtListPrice() {
        List<Double> shares = sample.events.stream().filter(SimulatedEvent::isClean)
                .flatMap(simulated -> simulated.event().items().stream())
                .filter(item -> sample.products.get(item.sku()).listed())
                .map(item -> share(item, sample.products.get(item.sku())))
                .toList();

        assertThat(shares).filteredOn(share -> share < 1.0).isNotEmpty();
        assertThat(shares).filteredOn(share -> share == 1.0).hasSizeGreaterThan(shares.size() / 2);
    }

    @Test
    void quantitiesAreOneToThree() {
        assertThat(sample.events).filteredOn(not(AnomalyType.BULK_QUANTITY)).allSatisfy(simulated ->
                assertThat(simulated.event().items()).allSatisfy(item -> assertThat(item.quantity()).isBetween(1, 3)));
    }

    @Test
    void nobodyBuysAtNightLocalTime() {
        assertThat(sample.events).filteredOn(not(AnomalyType.UNUSUAL_HOUR)).allSatisfy(simulated ->
                assertThat(Sample.localHour(simulated.event())).as("local hour of %s", simulated).isGreaterThanOrEqualTo(6));
    }

    @Test
    void nobodyTravelsFasterThanAPlane() {
        for (List<SimulatedEvent> purchases : sample.byCustomer().values()) {
            for (int i = 1; i < purchases.size(); i++) {
                SimulatedEvent previous = purchases.get(i - 1);
                SimulatedEvent next = purchases.get(i);
                if (Sample.is(next, AnomalyType.IMPOSSIBLE_TRAVEL)) {
                    continue;
                }
                double km = Sample.kmBetween(previous.event(), next.event());
                double hours = Sample.between(previous, next).toMillis() / 3_600_000.0;
                assertThat(km).as("%s then %s", previous, next).isLessThanOrEqualTo(Math.max(1.0, 700 * hours));
            }
        }
    }

    @Test
    void noPurchaseOutsideAVelocityBurstHasMoreThanFiveInTheMinuteBeforeIt() {
        for (List<SimulatedEvent> purchases : sample.byCustomer().values()) {
            for (int i = 0; i < purchases.size(); i++) {
                if (Sample.is(purchases.get(i), AnomalyType.VELOCITY)) {
                    continue;
                }
                long end = millis(purchases.get(i));
                long inLastMinute = purchases.subList(0, i + 1).stream().filter(p -> millis(p) >= end - 60_000).count();
                assertThat(inLastMinute).as("purchases up to %s", purchases.get(i)).isLessThanOrEqualTo(5);
            }
        }
    }

    @Test
    void noAttemptOutsideAFailureBurstHasThreeFailuresInTheTenMinutesBeforeIt() {
        for (List<SimulatedEvent> attempts : sample.byCustomer().values()) {
            for (int i = 0; i < attempts.size(); i++) {
                if (Sample.is(attempts.get(i), AnomalyType.FAILED_PAYMENT_BURST)) {
                    continue;
                }
                long end = millis(attempts.get(i));
                long failures = attempts.subList(0, i + 1).stream()
                        .filter(a -> millis(a) >= end - 600_000 && a.event().status() == PaymentStatus.FAILED).count();
                assertThat(failures).as("failures up to %s", attempts.get(i)).isLessThan(3);
            }
        }
    }

    @Test
    void amountsStayNearTheCustomersUsualAmountAndBelowTheHighAmountLimit() {
        BigDecimal limit = BigDecimal.valueOf(Baskets.HIGH_AMOUNT_FLOOR_RUPEES);
        for (List<SimulatedEvent> purchases : sample.byCustomer().values()) {
            List<SimulatedEvent> ordinary = purchases.stream().filter(not(AnomalyType.HIGH_AMOUNT)).toList();
            if (ordinary.size() < 5) {
                continue;
            }
            BigDecimal median = median(ordinary.stream().map(p -> p.event().amount()).toList());
            assertThat(ordinary).allSatisfy(purchase -> {
                assertThat(purchase.event().amount()).isLessThan(limit);
                assertThat(purchase.event().amount()).as("%s against a median of %s", purchase, median)
                        .isLessThanOrEqualTo(median.multiply(BigDecimal.valueOf(5)));
            });
        }
    }

    @Test
    void aboutTheConfiguredShareOfEverydayPaymentsFailForOrdinaryReasons() {
        List<TransactionEvent> everyday = sample.events.stream().filter(SimulatedEvent::isClean).map(SimulatedEvent::event).toList();
        List<TransactionEvent> failed = everyday.stream().filter(event -> event.status() == PaymentStatus.FAILED).toList();

        assertThat((double) failed.size() / everyday.size())
                .isBetween(sample.settings.failureRate() / 2, sample.settings.failureRate());
        assertThat(failed).allSatisfy(event -> assertThat(event.failureReason())
                .isIn("insufficient_funds", "card_declined", "3ds_failed", "timeout"));
        assertThat(everyday).filteredOn(event -> event.status() == PaymentStatus.SUCCEEDED)
                .allSatisfy(event -> assertThat(event.failureReason()).isNull());
    }

    @Test
    void aboutTheConfiguredShareOfEventsBelongsToInjectedAnomalies() {
        long shocked = sample.labelled(AnomalyType.SALES_VOLUME).size();
        long injected = sample.events.stream().filter(event -> !event.isClean()).count() - shocked;

        assertThat((double) injected / (sample.events.size() - shocked))
                .isBetween(sample.settings.anomalyRate() / 2, sample.settings.anomalyRate() * 1.5);
    }

    @Test
    void customersComeFromManyCitiesChannelsAndPaymentMethods() {
        List<TransactionEvent> events = sample.events.stream().map(SimulatedEvent::event).toList();

        assertThat(events.stream().map(event -> event.geo().city()).distinct().count()).isGreaterThan(20);
        assertThat(events.stream().map(TransactionEvent::channel).distinct())
                .containsExactlyInAnyOrder("web", "mobile-app", "marketplace", "pos");
        assertThat(events.stream().map(TransactionEvent::paymentMethod).distinct())
                .containsExactlyInAnyOrder("card", "upi", "wallet", "paypal", "cod");
        Map<String, Long> categories = sample.products.values().stream().filter(Product::listed)
                .collect(Collectors.groupingBy(Product::category, Collectors.counting()));
        assertThat(categories).containsKeys("electronics", "fashion", "home", "grocery", "books");
    }

    private static double share(LineItem item, Product product) {
        return item.unitPrice().divide(product.listPrice(), MathContext.DECIMAL64).doubleValue();
    }

    private static BigDecimal median(List<BigDecimal> amounts) {
        return amounts.stream().sorted().toList().get(amounts.size() / 2);
    }
}
