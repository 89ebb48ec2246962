package io.txwatch.window;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.txwatch.anomaly.AnomalyType;

/**
 * Counts events that came later than the allowed lateness, per detector, so that none is lost unseen. Created at
 * start, so that every counter is exported, at zero, before the first late event.
 */
@Startup
@ApplicationScoped
public class LateEvents {

    private final Map<AnomalyType, Counter> counters = new EnumMap<>(AnomalyType.class);

    public LateEvents(MeterRegistry registry) {
        for (AnomalyType type : AnomalyType.values()) {
            counters.put(type, Counter.builder("txwatch.events.late")
                    .description("Events older than their window's allowed lateness: stored, but left out of the window")
                    .tag("detector", type.name()).register(registry));
        }
    }

    public void count(AnomalyType detector, long events) {
        if (events > 0) {
            counters.get(detector).increment(events);
        }
    }
}
