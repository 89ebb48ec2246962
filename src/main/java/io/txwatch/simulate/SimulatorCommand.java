package io.txwatch.simulate;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Publishes the demo stream to any Kafka, without the service:
 *
 * <pre>
 * ./mvnw -q -Psimulate -Dexec.args="--bootstrap-servers 127.0.0.1:9092 --rate 500 --events 100000"
 * </pre>
 *
 * Its options and defaults are those of {@code txwatch.simulator.*}. Ctrl-C stops it cleanly.
 */
public final class SimulatorCommand {

    static final String USAGE = "usage: SimulatorCommand --bootstrap-servers HOST:PORT [--rate EVENTS_PER_SECOND]"
            + " [--seed N] [--history ISO_DURATION] [--events N] [--customers N] [--products N]"
            + " [--peak-events-per-minute N] [--failure-rate 0..0.5] [--anomaly-rate 0..0.5] [--currency CODE]"
            + " [--no-shocks] [--profile default|realistic] [--catalog-topic NAME] [--transactions-topic NAME]";

    static final Duration DEFAULT_HISTORY = Duration.ofHours(6);

    private static final Set<String> FLAGS = Set.of("--no-shocks");
    private static final Set<String> OPTIONS = Set.of("--bootstrap-servers", "--rate", "--seed", "--history", "--events",
            "--customers", "--products", "--peak-events-per-minute", "--failure-rate", "--anomaly-rate", "--currency",
            "--catalog-topic", "--transactions-topic", "--profile");

    private SimulatorCommand() {
    }

    /** What one run publishes, and where. */
    record Invocation(String bootstrapServers, StreamSettings stream, StreamPublisher.Settings publishing) {
    }

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        Invocation invocation;
        try {
            invocation = parse(args, Instant.now());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        StreamPublisher publisher = new StreamPublisher(StreamPublisher.connect(invocation.bootstrapServers()),
                new TransactionStream(invocation.stream()), invocation.publishing());
        Runtime.getRuntime().addShutdownHook(new Thread(publisher::close, "txwatch-simulator-shutdown"));
        System.out.println(publisher.describe(invocation.bootstrapServers()));
        publisher.start();
        boolean succeeded = publisher.awaitCompletion();
        publisher.close();
        System.out.println("Published " + publisher.published() + " events" + (succeeded ? "" : ", then failed (see the log)"));
        if (!succeeded) {
            System.exit(1);
        }
    }

    /** Reads the arguments, the event time starting {@code --history} before {@code now}. */
    static Invocation parse(String[] args, Instant now) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (FLAGS.contains(name)) {
                given.put(name, "true");
            } else if (OPTIONS.contains(name) && i + 1 < args.length) {
                given.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(OPTIONS.contains(name) ? name + " needs a value" : "unknown argument " + name);
            }
        }
        String bootstrapServers = given.get("--bootstrap-servers");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        Duration history = value(given, "--history", Duration::parse, DEFAULT_HISTORY);
        if (history.isNegative()) {
            throw new IllegalArgumentException("--history must not be negative");
        }
        Instant start = now.minus(history).truncatedTo(ChronoUnit.SECONDS);
        StreamSettings defaults = StreamSettings.defaults(start);
        StreamSettings stream = new StreamSettings(
                value(given, "--seed", Long::parseLong, defaults.seed()),
                start,
                value(given, "--customers", Integer::parseInt, defaults.customers()),
                value(given, "--products", Integer::parseInt, defaults.products()),
                value(given, "--peak-events-per-minute", Double::parseDouble, defaults.peakEventsPerMinute()),
                value(given, "--failure-rate", Double::parseDouble, defaults.failureRate()),
                value(given, "--anomaly-rate", Double::parseDouble, defaults.anomalyRate()),
                defaults.anomalyMix(),
                value(given, "--currency", text -> text.trim().toUpperCase(Locale.ROOT), defaults.currency()),
                !given.containsKey("--no-shocks"),
                defaults.shockMeanInterval(),
                defaults.shockWarmUp(),
                value(given, "--profile", StreamProfile::named, defaults.profile()));
        StreamPublisher.Settings publishingDefaults = StreamPublisher.Settings.defaults();
        StreamPublisher.Settings publishing = new StreamPublisher.Settings(
                value(given, "--catalog-topic", String::trim, publishingDefaults.catalogTopic()),
                value(given, "--transactions-topic", String::trim, publishingDefaults.transactionsTopic()),
                value(given, "--rate", Integer::parseInt, publishingDefaults.eventsPerSecond()),
                given.containsKey("--events") ? OptionalLong.of(value(given, "--events", Long::parseLong, 0L))
                        : publishingDefaults.maxEvents());
        return new Invocation(bootstrapServers, stream, publishing);
    }

    private static <T> T value(Map<String, String> given, String name, Function<String, T> parser, T otherwise) {
        String text = given.get(name);
        if (text == null) {
            return otherwise;
        }
        try {
            return parser.apply(text);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": cannot read '" + text + "'");
        }
    }
}
