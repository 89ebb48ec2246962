package io.txwatch.api;

import java.util.List;

import io.txwatch.event.FieldViolation;

/** A request the API refuses with 400, naming each bad field. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldViolation> violations;

    public InvalidRequestException(List<FieldViolation> violations) {
        super(violations.size() == 1 ? "1 field is invalid" : violations.size() + " fields are invalid");
        this.violations = List.copyOf(violations);
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new FieldViolation(field, message)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
