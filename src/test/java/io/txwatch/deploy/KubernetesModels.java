package io.txwatch.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.knative.sources.v1beta1.KafkaSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Reads manifests into fabric8's models of their kinds, which keep any field their kind does not have aside (in
 * {@code additionalProperties}) rather than failing: the fields found there are the manifest's unknown fields, which
 * the schemas of npm kubernetes-models let pass.
 */
final class KubernetesModels {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Class<?>> MODELS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class,
            "serving.knative.dev/v1/Service", io.fabric8.knative.serving.v1.Service.class,
            "sources.knative.dev/v1beta1/KafkaSource", KafkaSource.class);

    private KubernetesModels() {
    }

    /** The manifest's kind as the models are keyed: {@code apiVersion/kind}. */
    static String kindOf(JsonNode manifest) {
        return manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
    }

    static boolean modelled(JsonNode manifest) {
        return MODELS.containsKey(kindOf(manifest));
    }

    /** The paths of the fields of the manifest that its kind does not have; empty when the kind is not modelled. */
    static List<String> unknownFields(JsonNode manifest) throws JsonProcessingException {
        Class<?> model = MODELS.get(kindOf(manifest));
        List<String> unknown = new ArrayList<>();
        if (model != null) {
            collect(JSON.treeToValue(manifest, model), kindOf(manifest), unknown, new IdentityHashMap<>());
        }
        return unknown;
    }

    private static void collect(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                collect(item, path + "[" + index++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> collect(item, path + "." + key, unknown, seen));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Optional<Object> got = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                got.filter(Map.class::isInstance).map(Map.class::cast)
                        .ifPresent(extra -> extra.keySet().forEach(field -> unknown.add(path + "." + field)));
            } else {
                String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                got.ifPresent(item -> collect(item, path + "." + field, unknown, seen));
            }
        }
    }

    private static Optional<Object> invoke(Method getter, Object target) {
        try {
            return Optional.ofNullable(getter.invoke(target));
        } catch (IllegalAccessException | InvocationTargetException e) {
            return Optional.empty();
        }
    }
}
