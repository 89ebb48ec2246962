package io.txwatch.catalog;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import io.txwatch.event.FieldViolation;
import io.txwatch.event.Texts;

/**
 * Reads a catalog CSV (RFC 4180, through Jackson's CSV reader): a header line naming the columns
 * {@code sku,name,category,listPrice,currency} in any order, then one product a line. Fields may be quoted with
 * {@code "}, doubling a quote inside; a quoted field may hold commas and line breaks.
 */
final class CatalogCsv {

    static final List<String> COLUMNS = List.of("sku", "name", "category", "listprice", "currency");

    private static final ObjectReader ROWS = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES).readerFor(String[].class);

    /** The products read, or the violations found (rows named {@code line N}). */
    record Parsed(List<CatalogProduct> products, List<FieldViolation> violations) {
    }

    private CatalogCsv() {
    }

    static Parsed parse(String csv) {
        List<FieldViolation> violations = new ArrayList<>();
        List<CatalogProduct> products = new ArrayList<>();
        try (MappingIterator<String[]> rows = ROWS.readValues(csv)) {
            if (!rows.hasNextValue()) {
                return new Parsed(products, List.of(new FieldViolation("line 1",
                        "a header line is required: " + String.join(",", COLUMNS))));
            }
            Map<String, Integer> columnIndex = new HashMap<>();
            String[] header = rows.nextValue();
            for (int i = 0; i < header.length; i++) {
                columnIndex.put(header[i].trim().toLowerCase(Locale.ROOT), i);
            }
            List<String> missing = COLUMNS.stream().filter(column -> !columnIndex.containsKey(column)).toList();
            if (!missing.isEmpty()) {
                return new Parsed(products, List.of(new FieldViolation("line 1", "the header lacks the columns " + missing)));
            }
            while (rows.hasNextValue()) {
                String[] fields = rows.nextValue();
                String path = "line " + rows.getParser().currentTokenLocation().getLineNr();
                read(fields, columnIndex, path, products, violations);
            }
        } catch (IOException e) {
            violations.add(new FieldViolation("line " + lineOf(e), "not readable as CSV: " + Texts.shown(reason(e))));
        }
        return new Parsed(products, violations);
    }

    private static void read(String[] fields, Map<String, Integer> columnIndex, String path, List<CatalogProduct> products,
            List<FieldViolation> violations) {
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

    private static String reason(IOException e) {
        return e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
    }

    private static int lineOf(IOException e) {
        return e instanceof JsonProcessingException processing && processing.getLocation() != null
                ? processing.getLocation().getLineNr() : 1;
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

    private static String field(String[] fields, int index) {
        return index < fields.length ? fields[index] : null;
    }
}
