package io.txwatch.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.txwatch.event.CurrencyCodes;
import io.txwatch.event.FieldViolation;
import io.txwatch.event.MoneyBounds;
import io.txwatch.event.Texts;

/** The rules a catalog product must follow, whichever way it arrives (REST, bulk import, topic). */
final class CatalogProductValidator {

    private static final int MAX_SKU_LENGTH = 128;
    private static final int MAX_TEXT_LENGTH = 256;

    private CatalogProductValidator() {
    }

    /** @param path prefix for field names, such as {@code [3]} for the fourth product of an import */
    static List<FieldViolation> violations(CatalogProduct product, String path) {
        List<FieldViolation> violations = new ArrayList<>();
        String prefix = path.isEmpty() ? "" : path + ".";
        if (product == null) {
            violations.add(new FieldViolation(path.isEmpty() ? "$" : path, "a product is required"));
            return violations;
        }
        if (isBlank(product.sku())) {
            violations.add(new FieldViolation(prefix + "sku", "is required"));
        } else if (product.sku().length() > MAX_SKU_LENGTH) {
            violations.add(new FieldViolation(prefix + "sku", "must be at most " + MAX_SKU_LENGTH + " characters"));
        }
        text(product.name(), prefix + "name", violations);
        text(product.category(), prefix + "category", violations);
        BigDecimal listPrice = product.listPrice();
        if (listPrice == null) {
            violations.add(new FieldViolation(prefix + "listPrice", "is required"));
        } else {
            MoneyBounds.violation(listPrice).ifPresent(message -> violations.add(new FieldViolation(prefix + "listPrice", message)));
        }
        if (!CurrencyCodes.isIso(product.currency())) {
            violations.add(new FieldViolation(prefix + "currency", "must be an ISO 4217 currency code such as EUR or INR, got '"
                    + (product.currency() == null ? "" : Texts.shown(product.currency())) + "'"));
        }
        return violations;
    }

    /** The product with its currency code upper-cased and text trimmed. */
    static CatalogProduct normalised(CatalogProduct product) {
        return new CatalogProduct(product.sku().trim(), product.name().trim(), product.category().trim(),
                product.listPrice(), product.currency().trim().toUpperCase(Locale.ROOT));
    }

    private static void text(String value, String field, List<FieldViolation> violations) {
        if (isBlank(value)) {
            violations.add(new FieldViolation(field, "is required"));
        } else if (value.length() > MAX_TEXT_LENGTH || value.indexOf('\u0000') >= 0) {
            violations.add(new FieldViolation(field, "must be at most " + MAX_TEXT_LENGTH + " characters, without NUL"));
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
