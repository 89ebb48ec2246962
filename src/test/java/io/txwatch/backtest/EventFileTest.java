package io.txwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.txwatch.event.TransactionEventJson;

class EventFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private Path file(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void csvRowsOfOneOrderBecomeOneEventInTheContractInEventTimeOrder() throws IOException {
        Path csv = file("export.csv", """
                order,when,user,items.sku,items.quantity,items.unitPrice,geo.lat,geo.lon,fraud
                B,2026-10-05T09:00:00+02:00,u2,MUG,2,12.90,48.85,2.35,yes
                A,2026-10-05T08:00:00Z,u1,PEN,1,39.00,,,0
                B,2026-10-05T09:00:00+02:00,u2,TEA,1,6.50,48.85,2.35,yes
                """);
        EventFile.Mapping mapping = new EventFile.Mapping(Map.of("transactionId", "order", "occurredAt", "when",
                "customer.id", "user"), Map.of("currency", "EUR", "status", "SUCCEEDED", "paymentMethod", "card",
                        "channel", "web"), Optional.of("fraud"));

        List<EventFile.Event> events = EventFile.read(csv, mapping);

        assertThat(events).extracting(EventFile.Event::transactionId).containsExactly("B", "A");
        assertThat(events).extracting(EventFile.Event::label).containsExactly(Optional.of(true), Optional.of(false));
        assertThat(events.get(0).occurredAt()).contains(Instant.parse("2026-10-05T07:00:00Z"));
        assertThat(events.get(0).customerId()).isEqualTo("u2");
        JsonNode order = JSON.readTree(events.get(0).json());
        assertThat(order.path("items")).hasSize(2);
        assertThat(order.path("items").get(0).path("quantity").isInt()).isTrue();
        assertThat(order.path("geo").path("lat").asDouble()).isEqualTo(48.85);
        assertThat(TransactionEventJson.read(events.get(0).json())).as("valid in the contract")
                .isInstanceOf(TransactionEventJson.Valid.class);
        assertThat(TransactionEventJson.read(events.get(1).json())).isInstanceOf(TransactionEventJson.Valid.class);
        assertThat(JSON.readTree(events.get(1).json()).has("geo")).as("no location given, none made up").isFalse();
    }

    @Test
    void paymentsWithoutItemsGetOneLineOfTheirAmount() throws IOException {
        Path csv = file("payments.csv", """
                transactionId,occurredAt,customer.id,amount,currency,status,paymentMethod,channel
                p1,2026-10-05T08:00:00Z,c1,120.50,USD,FAILED,card,web
                """);

        List<EventFile.Event> events = EventFile.read(csv, new EventFile.Mapping(Map.of(), Map.of(), Optional.empty()));

        JsonNode payment = JSON.readTree(events.get(0).json());
        assertThat(payment.path("items").get(0).path("unitPrice").asText()).isEqualTo("120.50");
        assertThat(payment.path("items").get(0).path("quantity").asInt()).isEqualTo(1);
        assertThat(events.get(0).label()).isEmpty();
    }

    @Test
    void jsonLinesPassAsTheyAreWithTheirLabelAndUnreadableLinesStillGoToTheService() throws IOException {
        Path lines = file("events.jsonl", """
                {"transactionId":"t2","occurredAt":"2026-10-05T09:00:00Z","customer":{"id":"c"},"isFraud":true}
                not json
                {"transactionId":"t1","occurredAt":"2026-10-05T08:00:00Z","customer":{"id":"c"},"isFraud":false}
                """);

        List<EventFile.Event> events = EventFile.read(lines, new EventFile.Mapping(Map.of(), Map.of(), Optional.of("isFraud")));

        assertThat(events).extracting(EventFile.Event::transactionId).containsExactly("t1", "t2", "");
        assertThat(events.get(1).label()).contains(true);
        assertThat(new String(events.get(2).json(), StandardCharsets.UTF_8)).isEqualTo("not json");
    }
}
