package io.txwatch.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One payment attempt as a shop reports it: the contract of topic {@code transactions} and of
 * {@code POST /api/v1/transactions}, documented in {@code docs/events.md} and by the JSON Schema the service
 * serves at {@code /schemas/transaction-event.schema.json}. Money is exact: {@link BigDecimal} in the
 * currency's major unit.
 */
public record TransactionEvent(
        String transactionId,
        Instant occurredAt,
        Customer customer,
        List<LineItem> items,
        BigDecimal amount,
        String currency,
        PaymentStatus status,
        String failureReason,
        String paymentMethod,
        String channel,
        Geo geo,
        String ip,
        String userAgent,
        Integer schemaVersion) {

    public static final int CURRENT_SCHEMA_VERSION = 1;

    public record Customer(String id, String name, String email) {
    }

    public record LineItem(String sku, String name, Integer quantity, BigDecimal unitPrice) {

        public BigDecimal total() {
            return unitPrice.multiply(BigDecimal.valueOf(quantity));
        }
    }

    public record Geo(String country, String city, Double lat, Double lon) {

        public boolean hasCoordinates() {
            return lat != null && lon != null;
        }
    }

    public enum PaymentStatus {
        SUCCEEDED,
        FAILED,
        PENDING
    }

    /** The sum of the line items, which is the amount when the shop leaves it out. */
    public BigDecimal itemsTotal() {
        return items.stream().map(LineItem::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** "Alice Johnson (customer 1)", or "customer 1" when the shop sent no name: how explanations name a customer. */
    public String customerReference() {
        return customer.name() != null && !customer.name().isBlank()
                ? customer.name() + " (customer " + customer.id() + ")"
                : "customer " + customer.id();
    }
}
