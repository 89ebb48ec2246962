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
        assertThat(invalid.reason()).contains("items[0].quantity: must be between 1 and 1000000, got 0");
    }

    @Test
    void moneyIsBoundedByWhatTheDatabaseColumnHolds() {
        assertThat(unitPriceViolation("999999999999999.9999")).isNull();
        assertThat(unitPriceViolation("1e16")).isEqualTo("must be less than 10^15, got 1E+16");
        assertThat(unitPriceViolation("\"1000000000000000\"")).isEqualTo("must be less than 10^15, got 1000000000000000");
        assertThat(unitPriceViolation("0.00001")).isEqualTo("must have at most 4 decimal places, got 0.00001");
        assertThat(unitPriceViolation("12.340000")).as("trailing zeros are no precision").isNull();
    }

    @Test
    void aHugeExponentIsRefusedAtOnceAndQuotedShort() {
        String negative = unitPriceViolation("-1E+1000000000");
        String positive = unitPriceViolation("\"1E+1000000000\"");

        assertThat(negative).isEqualTo("must be 0 or more, got -1E+1000000000");
        assertThat(positive).isEqualTo("must be less than 10^15, got 1E+1000000000");
    }

    @Test
    void itemsAddingUpBeyondTheBoundNeedAnExplicitAmount() {
        String json = TestEvents.laptopPurchase("t-6", "c-1", "LAPTOP", "999999999999999").replace("\"quantity\":1", "\"quantity\":2");

        Invalid invalid = (Invalid) read(json);

        assertThat(invalid.violations()).extracting(FieldViolation::field).containsExactly("amount");
    }

    @Test
    void freeTextIsBoundedAndStorable() {
        String longChannel = TestEvents.laptopPurchase("t-7", "c-1", "LAPTOP", "1").replace("\"channel\":\"web\"",
                "\"channel\":\"" + "w".repeat(65) + "\"");
        String nul = TestEvents.laptopPurchase("t-8", "c-1", "LAPTOP", "1").replace("\"channel\":\"web\"", "\"channel\":\"we\\u0000b\"");
        String loneSurrogate = TestEvents.laptopPurchase("t-9", "c-1", "LAPTOP", "1").replace("\"channel\":\"web\"",
                "\"channel\":\"we\\ud800b\"");

        assertThat(((Invalid) read(longChannel)).reason()).isEqualTo("channel: must be at most 64 characters, got 65");
        assertThat(((Invalid) read(nul)).reason()).startsWith("channel: must not contain the NUL character");
        assertThat(((Invalid) read(loneSurrogate)).reason()).startsWith("channel: must be valid Unicode");
    }

    @Test
    void aKeyGivenTwiceAndDeepNestingAreRefused() {
        String twice = TestEvents.laptopPurchase("t-10", "c-1", "LAPTOP", "1").replace("\"channel\":\"web\"",
                "\"channel\":\"web\",\"channel\":\"pos\"");
        String deep = "{\"transactionId\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThat(((Invalid) read(twice)).reason()).startsWith("$: not valid JSON: Duplicate field 'channel'");
        assertThat(((Invalid) read(deep)).reason()).startsWith("$: not valid JSON").contains("nesting depth");
    }

    private static String unitPriceViolation(String unitPrice) {
        String json = TestEvents.laptopPurchase("t-0", "c-1", "LAPTOP", "1").replace("\"unitPrice\":1", "\"unitPrice\":" + unitPrice);
        ReadResult result = read(json);
        if (result instanceof Valid) {
            return null;
        }
        Invalid invalid = (Invalid) result;
        assertThat(invalid.violations()).extracting(FieldViolation::field).containsExactly("items[0].unitPrice");
        return invalid.violations().get(0).message();
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
