package io.txwatch.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.txwatch.event.TransactionEventJson.Invalid;
import io.txwatch.event.TransactionEventJson.ReadResult;
import io.txwatch.event.TransactionEventJson.Valid;

class TransactionEventJsonTest {

    private static ReadResult read(String json) {
        return TransactionEventJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidEventIsReadWithExactMoneyAndTheAmountDefaultingToTheItemsTotal() {
        String json = """
                {"transactionId":"t-1","occurredAt":"2026-09-16T14:05:00+02:00","customer":{"id":"c-1"},
                 "items":[{"sku":"A","quantity":3,"unitPrice":19.99},{"sku":"B","quantity":1,"unitPrice":"0.10"}],
                 "currency":"inr","status":"failed","failureReason":"card_declined","paymentMethod":"card",
                 "channel":"web","schemaVersion":1}
                """;

        TransactionEvent event = ((Valid) read(json)).event();

        assertThat(event.amount()).isEqualByComparingTo(new BigDecimal("60.07"));
        assertThat(event.items().get(0).unitPrice()).isEqualTo(new BigDecimal("19.99"));
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-09-16T12:05:00Z"));
        assertThat(event.currency()).isEqualTo("INR");
        assertThat(event.status()).isEqualTo(TransactionEvent.PaymentStatus.FAILED);
        assertThat(event.geo()).isNull();
    }

    @Test
    void anExplicitAmountIsKept() {
        String json = TestEvents.laptopPurchase("t-2", "c-1", "LAPTOP", "50000.00").replace("\"currency\"", "\"amount\":50100.5,\"currency\"");

        assertThat(((Valid) read(json)).event().amount()).isEqualByComparingTo("50100.5");
    }

    @Test
    void everyBrokenRuleIsNamedByItsPath() {
        String json = """
                {"occurredAt":"yesterday","customer":{},"items":[{"sku":"A","quantity":0,"unitPrice":-1}],
                 "currency":"XYZ","status":"LOST","paymentMethod":"card","channel":"web",
                 "geo":{"lat":91},"schemaVersion":2}
                """;

        Invalid invalid = (Invalid) read(json);

        assertThat(invalid.violations()).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                "transactionId", "occurredAt", "customer.id", "items[0].quantity", "items[0].unitPrice",
                "currency", "status", "geo.lat", "geo", "schemaVersion");
        assertThat(invalid.reason()).contains("items[0].quantity: must be at least 1, got 0");
    }

    @Test
    void malformedJsonIsRefusedWithTheParserMessage() {
        Invalid invalid = (Invalid) read("{\"transactionId\": ");

        assertThat(invalid.violations()).singleElement()
                .satisfies(violation -> assertThat(violation.message()).startsWith("not valid JSON"));
    }

    @Test
    void anElementOfAnArrayIsNamedByItsIndex() throws Exception {
        String json = "[" + TestEvents.laptopPurchase("t-3", "c-1", "LAPTOP", "1") + ",{\"transactionId\":\"t-4\"}]";

        Invalid invalid = (Invalid) TransactionEventJson.read(TransactionEventJson.readTree(json.getBytes(StandardCharsets.UTF_8)).get(1), 1);

        assertThat(invalid.violations()).extracting(FieldViolation::field).contains("[1].occurredAt", "[1].customer");
    }

    @Test
    void writingThenReadingGivesTheSameEventWithEveryDecimalDigit() {
        TransactionEvent event = ((Valid) read(TestEvents.laptopPurchase("t-5", "c-9", "LAPTOP", "49999.90"))).event();
        assertThat(event.items().get(0).unitPrice()).hasToString("49999.90");

        TransactionEvent again = ((Valid) TransactionEventJson.read(TransactionEventJson.write(event))).event();

        assertThat(again).isEqualTo(event);
    }
}
