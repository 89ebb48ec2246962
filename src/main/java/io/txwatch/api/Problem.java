package io.txwatch.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.txwatch.event.FieldViolation;

/** An RFC 9457 problem body ({@code application/problem+json}), with every bad field named. */
@Schema(description = "RFC 9457 problem details")
public record Problem(
        @Schema(examples = "https://txwatch.io/problems/invalid-request") String type,
        @Schema(examples = "Invalid request") String title,
        @Schema(examples = "400") int status,
        @Schema(examples = "2 fields are invalid") String detail,
        @Schema(description = "The request path") String instance,
        @Schema(description = "Each bad field and what is wrong with it") List<FieldViolation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String INVALID_REQUEST = "https://txwatch.io/problems/invalid-request";
    static final String NOT_FOUND = "https://txwatch.io/problems/not-found";
}
