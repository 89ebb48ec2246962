package io.txwatch.event;

/** One thing wrong with an event: the JSON path of the field ({@code items[0].quantity}) and what is wrong. */
public record FieldViolation(String field, String message) {
}
