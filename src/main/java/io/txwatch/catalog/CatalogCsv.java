package io.txwatch.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.txwatch.event.FieldViolation;

/**
 * Reads a catalog CSV: a header line naming the columns {@code sku,name,category,listPrice,currency} in any
 * order, then one product a line. Fields may be quoted with {@code "}, doubling a quote inside.
 */
final class CatalogCsv {

    static final List<String> COLUMNS = List.of("sku", "name", "category", "listprice", "currency");

    /** The products read, or the violations found (rows named {@code line N}). */
    record Parsed(List<CatalogProduct> products, List<FieldViolation> violations) {
    }

    private CatalogCsv() {
    }

    static Parsed parse(String csv) {
        List<FieldViolation> violations = new ArrayList<>();
        List<CatalogProduct> products = new ArrayList<>();
        String[] lines = csv.replace("\r\n", "\n").split("\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return new Parsed(products, List.of(new FieldViolation("line 1", "a header line is required: " + String.join(",", COLUMNS))));
        }
        Map<String, Integer> columnIndex = new HashMap<>();
        List<String> header = fields(lines[0]);
        for (int i = 0; i < header.size(); i++) {
            columnIndex.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        List<String> missing = COLUMNS.stream().filter(column -> !columnIndex.containsKey(column)).toList();
        if (!missing.isEmpty()) {
            return new Parsed(products, List.of(new FieldViolation("line 1", "the header lacks the columns " + missing)));
        }
        for (int lineNumber = 2; lineNumber <= lines.length; lineNumber++) {
            String line = lines[lineNumber - 1];
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = fields(line);
            String path = "line " + lineNumber;
            String priceText = field(fields, columnIndex.get("listprice"));
            BigDecimal listPrice = decimalOrNull(priceText);
            boolean priceUnreadable = listPrice == null && priceText != null && !priceText.isBlank();
            CatalogProduct product = new CatalogProduct(field(fields, columnIndex.get("sku")), field(fields, columnIndex.get("name")),
                    field(fields, columnIndex.get("category")), listPrice, field(fields, columnIndex.get("currency")));
            List<FieldViolation> rowViolations = CatalogProductValidator.violations(product, path);
            if (priceUnreadable) {
                // say why the price is missing rather than only that it is
                rowViolations.removeIf(violation -> violation.field().equals(path + ".listPrice"));
                rowViolations.add(new FieldViolation(path + ".listPrice", "must be a decimal number, got '" + priceText + "'"));
            }
            violations.addAll(rowViolations);
            products.add(product);
        }
        return new Parsed(products, violations);
    }

    private static BigDecimal decimalOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String field(List<String> fields, int index) {
        return index < fields.size() ? fields.get(index) : null;
    }

    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }
}
