package io.txwatch.api;

import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JacksonException;

import io.txwatch.event.FieldViolation;

/** Every refused API request is answered with an RFC 9457 problem body. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e, UriInfo uri) {
        return badRequest(e.getMessage(), e.violations(), uri);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldViolation> violations = e.getConstraintViolations().stream()
                .map(violation -> new FieldViolation(fieldName(violation), violation.getMessage()))
                .toList();
        return badRequest(violations.size() == 1 ? "1 field is invalid" : violations.size() + " fields are invalid",
                violations, uri);
    }

    @ServerExceptionMapper
    public Response unreadableBody(JacksonException e, UriInfo uri) {
        return badRequest("The body is not valid JSON", List.of(new FieldViolation("$", e.getOriginalMessage())), uri);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundProblemException e, UriInfo uri) {
        return problem(new Problem(Problem.NOT_FOUND, "Not found", 404, e.getMessage(), uri.getPath(), List.of()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return problem(new Problem("about:blank", title, status, e.getMessage(), uri.getPath(), List.of()));
    }

    private static Response badRequest(String detail, List<FieldViolation> violations, UriInfo uri) {
        return problem(new Problem(Problem.INVALID_REQUEST, "Invalid request", 400, detail, uri.getPath(), violations));
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The parameter's own name, without the method name that Bean Validation puts first. */
    private static String fieldName(ConstraintViolation<?> violation) {
        String name = null;
        for (Path.Node node : violation.getPropertyPath()) {
            name = node.getName();
        }
        return name == null ? "$" : name;
    }
}
