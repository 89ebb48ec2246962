package io.txwatch.simulate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prices in the simulated shop's currency. The price levels of the simulation are set in Indian rupees and
 * converted at fixed rates, so that a demo in EUR has the same shape as one in INR: a phone still costs about
 * 300 times a chocolate bar, and the high-amount limit stays the same in value.
 */
final class Money {

    /** Approximate units of each currency per rupee; fixed, since a demo needs stable prices, not market rates. */
    private static final Map<String, Double> UNITS_PER_RUPEE = new TreeMap<>(Map.of(
            "INR", 1.0,
            "USD", 0.012,
            "EUR", 0.011,
            "GBP", 0.0094,
            "JPY", 1.8,
            "AUD", 0.018,
            "CAD", 0.016,
            "SGD", 0.016,
            "AED", 0.044));

    private final String currency;
    private final double unitsPerRupee;
    private final int fractionDigits;
    private final BigDecimal minorUnit;

    Money(String currency) {
        if (!UNITS_PER_RUPEE.containsKey(currency)) {
            throw new IllegalArgumentException("currency " + currency + " is not simulated; choose one of "
                    + String.join(", ", UNITS_PER_RUPEE.keySet()));
        }
        this.currency = currency;
        this.unitsPerRupee = UNITS_PER_RUPEE.get(currency);
        this.fractionDigits = Currency.getInstance(currency).getDefaultFractionDigits();
        this.minorUnit = BigDecimal.ONE.movePointLeft(fractionDigits);
    }

    static boolean isSimulated(String currency) {
        return UNITS_PER_RUPEE.containsKey(currency);
    }

    String currency() {
        return currency;
    }

    /** What one unit of each other simulated currency is worth in this one, at the fixed rates, to six digits. */
    Map<String, BigDecimal> ratesInto() {
        Map<String, BigDecimal> rates = new TreeMap<>();
        UNITS_PER_RUPEE.forEach((other, units) -> {
            if (!other.equals(currency)) {
                rates.put(other, new BigDecimal(unitsPerRupee / units, new MathContext(6)));
            }
        });
        return rates;
    }

    double fromRupees(double rupees) {
        return rupees * unitsPerRupee;
    }

    /**
     * A shop's price near the given amount: rounded up to two significant digits and one unit below, the way
     * shops price (1,437 becomes 1,499; 37.4 becomes 37.99; 79,843 becomes 79,999).
     */
    BigDecimal shelfPrice(double amount) {
        BigDecimal step = BigDecimal.ONE.movePointRight((int) Math.floor(StrictMath.log10(amount)) - 1).max(minorUnit);
        BigDecimal rounded = BigDecimal.valueOf(amount).divide(step, 0, RoundingMode.CEILING).multiply(step);
        BigDecimal below = step.compareTo(BigDecimal.TEN) >= 0 ? BigDecimal.ONE : minorUnit;
        return rounded.subtract(below).max(minorUnit).setScale(fractionDigits, RoundingMode.UNNECESSARY);
    }

    /** A price of this currency in another at the fixed rates, to that currency's smallest unit, as a shop shows it. */
    BigDecimal convert(BigDecimal price, Money to) {
        return price.multiply(BigDecimal.valueOf(to.unitsPerRupee / unitsPerRupee))
                .setScale(to.fractionDigits, RoundingMode.HALF_UP).max(to.minorUnit);
    }

    /** {@code share} of a price (0.9 for 10 % off), never below the currency's smallest unit. */
    BigDecimal share(BigDecimal price, double share) {
        return price.multiply(BigDecimal.valueOf(share)).setScale(fractionDigits, RoundingMode.HALF_UP).max(minorUnit);
    }
}
