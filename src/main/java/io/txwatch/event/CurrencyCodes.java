package io.txwatch.event;

import java.util.Currency;
import java.util.Locale;

/** ISO 4217 currency codes, as every input of txwatch (events, catalog) must carry them. */
public final class CurrencyCodes {

    private CurrencyCodes() {
    }

    /** Whether the code, in any case and ignoring surrounding space, names an ISO 4217 currency. */
    public static boolean isIso(String code) {
        if (code == null || code.trim().length() != 3) {
            return false;
        }
        try {
            Currency.getInstance(code.trim().toUpperCase(Locale.ROOT));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
