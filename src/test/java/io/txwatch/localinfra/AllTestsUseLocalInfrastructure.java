package io.txwatch.localinfra;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Declares, once for every {@code @QuarkusTest} of the project, that the application under test runs
 * against the real Kafka, Redis and PostgreSQL of {@link LocalInfrastructureResource}.
 */
@WithTestResource(value = LocalInfrastructureResource.class, scope = TestResourceScope.GLOBAL)
public final class AllTestsUseLocalInfrastructure {

    private AllTestsUseLocalInfrastructure() {
    }
}
