package io.txwatch.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.txwatch.event.TransactionEvent.Customer;
import io.txwatch.event.TransactionEvent.Geo;
import io.txwatch.event.TransactionEvent.LineItem;
import io.txwatch.event.TransactionEvent.PaymentStatus;

/** Valid events for detector tests: a succeeded web card payment in Mumbai unless told otherwise. */
public final class EventBuilder {

    private String transactionId = "tx-" + UUID.randomUUID();
    private Instant at = Instant.parse("2026-09-16T09:05:00Z");
    private String customerId = "c-" + UUID.randomUUID();
    private String customerName = "Alice Johnson";
    private final List<LineItem> items = new ArrayList<>();
    private BigDecimal amount;
    private String currency = "INR";
    private PaymentStatus status = PaymentStatus.SUCCEEDED;
    private String failureReason;
    private String channel = "web";
    private Geo geo = new Geo("IN", "Mumbai", 19.076, 72.8777);

    public static EventBuilder event() {
        return new EventBuilder();
    }

    public EventBuilder id(String id) {
        this.transactionId = id;
        return this;
    }

    public EventBuilder at(Instant instant) {
        this.at = instant;
        return this;
    }

    public EventBuilder at(String instant) {
        return at(Instant.parse(instant));
    }

    public EventBuilder customer(String id) {
        this.customerId = id;
        return this;
    }

    public EventBuilder anonymous() {
        this.customerName = null;
        return this;
    }

    public EventBuilder item(String sku, int quantity, String unitPrice) {
        items.add(new LineItem(sku, null, quantity, new BigDecimal(unitPrice)));
        return this;
    }

    public EventBuilder item(String sku, String name, int quantity, String unitPrice) {
        items.add(new LineItem(sku, name, quantity, new BigDecimal(unitPrice)));
        return this;
    }

    public EventBuilder amount(String amount) {
        this.amount = new BigDecimal(amount);
        return this;
    }

    public EventBuilder currency(String currency) {
        this.currency = currency;
        return this;
    }

    public EventBuilder failed(String reason) {
        this.status = PaymentStatus.FAILED;
        this.failureReason = reason;
        return this;
    }

    public EventBuilder channel(String channel) {
        this.channel = channel;
        return this;
    }

    public EventBuilder geo(String country, String city, Double lat, Double lon) {
        this.geo = new Geo(country, city, lat, lon);
        return this;
    }

    public EventBuilder noGeo() {
        this.geo = null;
        return this;
    }

    public TransactionEvent build() {
        List<LineItem> lines = items.isEmpty() ? List.of(new LineItem("SKU-1", "Mug", 1, new BigDecimal("500.00"))) : List.copyOf(items);
        TransactionEvent draft = new TransactionEvent(transactionId, at, new Customer(customerId, customerName, null), lines,
                BigDecimal.ZERO, currency, status, failureReason, "card", channel, geo, null, null,
                TransactionEvent.CURRENT_SCHEMA_VERSION);
        BigDecimal total = amount != null ? amount : draft.itemsTotal();
        return new TransactionEvent(transactionId, at, draft.customer(), lines, total, currency, status, failureReason,
                "card", channel, geo, null, null, TransactionEvent.CURRENT_SCHEMA_VERSION);
    }
}
