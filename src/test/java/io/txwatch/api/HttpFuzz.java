package io.txwatch.api;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.txwatch.event.TestEvents;
import io.txwatch.ingest.HostileRecords;

/**
 * Requests to every endpoint with random methods, paths, parameters, headers, content types and bodies, drawn from a
 * seed so that a failing request can be made again. Bounded: each body is at most a few hundred kilobytes and the
 * caller says how many requests. Shared by the test suite and the chaos command.
 */
public final class HttpFuzz {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final List<String> PATHS = List.of("/api/v1/transactions", "/api/v1/transactions/%s", "/api/v1/anomalies",
            "/api/v1/anomalies/%s", "/api/v1/catalog/products", "/api/v1/catalog/products/%s",
            "/api/v1/catalog/products/import", "/schemas/transaction-event.schema.json", "/", "/%s", "/api/v1/%s");
    private static final List<String> PARAMETERS = List.of("type", "severity", "customerId", "sku", "from", "to", "limit",
            "cursor", "status", "after", "id");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=UTF-8",
            "text/csv", "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/problem+json", "*/*", "garbage", "application/json; charset=ISO-8859-1", "text/csv; charset=UTF-16");

    private final Random random;
    private final URI base;

    public HttpFuzz(long seed, URI base) {
        this.random = new Random(seed);
        this.base = base;
    }

    /** The next request, and a one-line description of it for a failure message. */
    public record Fuzzed(HttpRequest request, String description) {
    }

    public List<Fuzzed> next(int count) {
        List<Fuzzed> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(next());
        }
        return requests;
    }

    private Fuzzed next() {
        String method = random.nextInt(3) == 0 ? pick(METHODS) : (random.nextBoolean() ? "GET" : "POST");
        String path = pick(PATHS);
        if (path.contains("%s")) {
            path = path.formatted(URLEncoder.encode(text(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        StringBuilder query = new StringBuilder();
        int parameters = random.nextInt(5);
        for (int i = 0; i < parameters; i++) {
            query.append(i == 0 ? "?" : "&").append(random.nextInt(10) == 0 ? URLEncoder.encode(text(), StandardCharsets.UTF_8) : pick(PARAMETERS))
                    .append('=').append(URLEncoder.encode(value(), StandardCharsets.UTF_8));
        }
        byte[] body = body();
        String contentType = pick(CONTENT_TYPES);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path + query)).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 && random.nextBoolean() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType);
        if (random.nextBoolean()) {
            request.header("Accept", pick(List.of("application/json", "text/plain", "text/csv", "*/*", "application/xml", "x/y")));
        }
        if (random.nextInt(4) == 0) {
            request.header("X-Fuzz", text().replaceAll("[^\\x21-\\x7e]", "x"));
        }
        return new Fuzzed(request.build(), method + " " + path + query + " (" + contentType + ", " + body.length + " bytes)");
    }

    private byte[] body() {
        return switch (random.nextInt(9)) {
            case 0 -> new byte[0];
            case 1, 2 -> HostileRecords.generate(random.nextLong(), 1).get(0).value();
            case 3 -> events(1 + random.nextInt(random.nextInt(10) == 0 ? 1200 : 5));
            case 4 -> ("sku,name,category,listPrice,currency\n" + text() + "," + text() + ",x," + value() + "," + text())
                    .getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"name\":\"" + text() + "\",\"category\":" + value() + ",\"listPrice\":" + value() + ",\"currency\":\""
                    + text() + "\"}").getBytes(StandardCharsets.UTF_8);
            case 6 -> ("[" + "{\"sku\":\"fuzz-" + random.nextInt(1000) + "\",\"name\":\"n\",\"category\":\"c\",\"listPrice\":"
                    + value() + ",\"currency\":\"EUR\"}]").getBytes(StandardCharsets.UTF_8);
            case 7 -> text().getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] bytes = new byte[random.nextInt(4096)];
                random.nextBytes(bytes);
                yield bytes;
            }
        };
    }

    private byte[] events(int count) {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            String event = TestEvents.laptopPurchase("fuzz-" + random.nextLong(), "fuzz-" + random.nextInt(50), "SKU", "10");
            if (random.nextInt(3) == 0) {
                event = event.replace("\"unitPrice\":10", "\"unitPrice\":" + value());
            }
            array.append(i == 0 ? "" : ",").append(event);
        }
        return array.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private String value() {
        return switch (random.nextInt(12)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> Long.toString(random.nextLong());
            case 2 -> "1E+" + random.nextInt(Integer.MAX_VALUE);
            case 3 -> "-1";
            case 4 -> "2026-09-16T14:05:00Z";
            case 5 -> "9999-99-99T99:99:99Z";
            case 6 -> "PRICE_VS_CATALOG,CRITICAL,,";
            case 7 -> "0";
            case 8 -> "\"" + text() + "\"";
            case 9 -> "null";
            case 10 -> "1" + "0".repeat(random.nextInt(400));
            default -> text();
        };
    }

    private String text() {
        int length = random.nextInt(20) == 0 ? 5000 + random.nextInt(20_000) : random.nextInt(40);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(switch (random.nextInt(6)) {
                case 0 -> (char) (0x20 + random.nextInt(0x5f));
                case 1 -> "%/\\?#&=;:'\"<>{}[]|`~!$^*(),.+".charAt(random.nextInt(29));
                case 2 -> (char) random.nextInt(0x20);
                case 3 -> (char) (0x80 + random.nextInt(0xD000));
                default -> (char) ('a' + random.nextInt(26));
            });
        }
        return text.toString();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
