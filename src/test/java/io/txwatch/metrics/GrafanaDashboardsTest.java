package io.txwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.event.TestEvents;
import io.txwatch.ingest.PipelineProbe;
import io.txwatch.tools.ExternalTool;

/**
 * The dashboards of {@code grafana/dashboards} and the alert rules, against a real Prometheus (the Debian
 * {@code prometheus} binary, on 127.0.0.1) scraping this service every second while a short stream runs: every panel's
 * query returns data, every alert expression evaluates, and every SQL panel returns rows from the real PostgreSQL,
 * read as the read-only role Grafana's data source uses.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaDashboardsTest {

    private static final Path DASHBOARDS = Path.of("grafana", "dashboards");
    private static final Path RULES = Path.of("grafana", "alerts", "txwatch.rules.yaml");
    private static final Duration PROCESSED_WITHIN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the dashboards' variables stand for when "All" is chosen, and Grafana's rate interval at a 1 s scrape. */
    private static final Map<String, String> VARIABLES = Map.of("$instance", ".*", "$type", ".*", "$detector", ".*",
            "$__rate_interval", "1m");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Inject
    PipelineProbe probe;

    private Process prometheus;
    private URI prometheusUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startPrometheusAndStream() throws Exception {
        Path binary = ExternalTool.require("prometheus", "Debian: apt-get install prometheus");
        Path home = Files.createDirectories(Path.of("target", "prometheus-" + UUID.randomUUID()));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(home.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: txwatch
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(RULES.toAbsolutePath(), metrics.getPort()));
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + home.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(home.resolve("prometheus.log").toFile()).start();
        prometheusUrl = URI.create("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(30)).until(() -> status("/-/ready") == 200);

        stream();
        // a few scrapes after the stream, so that every rate has samples on both sides of its events
        await().atMost(Duration.ofSeconds(30)).until(() -> !query("txwatch_anomalies_total{typology=\"card-testing\"} > 0")
                .path("data").path("result").isEmpty());
        Thread.sleep(3_000);
    }

    @AfterAll
    void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    /** A short labelled stream: a pricing error, card testing, and a malformed record. */
    private void stream() throws Exception {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            String customer = TestEvents.uniqueId("customer");
            String sku = TestEvents.uniqueId("LAPTOP");
            // before the tests, RestAssured does not know the service's port yet
            PipelineProbe.listLaptop(given().baseUri("http://" + metrics.getHost()).port(metrics.getPort()), sku);
            PipelineProbe.publish(kafka, "transactions", customer,
                    TestEvents.laptopPurchase(TestEvents.uniqueId("tx"), customer, sku, "500.00"));
            PipelineProbe.publish(kafka, "transactions", customer, "{\"transactionId\":\"broken\", \"items\": [");
            String cardTester = TestEvents.uniqueId("customer");
            String last = null;
            for (int i = 0; i < 4; i++) {
                last = TestEvents.uniqueId("tx");
                String event = TestEvents.laptopPurchase(last, cardTester, "ANY-SKU", "900.00")
                        .replace("2026-09-16T14:05:00Z", "2026-09-16T14:05:%02dZ".formatted(i * 10));
                PipelineProbe.publish(kafka, "transactions", cardTester, i >= 2 ? event.replace("\"status\":\"SUCCEEDED\"",
                        "\"status\":\"FAILED\",\"failureReason\":\"card_declined\"") : event);
            }
            String lastId = last;
            await().atMost(PROCESSED_WITHIN).until(() -> probe.transaction(lastId) != null);
        }
    }

    @Test
    void everyPanelsQueryReturnsData() throws Exception {
        List<String> checked = new ArrayList<>();
        for (JsonNode dashboard : dashboards()) {
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    if (!target.has("expr")) {
                        continue;
                    }
                    String expr = substituted(target.get("expr").asText());
                    JsonNode answer = query(expr);
                    String what = dashboard.get("title").asText() + " / " + panel.get("title").asText() + ": " + expr;
                    assertThat(answer.path("status").asText()).as(what + " → " + answer).isEqualTo("success");
                    // a comparison with a day earlier has nothing to compare with on a Prometheus started minutes ago
                    if (!expr.contains(" offset ")) {
                        assertThat(answer.path("data").path("result")).as(what + " returns data").isNotEmpty();
                    }
                    checked.add(what);
                }
            }
        }
        assertThat(checked).hasSizeGreaterThan(30);
    }

    @Test
    void everyQueryVariableFindsValues() throws Exception {
        for (JsonNode dashboard : dashboards()) {
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if ("query".equals(variable.path("type").asText())) {
                    // label_values(metric, label), as Grafana asks Prometheus for it
                    String definition = variable.path("query").path("query").asText();
                    String[] parts = definition.substring("label_values(".length(), definition.length() - 1).split(",\\s*");
                    JsonNode answer = query("count by (" + parts[1] + ") (" + parts[0] + ")");
                    assertThat(answer.path("data").path("result")).as(dashboard.get("title").asText() + ": " + definition)
                            .isNotEmpty();
                }
            }
        }
    }

    @Test
    void everyAlertExpressionEvaluatesWithoutError() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode groups = JSON.readTree(get("/api/v1/rules")).path("data").path("groups");
            List<JsonNode> rules = new ArrayList<>();
            groups.forEach(group -> group.path("rules").forEach(rules::add));
            assertThat(rules).hasSizeGreaterThanOrEqualTo(9).allSatisfy(rule -> {
                assertThat(rule.path("health").asText()).as(rule.path("name").asText() + ": " + rule.path("lastError"))
                        .isEqualTo("ok");
                assertThat(rule.path("lastEvaluation").asText()).as(rule.path("name").asText()).doesNotStartWith("0001");
            });
        });
    }

    @Test
    void everySqlPanelReturnsRowsToTheReadOnlyRoleWhichCannotWrite() throws Exception {
        String reader = "grafana_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection owner = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                Statement statement = owner.createStatement()) {
            statement.execute("CREATE ROLE " + reader + " LOGIN PASSWORD 'reader' IN ROLE txwatch_reader");
        }
        List<String> checked = new ArrayList<>();
        try (Connection grafana = DriverManager.getConnection(jdbcUrl, reader, "reader")) {
            for (JsonNode dashboard : dashboards()) {
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        if (target.has("rawSql")) {
                            String sql = target.get("rawSql").asText()
                                    // Grafana's macro, over the dashboard's time range
                                    .replaceAll("\\$__timeFilter\\((\\w+)\\)",
                                            "$1 BETWEEN now() - interval '6 hours' AND now() + interval '1 minute'");
                            try (Statement statement = grafana.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                                assertThat(rows.next()).as(panel.get("title").asText() + " returns rows: " + sql).isTrue();
                            }
                            checked.add(panel.get("title").asText());
                        }
                    }
                }
            }
            assertThatThrownBy(() -> {
                try (Statement statement = grafana.createStatement()) {
                    statement.executeUpdate("DELETE FROM anomaly");
                }
            }).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> {
                try (Statement statement = grafana.createStatement()) {
                    statement.executeQuery("SELECT event FROM transaction LIMIT 1");
                }
            }).as("customers' raw transactions are not Grafana's").isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        } finally {
            try (Connection owner = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                    Statement statement = owner.createStatement()) {
                statement.execute("DROP ROLE " + reader);
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(3);
    }

    private static List<JsonNode> dashboards() throws IOException {
        List<JsonNode> dashboards = new ArrayList<>();
        try (var files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(JSON.readTree(file.toFile()));
            }
        }
        assertThat(dashboards).hasSize(3);
        return dashboards;
    }

    private static String substituted(String expr) {
        String result = expr;
        for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
            result = result.replace(variable.getKey(), variable.getValue());
        }
        assertThat(result).as("every variable substituted").doesNotContain("$");
        return result;
    }

    private JsonNode query(String expr) throws IOException, InterruptedException {
        return JSON.readTree(get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
    }

    private String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(prometheusUrl.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(prometheusUrl.resolve(path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }
}
