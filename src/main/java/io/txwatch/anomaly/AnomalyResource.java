package io.txwatch.anomaly;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyFilter.Cursor;
import io.txwatch.api.InvalidRequestException;
import io.txwatch.api.NotFoundProblemException;
import io.txwatch.api.Problem;
import io.txwatch.api.QueryParameters;
import io.txwatch.event.FieldViolation;

/** The anomalies txwatch found, for API clients and the live page. */
@Path("/api/v1/anomalies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Anomalies")
public class AnomalyResource {

    static final int MAX_LIMIT = 500;
    private static final Pattern TYPOLOGY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final AnomalyRepository anomalies;

    public AnomalyResource(AnomalyRepository anomalies) {
        this.anomalies = anomalies;
    }

    @GET
    @Operation(summary = "List anomalies, newest first",
            description = "Every filter is optional and they combine with AND; repeat 'type' or 'severity' to accept several "
                    + "values. Page with 'cursor' = the previous page's 'nextCursor'.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AnomalyPage.class)))
    @APIResponse(responseCode = "400", description = "A parameter is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AnomalyPage> list(
            @Parameter(description = "Anomaly type, e.g. PRICE_VS_CATALOG") @QueryParam("type") List<String> type,
            @Parameter(description = "LOW, MODERATE, HIGH or CRITICAL") @QueryParam("severity") List<String> severity,
            @Parameter(description = "Only anomalies about this customer") @QueryParam("customerId") String customerId,
            @Parameter(description = "Only anomalies about this product") @QueryParam("sku") String sku,
            @Parameter(description = "Only anomalies whose riskScore is at least this, 0 to 1") @QueryParam("minScore") String minScore,
            @Parameter(description = "Only anomalies raised by this typology, e.g. card-testing") @QueryParam("typology") String typology,
            @Parameter(description = "Occurred at or after this ISO-8601 instant") @QueryParam("from") String from,
            @Parameter(description = "Occurred before this ISO-8601 instant") @QueryParam("to") String to,
            @Parameter(description = "The previous page's nextCursor") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1 to 500") @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(MAX_LIMIT) int limit) {
        AnomalyFilter filter = filter(type, severity, customerId, sku, minScore, typology, from, to, cursor, limit);
        return anomalies.list(filter).map(found -> page(found, limit));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One anomaly")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AnomalyView.class)))
    @APIResponse(responseCode = "404", description = "No anomaly has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AnomalyView> get(@PathParam("id") String id) {
        UUID uuid = parseUuid(id);
        return anomalies.findById(uuid)
                .onItem().ifNull().failWith(() -> new NotFoundProblemException("No anomaly has the id " + id))
                .map(AnomalyView::of);
    }

    private static AnomalyFilter filter(List<String> types, List<String> severities, String customerId, String sku,
            String minScore, String typology, String from, String to, String cursor, int limit) {
        List<FieldViolation> violations = new ArrayList<>();
        Set<AnomalyType> typeSet = QueryParameters.enums(types, AnomalyType.class, "type", violations);
        Set<Severity> severitySet = QueryParameters.enums(severities, Severity.class, "severity", violations);
        Instant fromInstant = QueryParameters.instant(from, "from", violations);
        Instant toInstant = QueryParameters.instant(to, "to", violations);
        QueryParameters.range(fromInstant, toInstant, violations);
        Cursor after = parseCursor(cursor, violations);
        Double minRisk = parseMinScore(minScore, violations);
        String typologyName = QueryParameters.blankToNull(typology);
        if (typologyName != null && !TYPOLOGY_NAME.matcher(typologyName).matches()) {
            violations.add(new FieldViolation("typology", "must be a typology's name: lower-case letters, digits and hyphens, "
                    + "at most 64"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new AnomalyFilter(typeSet, severitySet, QueryParameters.blankToNull(customerId),
                QueryParameters.blankToNull(sku), minRisk, typologyName, fromInstant, toInstant, after, limit);
    }

    private static Double parseMinScore(String value, List<FieldViolation> violations) {
        String text = QueryParameters.blankToNull(value);
        if (text == null) {
            return null;
        }
        try {
            double score = Double.parseDouble(text);
            if (score >= 0 && score <= 1) {
                return score;
            }
        } catch (NumberFormatException e) {
            // reported below like a number out of range
        }
        violations.add(new FieldViolation("minScore", "must be a number from 0 to 1"));
        return null;
    }

    private static AnomalyPage page(List<Anomaly> found, int limit) {
        boolean more = found.size() > limit;
        List<Anomaly> items = more ? found.subList(0, limit) : found;
        Anomaly last = items.isEmpty() ? null : items.get(items.size() - 1);
        String nextCursor = more ? encodeCursor(new Cursor(last.occurredAt, last.id)) : null;
        return new AnomalyPage(items.stream().map(AnomalyView::of).toList(), nextCursor);
    }

    static String encodeCursor(Cursor cursor) {
        return QueryParameters.cursor(cursor.occurredAt(), cursor.id().toString());
    }

    private static Cursor parseCursor(String value, List<FieldViolation> violations) {
        QueryParameters.Position position = QueryParameters.position(value, violations);
        if (position == null) {
            return null;
        }
        try {
            return new Cursor(position.occurredAt(), UUID.fromString(position.key()));
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation("cursor", "is not a cursor this API issued; pass a previous page's nextCursor"));
            return null;
        }
    }

    private static UUID parseUuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "must be a UUID, got '" + id + "'");
        }
    }
}
