package io.txwatch.detect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;

/** Amounts as an analyst reads them: ₹50,000.00, €12.50, CHF 99.00. */
public final class MoneyFormat {

    private static final Map<String, String> SYMBOLS = Map.of(
            "INR", "₹", "USD", "$", "EUR", "€", "GBP", "£", "JPY", "¥", "CNY", "¥", "KRW", "₩", "BRL", "R$",
            "AUD", "A$", "CAD", "C$");

    private MoneyFormat() {
    }

    public static String format(BigDecimal amount, String currencyCode) {
        int digits = Math.max(0, Currency.getInstance(currencyCode).getDefaultFractionDigits());
        DecimalFormat format = new DecimalFormat(digits == 0 ? "#,##0" : "#,##0." + "0".repeat(digits),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        String number = format.format(amount.setScale(digits, RoundingMode.HALF_EVEN));
        String symbol = SYMBOLS.get(currencyCode);
        return symbol != null ? symbol + number : currencyCode + " " + number;
    }

    /** A ratio as a percentage with one decimal: 0.99 reads "99.0 %". */
    public static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }
}
