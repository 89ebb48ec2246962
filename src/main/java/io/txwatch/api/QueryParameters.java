package io.txwatch.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.txwatch.event.FieldViolation;

/** Reads list endpoints' query parameters the same way everywhere, collecting what is wrong instead of failing fast. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** Values may repeat the parameter or be comma-separated; case does not matter. */
    public static <E extends Enum<E>> Set<E> enums(List<String> values, Class<E> type, String field,
            List<FieldViolation> violations) {
        Set<E> parsed = EnumSet.noneOf(type);
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    parsed.add(Enum.valueOf(type, part.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    violations.add(new FieldViolation(field, "unknown value '" + part.trim() + "'; one of "
                            + EnumSet.allOf(type)));
                }
            }
        }
        return parsed;
    }

    public static Instant instant(String value, String field, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(field, "must be an ISO-8601 instant such as 2026-09-16T14:05:00Z, got '" + value + "'"));
            return null;
        }
    }

    /** 'to' must come after 'from' when both are given. */
    public static void range(Instant from, Instant to, List<FieldViolation> violations) {
        if (from != null && to != null && !from.isBefore(to)) {
            violations.add(new FieldViolation("to", "must be after 'from'"));
        }
    }

    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A position in a newest-first list: the instant and tie-breaking key of the last item served. */
    public record Position(Instant occurredAt, String key) {
    }

    /** A keyset cursor (an instant and a tie-breaking key) as an opaque URL-safe token. */
    public static String cursor(Instant occurredAt, String key) {
        String text = occurredAt.getEpochSecond() + "." + occurredAt.getNano() + "." + key;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor issued by {@link #cursor} stands for, or null (with a violation) when it is not one. */
    public static Position position(String value, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(value.trim()), StandardCharsets.UTF_8).split("\\.", 3);
            return new Position(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), parts[2]);
        } catch (RuntimeException e) {
            violations.add(new FieldViolation("cursor", "is not a cursor this API issued; pass a previous page's nextCursor"));
            return null;
        }
    }
}
