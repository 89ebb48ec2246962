package io.txwatch.evaluate;

import java.util.HashMap;
import java.util.Map;

import io.txwatch.simulate.StreamSettings;

/**
 * The sales-volume detector's settings a simulated shop's owner would make: revenue judged in the shop's currency,
 * with the other currencies its shoppers pay in converted at the shop's rates.
 */
public final class ReportingCurrency {

    private static final String PREFIX = "txwatch.detectors.sales-volume.";

    private ReportingCurrency() {
    }

    public static Map<String, String> of(StreamSettings settings) {
        Map<String, String> config = new HashMap<>();
        config.put(PREFIX + "revenue-currency", settings.currency());
        settings.exchangeRates().forEach((currency, rate) -> config.put(PREFIX + "exchange-rates." + currency, rate.toPlainString()));
        return config;
    }
}
