package io.txwatch.simulate;

import static io.txwatch.simulate.Sample.not;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEvent.LineItem;
import io.txwatch.event.TransactionEvent.PaymentStatus;
import io.txwatch.simulate.Catalog.Product;
import io.txwatch.simulate.SimulatedEvent.Label;
import io.txwatch.simulate.VolumeShock.Kind;

/** Every kind of anomaly is injected, repeatedly, and each injected incident has what its detector looks for. */
class InjectedAnomaliesTest {

    private final Sample sample = Sample.ofDefaults();

    @Test
    void everyKindIsInjectedSeveralTimes() {
        for (AnomalyType type : AnomalyType.values()) {
            assertThat(sample.incidents(type)).as("incidents of %s", type).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aCatalogPriceAnomalyIsOneSaleFarBelowOrAboveTheListPrice() {
        Map<String, List<SimulatedEvent>> incidents = sample.incidents(AnomalyType.PRICE_VS_CATALOG);

        assertThat(incidents.values()).allSatisfy(incident -> assertThat(incident).singleElement().satisfies(simulated ->
                assertThat(simulated.event().items()).anySatisfy(item -> {
                    Product product = sample.products.get(item.sku());
                    assertThat(product.listed()).isTrue();
                    assertThat(share(item, product)).satisfiesAnyOf(
                            share -> assertThat(share).isBetween(0.01, 0.605),
                            share -> assertThat(share).isBetween(1.195, 3.0));
                })));
        assertThat(incidents.values()).anySatisfy(incident -> assertThat(share(incident.get(0))).isLessThan(1));
        assertThat(incidents.values()).anySatisfy(incident -> assertThat(share(incident.get(0))).isGreaterThan(1));
    }

    @Test
    void aRecentPriceAnomalyIsOneSaleOfAWellKnownOffCatalogItemFarFromItsTypicalPrice() {
        Map<String, Integer> timesSold = new HashMap<>();
        for (SimulatedEvent simulated : sample.events) {
            if (Sample.is(simulated, AnomalyType.PRICE_VS_RECENT)) {
                LineItem item = simulated.event().items().get(0);
                Product product = sample.products.get(item.sku());
                assertThat(product.listed()).isFalse();
                assertThat(timesSold.getOrDefault(item.sku(), 0)).isGreaterThanOrEqualTo(20);
                assertThat(share(item, product)).satisfiesAnyOf(share -> assertThat(share).isLessThan(0.40),
                        share -> assertThat(share).isGreaterThan(1.70));
            }
            simulated.event().items().forEach(item -> timesSold.merge(item.sku(), 1, Integer::sum));
        }
        assertThat(sample.incidents(AnomalyType.PRICE_VS_RECENT).values()).allSatisfy(incident -> assertThat(incident).hasSize(1));
    }

    @Test
    void aVelocityIncidentIsSevenOrMorePurchasesOfOneCustomerWithinAMinute() {
        assertThat(sample.incidents(AnomalyType.VELOCITY).values()).allSatisfy(incident -> {
            assertThat(incident).hasSizeBetween(7, 12);
            assertThat(customers(incident)).hasSize(1);
            assertThat(Sample.between(incident.get(0), incident.get(incident.size() - 1))).isLessThanOrEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void aFailureBurstIsThreeToSixFailedAttemptsOfOneCustomerWithinEightMinutes() {
        assertThat(sample.incidents(AnomalyType.FAILED_PAYMENT_BURST).values()).allSatisfy(incident -> {
            assertThat(incident).hasSizeBetween(3, 6);
            assertThat(customers(incident)).hasSize(1);
            assertThat(incident).allSatisfy(attempt -> {
                assertThat(attempt.event().status()).isEqualTo(PaymentStatus.FAILED);
                assertThat(attempt.event().failureReason()).isNotBlank();
            });
            assertThat(Sample.between(incident.get(0), incident.get(incident.size() - 1)))
                    .isBetween(Duration.ofMinutes(1), Duration.ofMinutes(8));
        });
    }

    @Test
    void aHighAmountIsOneOrderOfManyTimesTheCustomersUsualAmountAndAboveTheLimit() {
        Map<String, List<SimulatedEvent>> byCustomer = sample.byCustomer();
        BigDecimal limit = BigDecimal.valueOf(Baskets.HIGH_AMOUNT_FLOOR_RUPEES);

        assertThat(sample.incidents(AnomalyType.HIGH_AMOUNT).values()).allSatisfy(incident ->
                assertThat(incident).singleElement().satisfies(order -> {
                    assertThat(order.event().amount()).isGreaterThan(limit);
                    assertThat(order.event().items()).allSatisfy(item -> {
                        assertThat(item.quantity()).isLessThanOrEqualTo(3);
                        assertThat(item.unitPrice()).isEqualTo(sample.products.get(item.sku()).listPrice());
                    });
                    List<BigDecimal> usual = byCustomer.get(order.event().customer().id()).stream()
                            .filter(not(AnomalyType.HIGH_AMOUNT)).map(p -> p.event().amount()).sorted().toList();
                    if (usual.size() >= 3) {
                        assertThat(order.event().amount())
                                .isGreaterThanOrEqualTo(usual.get(usual.size() / 2).multiply(BigDecimal.TEN));
                    }
                }));
    }

    @Test
    void anUnusualHourIsOnePurchaseInTheSmallHoursBySomeoneWhoOtherwiseBuysInDaytime() {
        Map<String, List<SimulatedEvent>> byCustomer = sample.byCustomer();

        assertThat(sample.incidents(AnomalyType.UNUSUAL_HOUR).values()).allSatisfy(incident ->
                assertThat(incident).singleElement().satisfies(night -> {
                    assertThat(Sample.localHour(night.event())).isBetween(1, 4);
                    List<SimulatedEvent> others = byCustomer.get(night.event().customer().id()).stream()
                            .filter(not(AnomalyType.UNUSUAL_HOUR)).toList();
                    assertThat(others).hasSizeGreaterThanOrEqualTo(20)
                            .allSatisfy(day -> assertThat(Sample.localHour(day.event())).isGreaterThanOrEqualTo(7));
                }));
    }

    @Test
    void anImpossibleTravelIsAPurchaseThreeThousandKmFromThePreviousOneWithinTwoHours() {
        Map<String, List<SimulatedEvent>> byCustomer = sample.byCustomer();

        assertThat(sample.incidents(AnomalyType.IMPOSSIBLE_TRAVEL).values()).allSatisfy(incident ->
                assertThat(incident).singleElement().satisfies(far -> {
                    List<SimulatedEvent> purchases = byCustomer.get(far.event().customer().id());
                    int index = purchases.indexOf(far);
                    assertThat(index).isPositive();
                    SimulatedEvent previous = purchases.get(index - 1);
                    assertThat(Sample.kmBetween(previous.event(), far.event())).isGreaterThanOrEqualTo(3_000);
                    assertThat(Sample.between(previous, far)).isLessThan(Duration.ofHours(2));
                }));
    }

    @Test
    void aBulkQuantityIsFortyToTwoHundredOfAnItemOtherwiseBoughtOneToThreeAtATime() {
        Map<String, Integer> largestUsualQuantity = new HashMap<>();
        Map<String, Integer> timesSold = new HashMap<>();
        sample.events.stream().filter(not(AnomalyType.BULK_QUANTITY)).flatMap(simulated -> simulated.event().items().stream())
                .forEach(item -> largestUsualQuantity.merge(item.sku(), item.quantity(), Math::max));

        for (SimulatedEvent simulated : sample.events) {
            if (Sample.is(simulated, AnomalyType.BULK_QUANTITY)) {
                assertThat(simulated.event().items()).singleElement().satisfies(item -> {
                    assertThat(item.quantity()).isBetween(40, 200);
                    assertThat(largestUsualQuantity.get(item.sku())).isLessThanOrEqualTo(3);
                    assertThat(timesSold.get(item.sku())).isGreaterThanOrEqualTo(20);
                });
            }
            simulated.event().items().forEach(item -> timesSold.merge(item.sku(), 1, Integer::sum));
        }
    }

    @Test
    void volumeShocksOfEveryKindHappenAfterTheWarmUpAndApart() {
        assertThat(sample.shocks.stream().map(VolumeShock::kind).collect(Collectors.toSet()))
                .as("pricing errors only in profiles that have them").containsExactlyInAnyOrder(Kind.OUTAGE, Kind.DROP, Kind.SPIKE);
        assertThat(sample.shocks).allSatisfy(shock ->
                assertThat(shock.start()).isAfterOrEqualTo(Sample.START.plus(sample.settings.shockWarmUp())));
        for (int i = 1; i < sample.shocks.size(); i++) {
            assertThat(sample.shocks.get(i).start()).isAfter(sample.shocks.get(i - 1).end());
        }
    }

    @Test
    void nothingIsSoldDuringAnOutageAndTheFirstSaleAfterItCarriesItsLabel() {
        List<VolumeShock> outages = sample.shocks.stream().filter(shock -> shock.kind() == Kind.OUTAGE).toList();

        assertThat(outages).isNotEmpty().allSatisfy(outage -> {
            assertThat(during(outage)).isEmpty();
            SimulatedEvent first = sample.events.stream()
                    .filter(simulated -> !simulated.event().occurredAt().isBefore(outage.end())).findFirst().orElseThrow();
            assertThat(first.label()).contains(new Label(AnomalyType.SALES_VOLUME, outage.incidentId(), Optional.of(outage)));
        });
        assertThat(sample.labelled(AnomalyType.SALES_VOLUME)).filteredOn(simulated -> shock(simulated).kind() == Kind.OUTAGE)
                .hasSize(outages.size());
    }

    @Test
    void everySaleDuringADropOrSpikeCarriesItsLabelAndNoOtherSaleDoes() {
        for (VolumeShock shock : sample.shocks) {
            if (shock.kind() != Kind.OUTAGE) {
                assertThat(during(shock)).isNotEmpty().allSatisfy(simulated -> assertThat(simulated.label())
                        .contains(new Label(AnomalyType.SALES_VOLUME, shock.incidentId(), Optional.of(shock))));
            }
        }
        assertThat(sample.labelled(AnomalyType.SALES_VOLUME)).allSatisfy(simulated -> {
            VolumeShock shock = shock(simulated);
            if (shock.kind() != Kind.OUTAGE) {
                assertThat(simulated.event().occurredAt()).isBetween(shock.start(), shock.end());
            }
        });
    }

    @Test
    void aDropSellsFarLessAndASpikeFarMoreThanTheSameTimeBefore() {
        for (VolumeShock shock : sample.shocks) {
            Duration length = Duration.between(shock.start(), shock.end());
            long before = sample.events.stream().filter(simulated -> !simulated.event().occurredAt().isBefore(shock.start().minus(length))
                    && simulated.event().occurredAt().isBefore(shock.start())).count();
            long during = during(shock).size();
            switch (shock.kind()) {
                case DROP -> assertThat(during).as("%s against %d before", shock, before).isLessThan(before / 2);
                case SPIKE -> assertThat(during).as("%s against %d before", shock, before).isGreaterThan(3 * before);
                case OUTAGE -> assertThat(during).isZero();
            }
        }
    }

    @Test
    void aFlashSaleSellsAtPromotionPrices() {
        assertThat(sample.labelled(AnomalyType.SALES_VOLUME)).filteredOn(simulated -> shock(simulated).kind() == Kind.SPIKE)
                .isNotEmpty()
                .allSatisfy(simulated -> assertThat(simulated.event().items()).allSatisfy(item -> {
                    Product product = sample.products.get(item.sku());
                    if (product.listed()) {
                        assertThat(share(item, product)).isBetween(0.845, 0.955);
                    }
                }));
    }

    private List<SimulatedEvent> during(VolumeShock shock) {
        return sample.events.stream().filter(simulated -> !simulated.event().occurredAt().isBefore(shock.start())
                && simulated.event().occurredAt().isBefore(shock.end())).toList();
    }

    private static VolumeShock shock(SimulatedEvent simulated) {
        return simulated.label().orElseThrow().shock().orElseThrow();
    }

    private static Set<String> customers(List<SimulatedEvent> incident) {
        return incident.stream().map(simulated -> simulated.event().customer().id()).collect(Collectors.toSet());
    }

    private double share(SimulatedEvent simulated) {
        LineItem item = simulated.event().items().get(0);
        return share(item, sample.products.get(item.sku()));
    }

    private static double share(LineItem item, Product product) {
        return item.unitPrice().divide(product.listPrice(), MathContext.DECIMAL64).doubleValue();
    }
}
