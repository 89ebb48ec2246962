package io.txwatch.event;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.txwatch.event.TransactionEvent.Customer;
import io.txwatch.event.TransactionEvent.Geo;
import io.txwatch.event.TransactionEvent.LineItem;
import io.txwatch.event.TransactionEvent.PaymentStatus;

/**
 * Reads and writes the transaction event contract. Reading checks every rule of the contract and names
 * each broken one by its JSON path, so that a rejected event can be fixed without guessing. Mapping by hand
 * (no reflection) keeps the rules in one place and the native image free of reflection configuration.
 */
public final class TransactionEventJson {

    /** Longest accepted identifier, so that keys built from ids stay bounded. */
    static final int MAX_ID_LENGTH = 128;
    static final int MAX_ITEMS = 1000;
    static final int MAX_QUANTITY = 1_000_000;
    /** Channel and payment method name series and label values: short, so that they stay few and cheap. */
    static final int MAX_CODE_LENGTH = 64;
    static final int MAX_NAME_LENGTH = 256;
    static final int MAX_EMAIL_LENGTH = 320;
    static final int MAX_USER_AGENT_LENGTH = 1024;
    /** Numbers, as JSON numbers or as decimal strings. */
    static final int MAX_NUMBER_TEXT_LENGTH = 64;

    /**
     * Decimals stay exact and keep their scale: 1399.00 is read as 1399.00, not as a double nor as 1399. A key given
     * twice is refused rather than silently resolved; nesting, numbers and strings are bounded far above what an
     * event needs, so that no record can make the parser work or allocate without limit.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxNumberLength(MAX_NUMBER_TEXT_LENGTH)
                            .maxStringLength(1 << 20)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private TransactionEventJson() {
    }

    /** The outcome of reading one event: the event, or why it was refused. */
    public sealed interface ReadResult {
    }

    public record Valid(TransactionEvent event) implements ReadResult {
    }

    public record Invalid(List<FieldViolation> violations) implements ReadResult {

        public String reason() {
            return violations.stream().map(v -> v.field() + ": " + v.message())
                    .reduce((a, b) -> a + "; " + b).orElse("invalid event");
        }
    }

    public static ReadResult read(byte[] json) {
        if (json == null || json.length == 0) {
            return new Invalid(List.of(new FieldViolation("$", "the event is empty")));
        }
        try {
            return read(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            return new Invalid(List.of(new FieldViolation("$", "not valid JSON: " + Texts.shown(String.valueOf(e.getOriginalMessage())))));
        } catch (IOException e) {
            return new Invalid(List.of(new FieldViolation("$", "unreadable: " + Texts.shown(String.valueOf(e.getMessage())))));
        }
    }

    public static ReadResult read(JsonNode node) {
        return new Reader("").read(node);
    }

    /** Reads one element of a JSON array, naming its fields {@code [index].field}. */
    public static ReadResult read(JsonNode node, int index) {
        return new Reader("[" + index + "]").read(node);
    }

    public static JsonNode readTree(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    public static byte[] write(TransactionEvent event) {
        try {
            return MAPPER.writeValueAsBytes(toJson(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A transaction event could not be written as JSON", e);
        }
    }

    public static ObjectNode toJson(TransactionEvent event) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("transactionId", event.transactionId());
        json.put("occurredAt", event.occurredAt().toString());
        ObjectNode customer = json.putObject("customer");
        customer.put("id", event.customer().id());
        putIfPresent(customer, "name", event.customer().name());
        putIfPresent(customer, "email", event.customer().email());
        ArrayNode items = json.putArray("items");
        for (LineItem item : event.items()) {
            ObjectNode itemJson = items.addObject();
            itemJson.put("sku", item.sku());
            putIfPresent(itemJson, "name", item.name());
            itemJson.put("quantity", item.quantity());
            itemJson.put("unitPrice", item.unitPrice());
        }
        json.put("amount", event.amount());
        json.put("currency", event.currency());
        json.put("status", event.status().name());
        putIfPresent(json, "failureReason", event.failureReason());
        json.put("paymentMethod", event.paymentMethod());
        json.put("channel", event.channel());
        Geo geo = event.geo();
        if (geo != null) {
            ObjectNode geoJson = json.putObject("geo");
            putIfPresent(geoJson, "country", geo.country());
            putIfPresent(geoJson, "city", geo.city());
            if (geo.hasCoordinates()) {
                geoJson.put("lat", geo.lat());
                geoJson.put("lon", geo.lon());
            }
        }
        putIfPresent(json, "ip", event.ip());
        putIfPresent(json, "userAgent", event.userAgent());
        json.put("schemaVersion", event.schemaVersion());
        return json;
    }

    private static void putIfPresent(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    /** Reads one event, collecting every violation rather than stopping at the first. */
    private static final class Reader {

        private final String prefix;
        private final List<FieldViolation> violations = new ArrayList<>();

        Reader(String prefix) {
            this.prefix = prefix;
        }

        ReadResult read(JsonNode root) {
            if (root == null || !root.isObject()) {
                return new Invalid(List.of(new FieldViolation(prefix.isEmpty() ? "$" : prefix, "an event must be a JSON object")));
            }
            String transactionId = id(root, "transactionId");
            Instant occurredAt = instant(root, "occurredAt");
            Customer customer = customer(root.get("customer"));
            List<LineItem> items = items(root.get("items"));
            BigDecimal amount = optionalMoney(root, "amount");
            String currency = currency(root);
            PaymentStatus status = status(root);
            String failureReason = optionalText(root, "failureReason", "failureReason", MAX_NAME_LENGTH);
            String paymentMethod = requiredText(root, "paymentMethod", "paymentMethod", MAX_CODE_LENGTH);
            String channel = requiredText(root, "channel", "channel", MAX_CODE_LENGTH);
            Geo geo = geo(root.get("geo"));
            String ip = optionalText(root, "ip", "ip", MAX_CODE_LENGTH);
            String userAgent = optionalText(root, "userAgent", "userAgent", MAX_USER_AGENT_LENGTH);
            Integer schemaVersion = schemaVersion(root);

            if (!violations.isEmpty()) {
                return new Invalid(List.copyOf(violations));
            }
            TransactionEvent withoutAmount = new TransactionEvent(transactionId, occurredAt, customer, items, null, currency,
                    status, failureReason, paymentMethod, channel, geo, ip, userAgent, schemaVersion);
            BigDecimal effectiveAmount = amount != null ? amount : withoutAmount.itemsTotal();
            if (amount == null && effectiveAmount.compareTo(MoneyBounds.MAX) > 0) {
                violation("amount", "the items add up to more than " + MoneyBounds.MAX.toPlainString()
                        + ": give the amount, or fewer or cheaper items");
                return new Invalid(List.copyOf(violations));
            }
            return new Valid(new TransactionEvent(transactionId, occurredAt, customer, items, effectiveAmount, currency,
                    status, failureReason, paymentMethod, channel, geo, ip, userAgent, schemaVersion));
        }

        private String id(JsonNode parent, String field) {
            return id(parent, field, field);
        }

        private String id(JsonNode parent, String field, String path) {
            return requiredText(parent, field, path, MAX_ID_LENGTH);
        }

        private Instant instant(JsonNode parent, String field) {
            String text = requiredText(parent, field);
            if (text == null) {
                return null;
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException notAnInstant) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    violation(field, "must be an ISO-8601 instant such as 2026-09-16T14:05:00Z, got '" + Texts.shown(text) + "'");
                    return null;
                }
            }
        }

        private Customer customer(JsonNode node) {
            if (node == null || node.isNull()) {
                violation("customer", "is required");
                return null;
            }
            if (!node.isObject()) {
                violation("customer", "must be an object with an id");
                return null;
            }
            String id = id(node, "id", "customer.id");
            return new Customer(id, optionalText(node, "name", "customer.name", MAX_NAME_LENGTH),
                    optionalText(node, "email", "customer.email", MAX_EMAIL_LENGTH));
        }

        private List<LineItem> items(JsonNode node) {
            if (node == null || node.isNull()) {
                violation("items", "is required");
                return null;
            }
            if (!node.isArray() || node.isEmpty()) {
                violation("items", "must be a non-empty array");
                return null;
            }
            if (node.size() > MAX_ITEMS) {
                violation("items", "must hold at most " + MAX_ITEMS + " items, got " + node.size());
                return null;
            }
            List<LineItem> items = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                items.add(item(node.get(i), "items[" + i + "]"));
            }
            return items.contains(null) ? null : List.copyOf(items);
        }

        private LineItem item(JsonNode node, String path) {
            if (!node.isObject()) {
                violation(path, "must be an object");
                return null;
            }
            String sku = id(node, "sku", path + ".sku");
            String name = optionalText(node, "name", path + ".name", MAX_NAME_LENGTH);
            Integer quantity = quantity(node.get("quantity"), path + ".quantity");
            BigDecimal unitPrice = money(node.get("unitPrice"), path + ".unitPrice", true);
            return new LineItem(sku, name, quantity, unitPrice);
        }

        private Integer quantity(JsonNode node, String path) {
            if (node == null || node.isNull()) {
                violation(path, "is required");
                return null;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                violation(path, "must be a whole number");
                return null;
            }
            if (node.intValue() < 1 || node.intValue() > MAX_QUANTITY) {
                violation(path, "must be between 1 and " + MAX_QUANTITY + ", got " + node.intValue());
                return null;
            }
            return node.intValue();
        }

        private BigDecimal optionalMoney(JsonNode parent, String field) {
            JsonNode node = parent.get(field);
            return node == null || node.isNull() ? null : money(node, field, false);
        }

        private BigDecimal money(JsonNode node, String path, boolean required) {
            if (node == null || node.isNull()) {
                if (required) {
                    violation(path, "is required");
                }
                return null;
            }
            BigDecimal value;
            if (node.isNumber()) {
                value = node.decimalValue();
            } else if (node.isTextual()) {
                // the parser bounds JSON numbers, not strings; BigDecimal's parsing grows faster than the text
                if (node.textValue().length() > MAX_NUMBER_TEXT_LENGTH) {
                    violation(path, "must be a decimal number of at most " + MAX_NUMBER_TEXT_LENGTH + " characters, got "
                            + node.textValue().length());
                    return null;
                }
                try {
                    value = new BigDecimal(node.textValue().trim());
                } catch (NumberFormatException e) {
                    violation(path, "must be a decimal number, got '" + Texts.shown(node.textValue()) + "'");
                    return null;
                }
            } else {
                violation(path, "must be a decimal number");
                return null;
            }
            Optional<String> outOfBounds = MoneyBounds.violation(value);
            if (outOfBounds.isPresent()) {
                violation(path, outOfBounds.get());
                return null;
            }
            return value;
        }

        private String currency(JsonNode root) {
            String code = requiredText(root, "currency", "currency", MAX_CODE_LENGTH);
            if (code == null) {
                return null;
            }
            String upper = code.toUpperCase(Locale.ROOT);
            if (!CurrencyCodes.isIso(upper)) {
                violation("currency", "must be an ISO 4217 currency code such as EUR or INR, got '" + Texts.shown(code) + "'");
                return null;
            }
            return upper;
        }

        private PaymentStatus status(JsonNode root) {
            String text = requiredText(root, "status", "status", MAX_CODE_LENGTH);
            if (text == null) {
                return null;
            }
            try {
                return PaymentStatus.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                violation("status", "must be one of SUCCEEDED, FAILED, PENDING, got '" + Texts.shown(text) + "'");
                return null;
            }
        }

        private Geo geo(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                violation("geo", "must be an object");
                return null;
            }
            Double lat = coordinate(node.get("lat"), "geo.lat", 90);
            Double lon = coordinate(node.get("lon"), "geo.lon", 180);
            if (node.hasNonNull("lat") != node.hasNonNull("lon")) {
                violation("geo", "lat and lon go together: give both or neither");
            }
            return new Geo(optionalText(node, "country", "geo.country", MAX_CODE_LENGTH),
                    optionalText(node, "city", "geo.city", MAX_NAME_LENGTH), lat, lon);
        }

        private Double coordinate(JsonNode node, String path, double bound) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isNumber() || Math.abs(node.doubleValue()) > bound) {
                violation(path, "must be a number between -" + (int) bound + " and " + (int) bound);
                return null;
            }
            return node.doubleValue();
        }

        private Integer schemaVersion(JsonNode root) {
            JsonNode node = root.get("schemaVersion");
            if (node == null || node.isNull()) {
                violation("schemaVersion", "is required (current version: " + TransactionEvent.CURRENT_SCHEMA_VERSION + ")");
                return null;
            }
            if (!node.isIntegralNumber() || node.intValue() != TransactionEvent.CURRENT_SCHEMA_VERSION) {
                violation("schemaVersion", "must be " + TransactionEvent.CURRENT_SCHEMA_VERSION + ", got " + Texts.shown(node.toString()));
                return null;
            }
            return node.intValue();
        }

        private String requiredText(JsonNode parent, String field) {
            return requiredText(parent, field, field, MAX_NAME_LENGTH);
        }

        private String requiredText(JsonNode parent, String field, String path, int maxLength) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                violation(path, "is required");
                return null;
            }
            if (!node.isTextual() && !node.isIntegralNumber()) {
                violation(path, "must be a string");
                return null;
            }
            String text = node.asText().trim();
            if (text.isEmpty()) {
                violation(path, "must not be blank");
                return null;
            }
            return storable(text, path, maxLength);
        }

        private String optionalText(JsonNode parent, String field, String path, int maxLength) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                violation(path, "must be a string");
                return null;
            }
            return storable(node.textValue(), path, maxLength);
        }

        /** Text that fits its bound and that PostgreSQL can store: no NUL character, no lone UTF-16 surrogate. */
        private String storable(String text, String path, int maxLength) {
            if (text.length() > maxLength) {
                violation(path, "must be at most " + maxLength + " characters, got " + text.length());
                return null;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\u0000') {
                    violation(path, "must not contain the NUL character (\\u0000)");
                    return null;
                }
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    violation(path, "must be valid Unicode: a lone surrogate at position " + i);
                    return null;
                }
            }
            return text;
        }

        private void violation(String path, String message) {
            violations.add(new FieldViolation(prefix.isEmpty() ? path : prefix + "." + path, message));
        }
    }
}
