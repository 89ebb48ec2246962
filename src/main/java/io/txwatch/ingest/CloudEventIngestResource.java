package io.txwatch.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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

/**
 * Serverless ingest: one transaction as a CloudEvent over HTTP (CloudEvents 1.0, binary or structured JSON mode), as
 * a Knative Eventing KafkaSource delivers the {@code transactions} topic to a service that may be scaled to zero and
 * so cannot hold a Kafka consumer of its own. The event takes the consumer's path (scored, stored) and is answered
 * 200 only once stored, so the source retries whatever failed; delivered again, it is stored once. An invalid one is
 * answered 400, naming what is wrong, and not retried (a source with a dead-letter sink sends it there).
 */
@Path("/api/v1/cloudevents")
@Tag(name = "Ingest")
public class CloudEventIngestResource {

    static final String STRUCTURED = "application/cloudevents+json";
    /** What a Knative KafkaSource names the record by: {@code partition:<n>#<offset>}. */
    private static final Pattern KAFKA_SUBJECT = Pattern.compile("^partition:(\\d{1,9})#\\d+$");
    /**
     * The stream of events that name no Kafka partition: a watermark of its own, so that they never move a real
     * partition's on (which would make the consumer's events of that partition late).
     */
    static final int NO_KAFKA_PARTITION = -1;

    /** The transaction stored. */
    public record Stored(String transactionId) {
    }

    private final IngestPipeline pipeline;
    private final PartitionWatermarks watermarks;
    private final EventTimeGuard eventTime;
    private final IngestMetrics metrics;

    public CloudEventIngestResource(IngestPipeline pipeline, PartitionWatermarks watermarks, EventTimeGuard eventTime,
            IngestMetrics metrics) {
        this.pipeline = pipeline;
        this.watermarks = watermarks;
        this.eventTime = eventTime;
        this.metrics = metrics;
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, STRUCTURED })
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ingest a transaction as a CloudEvent",
            description = "CloudEvents 1.0 over HTTP: binary mode (ce-specversion, ce-id, ce-source and ce-type headers, "
                    + "the transaction event as the JSON body) or structured mode (application/cloudevents+json, the "
                    + "transaction in data). Answered 200 once scored and stored; the same event delivered again is "
                    + "stored once. For a Knative KafkaSource, a subject partition:<n>#<offset> names the partition "
                    + "whose event time the event is judged late against; events without one share a watermark of "
                    + "their own.")
    @APIResponse(responseCode = "200", description = "Scored and stored",
            content = @Content(schema = @Schema(implementation = Stored.class)))
    @APIResponse(responseCode = "400", description = "Not a CloudEvent, or not a valid transaction event",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> receive(@Context HttpHeaders headers, byte[] body) {
        Received received;
        try {
            received = isStructured(headers) ? structured(body) : binary(headers, body);
        } catch (InvalidRequestException notACloudEvent) {
            metrics.invalidFromHttp(1);
            throw notACloudEvent;
        }
        ReadResult result = eventTime.check(TransactionEventJson.read(received.data()), "");
        if (result instanceof Invalid invalid) {
            metrics.invalidFromHttp(1);
            throw new InvalidRequestException(invalid.violations());
        }
        TransactionEvent event = ((Valid) result).event();
        int partition = received.partition();
        // read afresh each time: other replicas serve the same partitions at once and move its watermark on
        watermarks.forget(List.of(partition));
        // the sales buckets close as every partition's event time passes them: a stream that names no partition, and
        // so is never confirmed caught up, must not hold them back
        Map<Integer, Instant> movesBuckets = partition == NO_KAFKA_PARTITION ? Map.of() : Map.of(partition, event.occurredAt());
        return watermarks.knowPartitions(List.of(partition))
                .chain(() -> pipeline.process(List.of(event),
                        watermarks.isLate(partition, event.occurredAt()) ? Set.of(event.transactionId()) : Set.of(),
                        movesBuckets, Map.of()))
                .chain(() -> watermarks.advance(Map.of(partition, event.occurredAt())))
                .map(stored -> Response.ok(new Stored(event.transactionId())).build());
    }

    /** A CloudEvent's transaction, and the Kafka partition it came from ({@link #NO_KAFKA_PARTITION} when it does not say). */
    private record Received(byte[] data, int partition) {
    }

    private static boolean isStructured(HttpHeaders headers) {
        MediaType type = headers.getMediaType();
        return type != null && STRUCTURED.equals(type.getType() + "/" + type.getSubtype());
    }

    private static Received binary(HttpHeaders headers, byte[] body) {
        List<FieldViolation> violations = new ArrayList<>();
        String specVersion = headers.getHeaderString("ce-specversion");
        if (!"1.0".equals(specVersion)) {
            violations.add(new FieldViolation("ce-specversion", "must be 1.0 (a CloudEvent in binary mode), got "
                    + (specVersion == null ? "none" : specVersion)));
        }
        for (String attribute : List.of("ce-id", "ce-source", "ce-type")) {
            String value = headers.getHeaderString(attribute);
            if (value == null || value.isBlank()) {
                violations.add(new FieldViolation(attribute, "required"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new Received(body, partitionOf(headers.getHeaderString("ce-subject")));
    }

    private static Received structured(byte[] body) {
        JsonNode cloudEvent;
        try {
            cloudEvent = TransactionEventJson.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequestException("$", "not valid JSON");
        }
        if (cloudEvent == null || !cloudEvent.isObject()) {
            throw new InvalidRequestException("$", "a structured CloudEvent is a JSON object");
        }
        List<FieldViolation> violations = new ArrayList<>();
        if (!"1.0".equals(cloudEvent.path("specversion").asText(null))) {
            violations.add(new FieldViolation("specversion", "must be 1.0"));
        }
        for (String attribute : List.of("id", "source", "type")) {
            if (cloudEvent.path(attribute).asText("").isBlank()) {
                violations.add(new FieldViolation(attribute, "required"));
            }
        }
        byte[] data = null;
        if (cloudEvent.path("data").isObject()) {
            data = cloudEvent.get("data").toString().getBytes(StandardCharsets.UTF_8);
        } else if (cloudEvent.path("data_base64").isTextual()) {
            try {
                data = Base64.getDecoder().decode(cloudEvent.get("data_base64").asText());
            } catch (IllegalArgumentException e) {
                violations.add(new FieldViolation("data_base64", "not base64"));
            }
        } else {
            violations.add(new FieldViolation("data", "the transaction event, as a JSON object (or data_base64)"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new Received(data, partitionOf(cloudEvent.path("subject").asText(null)));
    }

    private static int partitionOf(String subject) {
        if (subject == null) {
            return NO_KAFKA_PARTITION;
        }
        Matcher kafka = KAFKA_SUBJECT.matcher(subject);
        return kafka.matches() ? Integer.parseInt(kafka.group(1)) : NO_KAFKA_PARTITION;
    }
}
