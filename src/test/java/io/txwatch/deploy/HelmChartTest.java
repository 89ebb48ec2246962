package io.txwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import io.txwatch.tools.ExternalTool;
import io.txwatch.tools.NodeTools;

/**
 * The Helm chart ({@code deploy/helm/txwatch}), linted strictly and rendered in-process (helm-java embeds Helm) with
 * several value sets; every rendered manifest validated against the published schema of its kind (npm
 * kubernetes-models and its Prometheus Operator, Knative and KEDA packages: required fields, types, values) and,
 * where fabric8 models its kind, read for fields it does not have; and what
 * matters about the output asserted: probes, the pod's security, the database password referenced from a Secret and
 * never inlined, replicas bounded by the partitions, the monitoring resources, the Knative wiring.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("deploy", "helm", "txwatch");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theChartLintsStrictlyWithoutAWarning() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
    }

    @Test
    void byDefaultADeploymentWithProbesSecurityAndThePasswordFromASecret() throws IOException {
        List<JsonNode> manifests = render(Map.of());

        assertThat(kinds(manifests)).containsExactlyInAnyOrder("ConfigMap", "Deployment", "Service", "PodDisruptionBudget");
        JsonNode pod = only(manifests, "Deployment").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/started");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        JsonNode security = container.path("securityContext");
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(security.path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
        assertThat(container.path("volumeMounts").get(0).path("mountPath").asText()).as("a writable /tmp").isEqualTo("/tmp");
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("768Mi");
        JsonNode password = container.path("env").get(0);
        assertThat(password.path("name").asText()).isEqualTo("QUARKUS_DATASOURCE_PASSWORD");
        assertThat(password.path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("txwatch-postgresql");
        assertThat(only(manifests, "ConfigMap").path("data").toString()).as("no password in the ConfigMap")
                .doesNotContainIgnoringCase("password");
        assertThat(only(manifests, "Deployment").path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void withEverythingOptionalOffOnlyTheCoreRemains() throws IOException {
        List<JsonNode> manifests = render(Map.of("podDisruptionBudget.enabled", false, "autoscaling.enabled", false,
                "keda.enabled", false, "networkPolicy.enabled", false, "metrics.serviceMonitor.enabled", false,
                "metrics.prometheusRule.enabled", false, "grafanaDashboards.enabled", false, "knative.enabled", false));

        assertThat(kinds(manifests)).containsExactlyInAnyOrder("ConfigMap", "Deployment", "Service");
        assertThat(render(Map.of("replicaCount", 1))).as("a single replica has no disruption budget to keep")
                .noneMatch(manifest -> "PodDisruptionBudget".equals(manifest.path("kind").asText()));
    }

    @Test
    void withoutTheDatabasesSecretTheChartRefusesToRender() {
        assertThatThrownBy(() -> render(Map.of("postgresql.existingSecret", ""))).hasMessageContaining("postgresql.existingSecret");
    }

    @Test
    void settingsGoToTheConfigMapAndRollThePods() throws IOException {
        List<JsonNode> plain = render(Map.of());
        List<JsonNode> tuned = render(Map.of("config.TXWATCH_DETECTORS_HIGH_AMOUNT_ROBUST_Z", "5"));

        assertThat(only(tuned, "ConfigMap").path("data").path("TXWATCH_DETECTORS_HIGH_AMOUNT_ROBUST_Z").asText()).isEqualTo("5");
        assertThat(checksum(tuned)).isNotEqualTo(checksum(plain));
    }

    @Test
    void autoscalingIsBoundedByThePartitionsAndKedaReplacesIt() throws IOException {
        List<JsonNode> hpa = render(Map.of("autoscaling.enabled", true, "autoscaling.maxReplicas", 20, "kafka.partitions", 6));
        List<JsonNode> keda = render(Map.of("keda.enabled", true, "autoscaling.enabled", true, "kafka.partitions", 4,
                "autoscaling.maxReplicas", 10));

        assertThat(only(hpa, "HorizontalPodAutoscaler").path("spec").path("maxReplicas").asInt()).isEqualTo(6);
        assertThat(only(render(Map.of("autoscaling.enabled", true, "kafka.partitions", 1)), "HorizontalPodAutoscaler")
                .path("spec").path("minReplicas").asInt()).as("no more replicas than partitions, even at least").isEqualTo(1);
        assertThat(only(hpa, "Deployment").path("spec").has("replicas")).as("the HPA owns the replicas").isFalse();
        assertThat(kinds(keda)).contains("ScaledObject").doesNotContain("HorizontalPodAutoscaler");
        JsonNode scaledObject = only(keda, "ScaledObject").path("spec");
        assertThat(scaledObject.path("maxReplicaCount").asInt()).isEqualTo(4);
        assertThat(scaledObject.path("triggers").get(0).path("type").asText()).isEqualTo("kafka");
        assertThat(scaledObject.path("triggers").get(0).path("metadata").path("topic").asText()).isEqualTo("transactions");
    }

    @Test
    void monitoringCarriesTheAlertRulesAndTheDashboardsOfGrafanasFolder() throws IOException {
        List<JsonNode> manifests = render(Map.of("metrics.serviceMonitor.enabled", true,
                "metrics.prometheusRule.enabled", true, "grafanaDashboards.enabled", true, "networkPolicy.enabled", true));

        assertThat(only(manifests, "ServiceMonitor").path("spec").path("endpoints").get(0).path("path").asText())
                .isEqualTo("/q/metrics");
        assertThat(only(manifests, "ServiceMonitor").path("spec").path("jobLabel").asText())
                .as("job txwatch, as the instance-down alert expects").isEqualTo("app.kubernetes.io/part-of");
        assertThat(only(manifests, "Service").path("metadata").path("labels").path("app.kubernetes.io/part-of").asText())
                .isEqualTo("txwatch");
        JsonNode rules = only(manifests, "PrometheusRule").path("spec");
        assertThat(rules).isEqualTo(YAML.readTree(Path.of("grafana", "alerts", "txwatch.rules.yaml").toFile()));
        List<JsonNode> dashboards = manifests.stream().filter(manifest -> "ConfigMap".equals(manifest.path("kind").asText())
                && manifest.path("metadata").path("labels").has("grafana_dashboard")).toList();
        assertThat(dashboards).hasSize(3).allSatisfy(dashboard -> {
            String file = dashboard.path("data").fieldNames().next();
            assertThat(YAML.readTree(dashboard.path("data").path(file).asText()))
                    .isEqualTo(new ObjectMapper().readTree(Path.of("grafana", "dashboards", file).toFile()));
        });
        assertThat(kinds(manifests)).contains("NetworkPolicy");
    }

    @Test
    void theChartsCopiesOfTheAlertRulesAndDashboardsEqualGrafanasFolder() throws IOException {
        assertThat(Files.readString(CHART.resolve("files").resolve("txwatch.rules.yaml")))
                .as("copy grafana/alerts/txwatch.rules.yaml to the chart's files/")
                .isEqualTo(Files.readString(Path.of("grafana", "alerts", "txwatch.rules.yaml")));
        try (Stream<Path> originals = Files.list(Path.of("grafana", "dashboards"));
                Stream<Path> copies = Files.list(CHART.resolve("files").resolve("dashboards"))) {
            assertThat(copies.map(path -> path.getFileName().toString()).sorted().toList()).as("no stale copy")
                    .isEqualTo(originals.map(path -> path.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> dashboards = Files.list(Path.of("grafana", "dashboards"))) {
            for (Path dashboard : dashboards.toList()) {
                assertThat(Files.readString(CHART.resolve("files").resolve("dashboards").resolve(dashboard.getFileName())))
                        .as("copy " + dashboard + " to the chart's files/dashboards/")
                        .isEqualTo(Files.readString(dashboard));
            }
        }
    }

    @Test
    void serverlessModeIsAKnativeServiceFedByAKafkaSourceWithTheConsumerOff() throws IOException {
        List<JsonNode> manifests = render(Map.of("knative.enabled", true, "autoscaling.enabled", true, "keda.enabled", true,
                "networkPolicy.enabled", true, "kafka.bootstrapServers", "kafka-0:9092,kafka-1:9092",
                "knative.deadLetterSink.ref.kind", "KafkaSink", "knative.deadLetterSink.ref.name", "transactions-dlq",
                "knative.deadLetterSink.ref.apiVersion", "eventing.knative.dev/v1alpha1"));

        assertThat(kinds(manifests)).as("no Deployment, Service, HPA, KEDA object, disruption budget nor network policy")
                .containsExactlyInAnyOrder("ConfigMap", "Service", "KafkaSource");
        JsonNode service = only(manifests, "Service");
        assertThat(service.path("apiVersion").asText()).isEqualTo("serving.knative.dev/v1");
        JsonNode template = service.path("spec").path("template");
        assertThat(template.path("metadata").path("annotations").path("autoscaling.knative.dev/min-scale").asText()).isEqualTo("0");
        JsonNode container = template.path("spec").path("containers").get(0);
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/started");
        assertThat(template.path("spec").has("securityContext")).as("Knative refuses a pod security context").isFalse();
        assertThat(container.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("readinessProbe").path("httpGet").path("port").asInt())
                .as("the container's port, as Knative wants").isEqualTo(8080);
        assertThat(container.path("env").toString()).contains("MP_MESSAGING_INCOMING_TRANSACTIONS_ENABLED");
        JsonNode source = only(manifests, "KafkaSource").path("spec");
        assertThat(source.path("topics").get(0).asText()).isEqualTo("transactions");
        assertThat(source.path("bootstrapServers")).hasSize(2);
        assertThat(source.path("sink").path("ref").path("kind").asText()).isEqualTo("Service");
        assertThat(source.path("sink").path("ref").path("apiVersion").asText()).isEqualTo("serving.knative.dev/v1");
        assertThat(source.path("sink").path("ref").path("name").asText()).isEqualTo(service.path("metadata").path("name").asText());
        assertThat(source.path("sink").path("uri").asText()).isEqualTo("/api/v1/cloudevents");
        assertThat(source.path("delivery").path("deadLetterSink").path("ref").path("name").asText()).isEqualTo("transactions-dlq");
    }

    @Test
    void theNativeValuesRenderASmallerPod() throws IOException {
        TemplateCommand template = new Helm(CHART).template().withName("txwatch")
                .withValuesFile(CHART.resolve("values-native.yaml"));
        List<JsonNode> manifests = parse(template.call());

        JsonNode container = only(manifests, "Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo("txwatch:native-micro");
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("256Mi");
    }

    @Test
    void everyRenderedManifestIsValidAgainstTheSchemasOfItsKind(@TempDir Path directory) throws Exception {
        Path node = NodeTools.require("kubernetes-models");
        List<JsonNode> manifests = new ArrayList<>();
        manifests.addAll(render(Map.of("autoscaling.enabled", true, "networkPolicy.enabled", true,
                "networkPolicy.allowFrom[0].app", "shop", "metrics.serviceMonitor.enabled", true,
                "metrics.prometheusRule.enabled", true, "grafanaDashboards.enabled", true,
                "kafka.existingSecret", "kafka-credentials", "redis.existingSecret", "redis")));
        manifests.addAll(render(Map.of("keda.enabled", true)));
        manifests.addAll(render(Map.of("knative.enabled", true)));

        List<JsonNode> reports = validate(node, manifests, directory);

        assertThat(reports).hasSize(manifests.size());
        assertThat(reports).filteredOn(report -> report.path("valid").isNull())
                .as("kinds without a published model: the KafkaSource is checked by the assertions of the Knative test")
                .extracting(report -> report.path("kind").asText())
                .containsOnly("sources.knative.dev/v1beta1/KafkaSource");
        assertThat(reports).filteredOn(report -> !report.path("valid").isNull())
                .allSatisfy(report -> assertThat(report.path("valid").asBoolean()).as(report.toString()).isTrue());
        assertThat(reports).extracting(report -> report.path("kind").asText()).contains("apps/v1/Deployment",
                "v1/Service", "policy/v1/PodDisruptionBudget", "autoscaling/v2/HorizontalPodAutoscaler",
                "networking.k8s.io/v1/NetworkPolicy", "monitoring.coreos.com/v1/ServiceMonitor",
                "monitoring.coreos.com/v1/PrometheusRule", "keda.sh/v1alpha1/ScaledObject",
                "serving.knative.dev/v1/Service", "v1/ConfigMap");
    }

    @Test
    void noRenderedManifestHasAFieldItsKindDoesNotHave() throws IOException {
        List<JsonNode> manifests = new ArrayList<>();
        manifests.addAll(render(Map.of("autoscaling.enabled", true, "networkPolicy.enabled", true,
                "networkPolicy.allowFrom[0].app", "shop", "metrics.serviceMonitor.enabled", true,
                "metrics.prometheusRule.enabled", true, "grafanaDashboards.enabled", true,
                "kafka.existingSecret", "kafka-credentials", "redis.existingSecret", "redis")));
        manifests.addAll(render(Map.of("knative.enabled", true, "knative.deadLetterSink.uri", "http://dead-letters")));

        assertThat(manifests).filteredOn(KubernetesModels::modelled).hasSizeGreaterThanOrEqualTo(11)
                .allSatisfy(manifest -> assertThat(KubernetesModels.unknownFields(manifest))
                        .as(KubernetesModels.kindOf(manifest)).isEmpty());
    }

    @Test
    void anUnknownFieldIsFound() throws IOException {
        JsonNode deployment = only(render(Map.of()), "Deployment");
        ((ObjectNode) deployment.path("spec")).put("replica", 3);
        ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0))
                .putObject("securityContexts");

        assertThat(KubernetesModels.unknownFields(deployment)).containsExactlyInAnyOrder("apps/v1/Deployment.spec.replica",
                "apps/v1/Deployment.spec.template.spec.containers[0].securityContexts");
    }

    @Test
    void theSchemasCatchAManifestGoneWrong(@TempDir Path directory) throws Exception {
        Path node = NodeTools.require("kubernetes-models");
        JsonNode deployment = only(render(Map.of()), "Deployment");
        ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0))
                .put("imagePullPolicy", "Sometimes");
        JsonNode prometheusRule = only(render(Map.of("metrics.prometheusRule.enabled", true)), "PrometheusRule");
        ((ObjectNode) prometheusRule.path("spec").path("groups").get(0).path("rules").get(0)).put("for", "five minutes");

        List<JsonNode> reports = validate(node, List.of(deployment, prometheusRule), directory);

        assertThat(reports).allSatisfy(report -> assertThat(report.path("valid").asBoolean()).as(report.toString()).isFalse());
        assertThat(reports.get(0).path("errors").asText()).contains("imagePullPolicy");
        assertThat(reports.get(1).path("errors").asText()).contains("for");
    }

    /** One report per manifest from src/test/node/validate-manifests.mjs. */
    private static List<JsonNode> validate(Path node, List<JsonNode> manifests, Path directory) throws Exception {
        Path input = directory.resolve("manifests.json");
        new ObjectMapper().writeValue(input.toFile(), manifests);
        ExternalTool.Run run = ExternalTool.run(NodeTools.HOME, List.of(node.toString(), "validate-manifests.mjs",
                input.toAbsolutePath().toString()));
        assertThat(run.exitCode()).as(run.output()).isZero();
        List<JsonNode> reports = new ArrayList<>();
        for (String line : run.output().lines().filter(line -> line.startsWith("{")).toList()) {
            reports.add(new ObjectMapper().readTree(line));
        }
        return reports;
    }

    private static List<JsonNode> render(Map<String, Object> values) throws IOException {
        TemplateCommand template = new Helm(CHART).template().withName("txwatch");
        values.forEach(template::set);
        return parse(template.call());
    }

    private static List<JsonNode> parse(String rendered) throws IOException {
        List<JsonNode> manifests = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(rendered)) {
            for (var documents = YAML.readValues(parser, JsonNode.class); documents.hasNext();) {
                JsonNode document = documents.next();
                if (document != null && !document.isEmpty()) {
                    manifests.add(document);
                }
            }
        }
        return manifests;
    }

    private static List<String> kinds(List<JsonNode> manifests) {
        return manifests.stream().map(manifest -> manifest.path("kind").asText()).toList();
    }

    private static JsonNode only(List<JsonNode> manifests, String kind) {
        List<JsonNode> ofKind = manifests.stream().filter(manifest -> kind.equals(manifest.path("kind").asText())).toList();
        assertThat(ofKind).as(kind).hasSize(1);
        return ofKind.get(0);
    }

    private static String checksum(List<JsonNode> manifests) {
        return only(manifests, "Deployment").path("spec").path("template").path("metadata").path("annotations")
                .path("checksum/config").asText();
    }
}
