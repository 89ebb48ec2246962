package io.txwatch.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import io.txwatch.event.TestEvents;

/**
 * Records that no valid event is made of, in every way we know an input can be hostile, drawn deterministically from
 * a seed. Each is refused by the reader, so each must reach the dead-letter topic. Shared by the test suite (a
 * thousand of them) and the chaos command (ten thousand).
 */
public final class HostileRecords {

    /** One hostile record: what kind it is, and its bytes. */
    public record Hostile(String kind, byte[] value) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("random bytes", (random) -> bytes(random, 1 + random.nextInt(2000))),
            new Kind("truncated JSON", (random) -> {
                byte[] whole = valid(random).getBytes(StandardCharsets.UTF_8);
                return java.util.Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 2));
            }),
            new Kind("deeply nested JSON", (random) -> utf8("{\"transactionId\":" + "[".repeat(2000 + random.nextInt(50_000))
                    + "]".repeat(10) + "}")),
            new Kind("wrong types", (random) -> utf8(valid(random).replace("\"quantity\":1", "\"quantity\":\"one\"")
                    .replace("\"customer\":{", "\"customer\":[{").replace("\"Mumbai\",", "\"Mumbai\"],"))),
            new Kind("a huge number", (random) -> utf8(valid(random).replace("\"unitPrice\":10", "\"unitPrice\":1" + "0".repeat(16 + random.nextInt(40))))),
            new Kind("a huge exponent", (random) -> utf8(valid(random).replace("\"unitPrice\":10",
                    "\"unitPrice\":" + (random.nextBoolean() ? "-" : "") + "1E+" + (1_000_000 + random.nextInt(1_000_000_000))))),
            new Kind("too many decimals", (random) -> utf8(valid(random).replace("\"unitPrice\":10", "\"unitPrice\":10.00001"))),
            new Kind("a long string", (random) -> utf8(valid(random).replace("\"channel\":\"web\"",
                    "\"channel\":\"" + "x".repeat(65 + random.nextInt(900_000)) + "\""))),
            new Kind("invalid UTF-8", (random) -> {
                byte[] whole = valid(random).getBytes(StandardCharsets.UTF_8);
                byte[] broken = java.util.Arrays.copyOf(whole, whole.length);
                int at = new String(whole, StandardCharsets.UTF_8).indexOf("Mumbai");
                broken[at] = (byte) 0xC3;
                broken[at + 1] = (byte) 0x28;
                return broken;
            }),
            new Kind("a duplicate key", (random) -> utf8(valid(random).replace("\"status\":\"SUCCEEDED\"",
                    "\"status\":\"SUCCEEDED\",\"status\":\"FAILED\""))),
            new Kind("a NUL character", (random) -> utf8(valid(random).replace("Alice Johnson", "Alice\\u0000Johnson"))),
            new Kind("a lone surrogate", (random) -> utf8(valid(random).replace("Alice Johnson", "Alice\\ud83dJohnson"))),
            new Kind("an empty record", (random) -> new byte[0]),
            new Kind("dated far ahead", (random) -> utf8(valid(random).replace("2026-09-16T14:05:00Z",
                    (2100 + random.nextInt(7000)) + "-01-01T00:00:00Z"))),
            new Kind("not an object", (random) -> utf8(random.nextBoolean() ? "[]" : "\"" + random.nextLong() + "\"")),
            new Kind("quantity out of range", (random) -> utf8(valid(random).replace("\"quantity\":1",
                    "\"quantity\":" + (random.nextBoolean() ? 0 : 1_000_001 + random.nextInt(Integer.MAX_VALUE - 1_000_001))))));

    private record Kind(String name, Function<Random, byte[]> make) {
    }

    private HostileRecords() {
    }

    public static List<Hostile> generate(long seed, int count) {
        Random random = new Random(seed);
        List<Hostile> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Kind kind = KINDS.get(i % KINDS.size());
            records.add(new Hostile(kind.name(), kind.make().apply(random)));
        }
        return records;
    }

    private static String valid(Random random) {
        return TestEvents.laptopPurchase("hostile-" + Long.toHexString(random.nextLong()), "c-" + random.nextInt(100), "SKU", "10");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
