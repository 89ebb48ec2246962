package io.txwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The dashboards of {@code grafana/dashboards} against Grafana's own dashboard model: the JSON Schema generated from
 * npm {@code @grafana/schema} ({@code grafana/schema/generate.sh}), and the data sources that
 * {@code grafana/provisioning} provides.
 */
class DashboardSchemaTest {

    private static final Path DASHBOARDS = Path.of("grafana", "dashboards");
    private static final Path SCHEMA = Path.of("grafana", "schema", "dashboard.schema.json");
    private static final Path DATASOURCES = Path.of("grafana", "provisioning", "datasources", "txwatch.yaml");
    private static final Path PROVIDERS = Path.of("grafana", "provisioning", "dashboards", "txwatch.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
            .getSchema(read(SCHEMA));

    @Test
    void everyDashboardValidatesAgainstGrafanasSchema() throws IOException {
        List<Path> files = dashboardFiles();

        assertThat(files).extracting(path -> path.getFileName().toString())
                .containsExactlyInAnyOrder("txwatch-anomalies.json", "txwatch-pipeline.json", "txwatch-detectors.json");
        for (Path file : files) {
            assertThat(schema.validate(JSON.readTree(file.toFile()))).as(file.toString()).isEmpty();
        }
    }

    @Test
    void theSchemaCatchesABrokenDashboard() throws IOException {
        ObjectNode broken = (ObjectNode) JSON.readTree(DASHBOARDS.resolve("txwatch-pipeline.json").toFile());
        broken.remove("schemaVersion");
        ((ObjectNode) broken.get("panels").get(0)).put("gridPos", "top left");
        broken.put("graphTooltip", "shared");

        List<Error> errors = schema.validate(broken);

        assertThat(errors).extracting(Error::toString).anySatisfy(error -> assertThat(error).contains("schemaVersion"))
                .anySatisfy(error -> assertThat(error).contains("gridPos"))
                .anySatisfy(error -> assertThat(error).contains("graphTooltip"));
    }

    @Test
    void dashboardsHaveUniqueIdsAndUseOnlyProvisionedKindsOfDataSource() throws IOException {
        Set<String> provisioned = new HashSet<>();
        YAML.readTree(DATASOURCES.toFile()).path("datasources").forEach(source -> provisioned.add(source.path("type").asText()));
        Set<String> uids = new HashSet<>();
        Set<Integer> panelIds = new HashSet<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid " + file).isTrue();
            panelIds.clear();
            for (JsonNode panel : dashboard.path("panels")) {
                assertThat(panelIds.add(panel.path("id").asInt())).as(file + ": unique panel id").isTrue();
                assertThat(panel.path("description").asText()).as(file + ": " + panel.path("title") + " says what it shows")
                        .isNotBlank();
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if ("datasource".equals(variable.path("type").asText())) {
                    assertThat(provisioned).as(file + ": data source variable " + variable.path("name"))
                            .contains(variable.path("query").asText());
                }
            }
        }
        assertThat(YAML.readTree(PROVIDERS.toFile()).path("providers").get(0).path("type").asText()).isEqualTo("file");
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (var files = Files.list(DASHBOARDS)) {
            return new ArrayList<>(files.filter(path -> path.toString().endsWith(".json")).sorted().toList());
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(path + " is missing", e);
        }
    }
}
