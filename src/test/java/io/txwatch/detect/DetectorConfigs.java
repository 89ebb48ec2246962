package io.txwatch.detect;

import java.util.Map;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

/** A detector's configuration as its documented defaults make it, with the given properties on top. */
final class DetectorConfigs {

    private DetectorConfigs() {
    }

    static <T> T defaults(Class<T> mapping, Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(mapping)
                .withSources(new MapBackedConfigSource("test", properties) {
                })
                .build();
        return config.getConfigMapping(mapping);
    }

    static <T> T defaults(Class<T> mapping) {
        return defaults(mapping, Map.of());
    }
}
