package io.txwatch.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.txwatch.event.FieldViolation;
import io.txwatch.event.Texts;

/**
 * Refuses, before any resource sees it, a request no resource can answer sensibly: a Content-Type or Accept header
 * that is no media type (415 and 400), or a path or query parameter holding the NUL character, which PostgreSQL
 * cannot take in a query (400). Without this, each would surface as a 500 from deep inside the stack.
 */
public class RequestGuard {

    @ServerRequestFilter(preMatching = true)
    public Response unparseableMediaTypes(ContainerRequestContext request) {
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !isMediaType(contentType)) {
            return problem(415, "Unsupported media type", "The Content-Type header is not a media type",
                    request, List.of(new FieldViolation("Content-Type", "not a media type: '" + Texts.shown(contentType) + "'")));
        }
        for (String accept : request.getHeaders().getOrDefault(HttpHeaders.ACCEPT, List.of())) {
            for (String range : accept.split(",")) {
                if (!range.isBlank() && !isMediaType(range.trim())) {
                    return problem(400, "Invalid request", "The Accept header is not a list of media types", request,
                            List.of(new FieldViolation("Accept", "not a media type: '" + Texts.shown(range.trim()) + "'")));
                }
            }
        }
        return null;
    }

    @ServerRequestFilter
    public Response parametersWithNul(ContainerRequestContext request) {
        List<FieldViolation> violations = new ArrayList<>();
        addNulViolations(request.getUriInfo().getPathParameters(), violations);
        addNulViolations(request.getUriInfo().getQueryParameters(), violations);
        return violations.isEmpty() ? null
                : problem(400, "Invalid request", violations.size() == 1 ? "1 parameter is invalid"
                        : violations.size() + " parameters are invalid", request, violations);
    }

    private static void addNulViolations(MultivaluedMap<String, String> parameters, List<FieldViolation> violations) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            boolean nul = parameter.getKey().indexOf('\u0000') >= 0
                    || parameter.getValue().stream().anyMatch(value -> value.indexOf('\u0000') >= 0);
            if (nul) {
                violations.add(new FieldViolation(Texts.shown(parameter.getKey().replace('\u0000', '?')),
                        "must not contain the NUL character (%00)"));
            }
        }
    }

    private static boolean isMediaType(String value) {
        try {
            MediaType.valueOf(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Response problem(int status, String title, String detail, ContainerRequestContext request,
            List<FieldViolation> violations) {
        String type = status == 400 ? Problem.INVALID_REQUEST : "about:blank";
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, request.getUriInfo().getPath(), violations)).build();
    }
}
