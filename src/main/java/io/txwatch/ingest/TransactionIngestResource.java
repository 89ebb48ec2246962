package io.txwatch.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.txwatch.api.InvalidRequestException;
import io.txwatch.api.Problem;
import io.txwatch.event.FieldViolation;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEventJson;
import io.txwatch.event.TransactionEventJson.Invalid;
import io.txwatch.event.TransactionEventJson.ReadResult;
import io.txwatch.event.TransactionEventJson.Valid;

/** HTTP ingest for shops that do not produce to Kafka themselves. */
@Path("/api/v1/transactions")
@Tag(name = "Ingest")
public class TransactionIngestResource {

    static final int MAX_EVENTS_PER_REQUEST = 1000;

    /** What was accepted. */
    public record Accepted(int accepted, List<String> transactionIds) {
    }

    private final TransactionPublisher publisher;
    private final IngestMetrics metrics;
    private final EventTimeGuard eventTime;

    public TransactionIngestResource(TransactionPublisher publisher, IngestMetrics metrics, EventTimeGuard eventTime) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.eventTime = eventTime;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ingest transactions",
            description = "Takes one transaction event or an array of up to 1000. All are valid, and published to topic "
                    + "'transactions' (202), or none is published and the answer (400) names every bad field, "
                    + "prefixed with the event's index in the array.")
    @RequestBody(description = "A transaction event or an array of them, as described by the JSON Schema at "
            + "/schemas/transaction-event.schema.json")
    @APIResponse(responseCode = "202", description = "All events accepted and published",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid events; none was published",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> ingest(byte[] body) {
        List<TransactionEvent> events = readAll(body);
        return publisher.publish(events)
                .invoke(() -> metrics.acceptedFromHttp(events.size()))
                .map(published -> Response.accepted(new Accepted(events.size(),
                        events.stream().map(TransactionEvent::transactionId).toList())).build());
    }

    private List<TransactionEvent> readAll(byte[] body) {
        JsonNode root;
        try {
            root = TransactionEventJson.readTree(body);
        } catch (IOException e) {
            throw refused(List.of(new FieldViolation("$", "the body is not valid JSON")), 1);
        }
        if (root == null || root.isMissingNode()) {
            throw refused(List.of(new FieldViolation("$", "the body is empty: send an event or an array of events")), 1);
        }
        if (!root.isArray()) {
            return List.of(validOrThrow(eventTime.check(TransactionEventJson.read(root), ""), 1));
        }
        if (root.isEmpty() || root.size() > MAX_EVENTS_PER_REQUEST) {
            throw refused(List.of(new FieldViolation("$", "send between 1 and " + MAX_EVENTS_PER_REQUEST
                    + " events, got " + root.size())), root.size());
        }
        List<TransactionEvent> events = new ArrayList<>(root.size());
        List<FieldViolation> violations = new ArrayList<>();
        int invalidEvents = 0;
        for (int i = 0; i < root.size(); i++) {
            ReadResult result = eventTime.check(TransactionEventJson.read(root.get(i), i), "[" + i + "]");
            if (result instanceof Valid valid) {
                events.add(valid.event());
            } else if (result instanceof Invalid invalid) {
                violations.addAll(invalid.violations());
                invalidEvents++;
            }
        }
        if (!violations.isEmpty()) {
            throw refused(violations, invalidEvents);
        }
        return events;
    }

    private TransactionEvent validOrThrow(ReadResult result, int count) {
        if (result instanceof Invalid invalid) {
            throw refused(invalid.violations(), count);
        }
        return ((Valid) result).event();
    }

    private InvalidRequestException refused(List<FieldViolation> violations, int invalidEvents) {
        metrics.invalidFromHttp(invalidEvents);
        return new InvalidRequestException(violations);
    }
}
