package io.txwatch.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.txwatch.anomaly.AnomalyType;

/**
 * The defaults live in three places: the {@code @WithDefault}s of {@link SimulatorConfig} (the service), the code
 * defaults that the standalone command uses, and application.properties, where they are documented. They must agree.
 */
class SimulatorDefaultsTest {

    private static final String PREFIX = SimulatorConfig.class.getAnnotation(ConfigMapping.class).prefix() + ".";

    @Test
    void applicationPropertiesDocumentsEveryDefaultWithItsValue() throws IOException {
        assertThat(documented()).isEqualTo(annotated());
    }

    @Test
    void theCommandUsesTheDefaultsOfTheService() {
        Map<String, String> service = annotated();
        StreamSettings stream = StreamSettings.defaults(Sample.START);
        StreamPublisher.Settings publishing = StreamPublisher.Settings.defaults();

        assertThat(Long.parseLong(service.get("seed"))).isEqualTo(stream.seed());
        assertThat(Integer.parseInt(service.get("customers"))).isEqualTo(stream.customers());
        assertThat(Integer.parseInt(service.get("products"))).isEqualTo(stream.products());
        assertThat(Double.parseDouble(service.get("peak-events-per-minute"))).isEqualTo(stream.peakEventsPerMinute());
        assertThat(Double.parseDouble(service.get("failure-rate"))).isEqualTo(stream.failureRate());
        assertThat(Double.parseDouble(service.get("anomaly-rate"))).isEqualTo(stream.anomalyRate());
        assertThat(service.get("currency")).isEqualTo(stream.currency());
        assertThat(Boolean.parseBoolean(service.get("shocks.enabled"))).isEqualTo(stream.shocks());
        assertThat(Duration.parse(service.get("shocks.mean-interval"))).isEqualTo(stream.shockMeanInterval());
        assertThat(Duration.parse(service.get("shocks.warm-up"))).isEqualTo(stream.shockWarmUp());
        for (Map.Entry<AnomalyType, Double> weight : stream.anomalyMix().entrySet()) {
            String name = "mix." + weight.getKey().name().toLowerCase().replace('_', '-');
            assertThat(Double.parseDouble(service.get(name))).as(name).isEqualTo(weight.getValue());
        }
        assertThat(Integer.parseInt(service.get("rate"))).isEqualTo(publishing.eventsPerSecond());
        assertThat(service.get("topics.catalog")).isEqualTo(publishing.catalogTopic());
        assertThat(service.get("topics.transactions")).isEqualTo(publishing.transactionsTopic());
        assertThat(publishing.maxEvents()).isEmpty();
        assertThat(Duration.parse(service.get("history"))).isEqualTo(SimulatorCommand.DEFAULT_HISTORY);
    }

    /** The {@code @WithDefault} of every property of the mapping, named as in application.properties without prefix. */
    private static Map<String, String> annotated() {
        Map<String, String> defaults = new TreeMap<>();
        collect(SimulatorConfig.class, "", defaults);
        return defaults;
    }

    private static void collect(Class<?> group, String path, Map<String, String> defaults) {
        for (Method property : group.getDeclaredMethods()) {
            String name = path + kebab(property.getName());
            if (property.getReturnType().isInterface() && property.getReturnType().getEnclosingClass() == SimulatorConfig.class) {
                collect(property.getReturnType(), name + ".", defaults);
            } else if (property.isAnnotationPresent(WithDefault.class)) {
                defaults.put(name, property.getAnnotation(WithDefault.class).value());
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Map<String, String> documented() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = SimulatorDefaultsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        Map<String, String> simulator = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(name -> name.startsWith(PREFIX))
                .forEach(name -> simulator.put(name.substring(PREFIX.length()), properties.getProperty(name)));
        return simulator;
    }
}
