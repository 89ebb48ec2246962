package io.txwatch.backtest;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * A user's events for a backtest: JSON lines in the event contract ({@code docs/events.md}), or a CSV export with
 * one row per transaction or per line item, mapped onto the contract's fields. Events come out in event-time order,
 * the order the detectors' windows expect, each with its customer (the Kafka key) and its label when the file has one.
 */
final class EventFile {

    /** The contract's fields a CSV column can fill; {@code items.*} fill one line item per row. */
    static final List<String> FIELDS = List.of("transactionId", "occurredAt", "customer.id", "customer.name",
            "customer.email", "items.sku", "items.name", "items.quantity", "items.unitPrice", "amount", "currency",
            "status", "failureReason", "paymentMethod", "channel", "geo.country", "geo.city", "geo.lat", "geo.lon", "ip",
            "userAgent");

    private static final Set<String> TRUE = Set.of("1", "true", "yes", "y", "t", "fraud", "anomaly", "anomalous");
    private static final Set<String> NUMBERS = Set.of("items.quantity", "geo.lat", "geo.lon");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One event as it will be published.
     *
     * @param occurredAt its event time, when readable (an unreadable one is published as it is and dead-lettered)
     * @param label whether the file marks it as a true anomaly, when the file has a label column
     */
    record Event(String transactionId, String customerId, Optional<Instant> occurredAt, byte[] json, Optional<Boolean> label) {
    }

    /**
     * How CSV columns become the contract's fields.
     *
     * @param columns the column for a field, where it is not named as the field
     * @param defaults a value for a field the file lacks (a currency, a channel)
     * @param label the column, or JSON field, that marks a true anomaly, if any
     */
    record Mapping(Map<String, String> columns, Map<String, String> defaults, Optional<String> label) {

        String column(String field) {
            return columns.getOrDefault(field, field);
        }
    }

    private EventFile() {
    }

    static List<Event> read(Path file, Mapping mapping) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Event> events = name.endsWith(".csv") ? csv(file, mapping) : jsonLines(file, mapping);
        List<Event> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparing((Event event) -> event.occurredAt().orElse(Instant.MAX)));
        return ordered;
    }

    private static List<Event> jsonLines(Path file, Mapping mapping) throws IOException {
        List<Event> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (IOException e) {
                events.add(new Event("", "", Optional.empty(), line.getBytes(StandardCharsets.UTF_8), Optional.empty()));
                continue;
            }
            Optional<Boolean> label = mapping.label().map(field -> truthy(event.path(field).asText("")));
            events.add(new Event(event.path("transactionId").asText(""), event.path("customer").path("id").asText(""),
                    instant(event.path("occurredAt").asText(null)), line.getBytes(StandardCharsets.UTF_8), label));
        }
        return events;
    }

    /** Rows with the same transaction id are one event, their items one list, its other fields from the first row. */
    private static List<Event> csv(Path file, Mapping mapping) throws IOException {
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        Map<String, Optional<Boolean>> labels = new LinkedHashMap<>();
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<Map<String, String>> rows = csv.readerFor(Map.class)
                        .with(CsvSchema.emptySchema().withHeader()).readValues(reader)) {
            int row = 0;
            while (rows.hasNextValue()) {
                Map<String, String> values = rows.nextValue();
                row++;
                String id = value(values, mapping, "transactionId").orElse("row-" + row);
                ObjectNode event = byId.get(id);
                if (event == null) {
                    event = JSON.createObjectNode();
                    for (String field : FIELDS) {
                        if (!field.startsWith("items.")) {
                            ObjectNode node = event;
                            value(values, mapping, field).ifPresent(text -> put(node, field, text));
                        }
                    }
                    event.put("transactionId", id);
                    event.put("schemaVersion", 1);
                    event.putArray("items");
                    byId.put(id, event);
                    labels.put(id, mapping.label().map(column -> truthy(values.getOrDefault(column, ""))));
                }
                ((ArrayNode) event.get("items")).add(item(values, mapping, event));
            }
        }
        List<Event> events = new ArrayList<>();
        byId.forEach((id, event) -> events.add(new Event(id, event.path("customer").path("id").asText(""),
                instant(event.path("occurredAt").asText(null)), event.toString().getBytes(StandardCharsets.UTF_8),
                labels.get(id))));
        return events;
    }

    /** A row's line item; a file without items (card payments) gets one line of the whole amount. */
    private static ObjectNode item(Map<String, String> values, Mapping mapping, ObjectNode event) {
        ObjectNode item = JSON.createObjectNode();
        item.put("sku", value(values, mapping, "items.sku").orElse("-"));
        value(values, mapping, "items.name").ifPresent(name -> item.put("name", name));
        put(item, "quantity", value(values, mapping, "items.quantity").orElse("1"));
        item.put("unitPrice", value(values, mapping, "items.unitPrice").orElse(event.path("amount").asText("")));
        return item;
    }

    private static Optional<String> value(Map<String, String> values, Mapping mapping, String field) {
        String text = values.get(mapping.column(field));
        if (text == null || text.isBlank()) {
            return Optional.ofNullable(mapping.defaults().get(field));
        }
        return Optional.of(text.trim());
    }

    /** Puts {@code a.b} as a nested field, numbers as numbers where the contract wants them. */
    private static void put(ObjectNode event, String field, String text) {
        int dot = field.indexOf('.');
        if (dot > 0 && !field.startsWith("items.")) {
            ObjectNode parent = event.has(field.substring(0, dot)) ? (ObjectNode) event.get(field.substring(0, dot))
                    : event.putObject(field.substring(0, dot));
            put(parent, field.substring(dot + 1), text, NUMBERS.contains(field));
            return;
        }
        put(event, field.startsWith("items.") ? field.substring(6) : field, text, NUMBERS.contains("items." + field));
    }

    private static void put(ObjectNode node, String name, String text, boolean number) {
        if (number) {
            try {
                node.set(name, JSON.readTree(text));
                return;
            } catch (IOException e) {
                // kept as text: the service names the field it cannot read
            }
        }
        node.put(name, text);
    }

    private static boolean truthy(String text) {
        return TRUE.contains(text.trim().toLowerCase(Locale.ROOT));
    }

    private static Optional<Instant> instant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
