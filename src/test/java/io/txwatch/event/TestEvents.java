package io.txwatch.event;

import java.util.UUID;

/** JSON events for tests, valid unless a test breaks them on purpose. */
public final class TestEvents {

    private TestEvents() {
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** A valid event: one laptop at its list price of 50,000.00 INR. */
    public static String laptopPurchase(String transactionId, String customerId, String sku, String unitPrice) {
        return """
                {"transactionId":"%s","occurredAt":"2026-09-16T14:05:00Z",
                 "customer":{"id":"%s","name":"Alice Johnson","email":"alice@example.com"},
                 "items":[{"sku":"%s","name":"Laptop","quantity":1,"unitPrice":%s}],
                 "currency":"INR","status":"SUCCEEDED","paymentMethod":"card","channel":"web",
                 "geo":{"country":"IN","city":"Mumbai","lat":19.076,"lon":72.8777},
                 "ip":"203.0.113.7","userAgent":"Mozilla/5.0","schemaVersion":1}
                """.formatted(transactionId, customerId, sku, unitPrice);
    }
}
