package io.txwatch.event;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What an amount of money may be: what PostgreSQL's {@code numeric(19,4)} columns hold (at most 15 digits before the
 * point, 4 after) and not negative. Checked on the decimal's precision and scale, never on its expansion, so that
 * {@code 1E+1000000000} is refused in constant time instead of being written out as a billion digits.
 */
public final class MoneyBounds {

    public static final int MAX_INTEGER_DIGITS = 15;
    public static final int MAX_FRACTION_DIGITS = 4;
    /** The largest amount accepted: 999,999,999,999,999.9999. */
    public static final BigDecimal MAX = BigDecimal.TEN.pow(MAX_INTEGER_DIGITS).subtract(BigDecimal.ONE.movePointLeft(MAX_FRACTION_DIGITS));

    private MoneyBounds() {
    }

    /** Why {@code value} is no amount of money, if it is not. */
    public static Optional<String> violation(BigDecimal value) {
        if (value.signum() < 0) {
            return Optional.of("must be 0 or more, got " + shown(value));
        }
        if (value.signum() == 0) {
            return Optional.empty();
        }
        BigDecimal significant = value.stripTrailingZeros();
        if (significant.precision() - significant.scale() > MAX_INTEGER_DIGITS) {
            return Optional.of("must be less than 10^" + MAX_INTEGER_DIGITS + ", got " + shown(value));
        }
        if (significant.scale() > MAX_FRACTION_DIGITS) {
            return Optional.of("must have at most " + MAX_FRACTION_DIGITS + " decimal places, got " + shown(value));
        }
        return Optional.empty();
    }

    /** A number as it can be quoted in an error message: scientific notation, at most 40 characters. */
    public static String shown(BigDecimal value) {
        return Texts.shown(value.toString());
    }
}
