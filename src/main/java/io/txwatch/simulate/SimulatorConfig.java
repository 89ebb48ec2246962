package io.txwatch.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The demo stream simulator run inside the service; every default is also documented in application.properties. */
@ConfigMapping(prefix = "txwatch.simulator")
public interface SimulatorConfig {

    /** Whether the service publishes a simulated shop to its own Kafka at start. */
    @WithDefault("false")
    boolean enabled();

    @WithDefault("42")
    long seed();

    /** Events published per wall-clock second at most, which is how fast the history is replayed. */
    @WithDefault("200")
    int rate();

    /** How far in the past the event time starts; that history is replayed first, then the stream goes live. */
    @WithDefault("PT6H")
    Duration history();

    /** A fixed instant for event time to start at, instead of {@code history} before now: the same stream at any hour. */
    Optional<Instant> start();

    /** Stop after this many events; unset, the simulation runs until the service stops. */
    OptionalLong events();

    @WithDefault("2000")
    int customers();

    @WithDefault("300")
    int products();

    /** Events per minute at the busiest hour of an ordinary weekday. */
    @WithDefault("120")
    double peakEventsPerMinute();

    @WithDefault("0.03")
    double failureRate();

    /** Share of events that belong to an injected per-customer or per-item anomaly. */
    @WithDefault("0.01")
    double anomalyRate();

    @WithDefault("INR")
    String currency();

    /**
     * What kind of shop the everyday traffic imitates: {@code default} (clearly inside normal behaviour) or
     * {@code realistic} (night workers, shoppers without a location, long trips, occasional buyers, dispersed prices,
     * backfilled events).
     */
    @WithDefault("default")
    StreamProfile profile();

    Mix mix();

    Shocks shocks();

    Topics topics();

    /** Relative weights of the injected anomaly kinds (SALES_VOLUME comes from {@link Shocks}). */
    interface Mix {

        @WithDefault("1")
        double priceVsCatalog();

        @WithDefault("1")
        double priceVsRecent();

        @WithDefault("1")
        double velocity();

        @WithDefault("1")
        double failedPaymentBurst();

        @WithDefault("1")
        double highAmount();

        @WithDefault("1")
        double unusualHour();

        @WithDefault("1")
        double impossibleTravel();

        @WithDefault("1")
        double bulkQuantity();
    }

    /** Sales volume shocks: outages, drops and flash-sale spikes. */
    interface Shocks {

        @WithDefault("true")
        boolean enabled();

        @WithDefault("PT3H")
        Duration meanInterval();

        /** Event time from the start without shocks, so that detectors can form their baselines. */
        @WithDefault("PT2H")
        Duration warmUp();
    }

    interface Topics {

        @WithDefault("catalog")
        String catalog();

        @WithDefault("transactions")
        String transactions();
    }
}
