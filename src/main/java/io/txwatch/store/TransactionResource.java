package io.txwatch.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.txwatch.api.InvalidRequestException;
import io.txwatch.api.NotFoundProblemException;
import io.txwatch.api.Problem;
import io.txwatch.api.QueryParameters;
import io.txwatch.event.FieldViolation;
import io.txwatch.event.TransactionEvent.PaymentStatus;

/** The stored transactions (raw storage on): failed payments behind a burst, a customer's history. */
@Path("/api/v1/transactions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Transactions")
public class TransactionResource {

    static final int MAX_LIMIT = 500;

    /** One page of transactions, newest first, each as it was accepted. */
    public record TransactionPage(
            @Schema(description = "Events as accepted, in the contract of docs/events.md") List<JsonNode> items,
            @Schema(description = "Pass as 'cursor' for the next page; absent on the last page") String nextCursor) {
    }

    private final TransactionRepository transactions;
    private final StoreConfig config;
    private final ObjectMapper json;

    public TransactionResource(TransactionRepository transactions, StoreConfig config, ObjectMapper json) {
        this.transactions = transactions;
        this.config = config;
        this.json = json;
    }

    @GET
    @Operation(summary = "List stored transactions, newest first",
            description = "status=FAILED lists failed payments. Every filter is optional and they combine with AND. Page "
                    + "with 'cursor' = the previous page's 'nextCursor'. Needs txwatch.store.raw-transactions=true.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TransactionPage.class)))
    @APIResponse(responseCode = "400", description = "A parameter is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Raw transaction storage is off",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<TransactionPage> list(
            @Parameter(description = "SUCCEEDED, FAILED or PENDING") @QueryParam("status") List<String> status,
            @Parameter(description = "Only this customer's transactions") @QueryParam("customerId") String customerId,
            @Parameter(description = "Occurred at or after this ISO-8601 instant") @QueryParam("from") String from,
            @Parameter(description = "Occurred before this ISO-8601 instant") @QueryParam("to") String to,
            @Parameter(description = "The previous page's nextCursor") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1 to 500") @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(MAX_LIMIT) int limit) {
        requireRawStorage();
        TransactionQuery query = query(status, customerId, from, to, cursor, limit);
        return transactions.list(query).map(found -> page(found, limit));
    }

    @GET
    @Path("/{transactionId}")
    @Operation(summary = "One stored transaction, as it was accepted")
    @APIResponse(responseCode = "200", description = "The event, in the contract of docs/events.md")
    @APIResponse(responseCode = "404", description = "No transaction has this id, or raw storage is off",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JsonNode> get(@PathParam("transactionId") String transactionId) {
        requireRawStorage();
        return transactions.find(transactionId)
                .onItem().ifNull().failWith(() -> new NotFoundProblemException("No stored transaction has the id " + transactionId))
                .map(this::eventOf);
    }

    private void requireRawStorage() {
        if (!config.rawTransactions()) {
            throw new NotFoundProblemException("Raw transactions are not stored: txwatch.store.raw-transactions is false");
        }
    }

    private static TransactionQuery query(List<String> statuses, String customerId, String from, String to, String cursor,
            int limit) {
        List<FieldViolation> violations = new ArrayList<>();
        Set<PaymentStatus> statusSet = QueryParameters.enums(statuses, PaymentStatus.class, "status", violations);
        Instant fromInstant = QueryParameters.instant(from, "from", violations);
        Instant toInstant = QueryParameters.instant(to, "to", violations);
        QueryParameters.range(fromInstant, toInstant, violations);
        QueryParameters.Position after = QueryParameters.position(cursor, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new TransactionQuery(statusSet, QueryParameters.blankToNull(customerId), fromInstant, toInstant,
                after == null ? null : after.occurredAt(), after == null ? null : after.key(), limit);
    }

    private TransactionPage page(List<StoredTransaction> found, int limit) {
        boolean more = found.size() > limit;
        List<StoredTransaction> items = more ? found.subList(0, limit) : found;
        StoredTransaction last = items.isEmpty() ? null : items.get(items.size() - 1);
        String nextCursor = more ? QueryParameters.cursor(last.occurredAt, last.transactionId) : null;
        return new TransactionPage(items.stream().map(this::eventOf).toList(), nextCursor);
    }

    private JsonNode eventOf(StoredTransaction stored) {
        try {
            return json.readTree(stored.event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored event of " + stored.transactionId + " is not JSON", e);
        }
    }
}
