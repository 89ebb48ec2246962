package io.txwatch.localinfra;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the real Kafka, Redis and PostgreSQL once for the Quarkus application under test and hands their
 * addresses to its configuration. Tests that need to act on a server (stop Redis, say) get the
 * {@link LocalInfrastructure} injected into a field annotated with {@link InjectLocalInfrastructure}.
 */
public class LocalInfrastructureResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectLocalInfrastructure {
    }

    private LocalInfrastructure infrastructure;

    @Override
    public Map<String, String> start() {
        infrastructure = LocalInfrastructure.start();
        return infrastructure.serviceConfig();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(infrastructure,
                new TestInjector.AnnotatedAndMatchesType(InjectLocalInfrastructure.class, LocalInfrastructure.class));
    }

    @Override
    public void stop() {
        if (infrastructure != null) {
            infrastructure.close();
        }
    }
}
