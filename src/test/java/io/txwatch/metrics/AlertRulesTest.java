package io.txwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.txwatch.tools.ExternalTool;

/**
 * The alert rules of {@code grafana/alerts}, checked by Prometheus's own promtool: valid, each alert unit-tested with
 * series that make it fire and series that must not, and each pointing to its runbook in {@code docs/operations.md}.
 */
class AlertRulesTest {

    private static final Path ALERTS = Path.of("grafana", "alerts");
    private static final Path RULES = ALERTS.resolve("txwatch.rules.yaml");
    private static final Path RULE_TESTS = ALERTS.resolve("txwatch.rules.test.yaml");
    private static final Path RUNBOOKS = Path.of("docs", "operations.md");
    private static final String INSTALL = "Debian: apt-get install prometheus";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void promtoolFindsTheRulesValidAndEveryUnitTestPasses() throws Exception {
        Path promtool = ExternalTool.require("promtool", INSTALL);

        ExternalTool.Run check = ExternalTool.run(Path.of("."), List.of(promtool.toString(), "check", "rules", RULES.toString()));
        ExternalTool.Run test = ExternalTool.run(ALERTS, List.of(promtool.toString(), "test", "rules",
                RULE_TESTS.getFileName().toString()));

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + alerts().size() + " rules found");
        assertThat(test.exitCode()).as(test.output()).isZero();
    }

    @Test
    void theUnitTestsCatchARuleThatNoLongerFiresAsItShould(@TempDir Path copy) throws Exception {
        Path promtool = ExternalTool.require("promtool", INSTALL);
        String rules = Files.readString(RULES);
        assertThat(rules).contains("txwatch_anomalies_total{severity=\"CRITICAL\"}[5m])) >= 5");
        Files.writeString(copy.resolve(RULES.getFileName()),
                rules.replace("txwatch_anomalies_total{severity=\"CRITICAL\"}[5m])) >= 5",
                        "txwatch_anomalies_total{severity=\"CRITICAL\"}[5m])) >= 50"));
        Files.copy(RULE_TESTS, copy.resolve(RULE_TESTS.getFileName()));

        ExternalTool.Run test = ExternalTool.run(copy, List.of(promtool.toString(), "test", "rules",
                RULE_TESTS.getFileName().toString()));

        assertThat(test.exitCode()).as(test.output()).isNotZero();
        assertThat(test.output()).contains("alertname: TxwatchCriticalAnomalyBurst");
    }

    @Test
    void everyAlertHasASeveritySummaryDescriptionAndARunbookThatExists() throws IOException {
        Set<String> runbookAnchors = anchorsOf(Files.readString(RUNBOOKS));

        assertThat(alerts()).hasSizeGreaterThanOrEqualTo(9).allSatisfy(alert -> {
            String name = alert.get("alert").asText();
            assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("critical", "warning");
            assertThat(alert.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(alert.path("annotations").path("description").asText()).as(name).isNotBlank();
            String runbook = alert.path("annotations").path("runbook_url").asText();
            assertThat(runbook).as(name).isEqualTo("docs/operations.md#" + name.toLowerCase(Locale.ROOT));
            assertThat(runbookAnchors).as("a section of docs/operations.md for " + name)
                    .contains(name.toLowerCase(Locale.ROOT));
        });
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws IOException {
        Set<String> fire = new HashSet<>();
        Set<String> holdBack = new HashSet<>();
        for (JsonNode test : YAML.readTree(RULE_TESTS.toFile()).path("tests")) {
            for (JsonNode expectation : test.path("alert_rule_test")) {
                String name = expectation.path("alertname").asText();
                (expectation.path("exp_alerts").isEmpty() ? holdBack : fire).add(name);
            }
        }

        List<String> names = alerts().stream().map(alert -> alert.get("alert").asText()).toList();
        assertThat(fire).as("alerts with series that make them fire").containsAll(names);
        assertThat(holdBack).as("alerts with series that must not fire them").containsAll(names);
    }

    private static List<JsonNode> alerts() throws IOException {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            group.path("rules").forEach(rule -> {
                if (rule.has("alert")) {
                    alerts.add(rule);
                }
            });
        }
        return alerts;
    }

    /** The anchors Markdown renderers give headings: lower case, spaces as hyphens, punctuation dropped. */
    private static Set<String> anchorsOf(String markdown) {
        Set<String> anchors = new HashSet<>();
        Matcher heading = Pattern.compile("(?m)^#{1,6}\\s+(.+)$").matcher(markdown);
        while (heading.find()) {
            anchors.add(heading.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }
}
