package io.txwatch.health;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.txwatch.ingest.ConsumptionProgress;

/**
 * DOWN while a batch of {@code transactions} has been in work longer than {@code txwatch.ingest.stalled-after}: the
 * service consumes nothing although events wait. Readiness, not liveness: the usual cause is a server that is away,
 * which a restart of txwatch would not bring back.
 */
@Readiness
@ApplicationScoped
public class ConsumptionHealthCheck implements HealthCheck {

    private final ConsumptionProgress progress;

    public ConsumptionHealthCheck(ConsumptionProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("transactions consumption");
        progress.lastBatchDone().ifPresent(done -> response.withData("lastBatchDone", done.toString()));
        return progress.stalledFor()
                .map(stalled -> response.down().withData("batchInWorkFor", stalled.truncatedTo(ChronoUnit.SECONDS).toString()))
                .orElseGet(response::up)
                .build();
    }
}
