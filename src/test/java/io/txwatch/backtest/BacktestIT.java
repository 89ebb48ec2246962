package io.txwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The backtest command end to end on the example export shipped in {@code docs/examples}: the packaged service on
 * local Kafka, Redis and PostgreSQL, as {@code ./mvnw -Pbacktest} runs it. The export is a day of a small shop with
 * five labelled incidents (a mispriced lamp, a burst of eight orders, four declined payments, an order a hundred times
 * the customer's usual, Paris then New York forty minutes apart).
 */
class BacktestIT {

    private static final Path SERVICE = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path EXAMPLE = Path.of("docs", "examples", "shop-export.csv");

    @Test
    void theExampleExportShowsEachIncidentAndFlagsAlmostNothingElse() throws Exception {
        assertThat(SERVICE).as("packaged before the integration tests").exists();
        EventFile.Mapping mapping = new EventFile.Mapping(Map.of("transactionId", "order_id", "customer.id", "user_id"),
                Map.of(), Optional.of("is_fraud"));

        BacktestReport report = new Backtest(SERVICE, EXAMPLE, Optional.empty(), mapping, Map.of()).run();

        System.out.println(report.table());
        assertThat(report.events()).isEqualTo(272);
        assertThat(report.refused()).isZero();
        assertThat(report.labelled()).isEqualTo(15);
        assertThat(report.kinds()).extracting(BacktestReport.Kind::kind).contains("PRICE_VS_RECENT", "VELOCITY",
                "FAILED_PAYMENT_BURST", "HIGH_AMOUNT", "IMPOSSIBLE_TRAVEL");
        assertThat(report.precision()).as("flagged events that are labelled incidents").isGreaterThanOrEqualTo(0.8);
        assertThat(report.flaggedShare()).as("share of the day's events flagged").isLessThan(0.05);
        assertThat(report.top()).hasSizeLessThanOrEqualTo(BacktestReport.TOP).isNotEmpty();
        assertThat(Files.readString(Path.of("target", "backtest", "backtest.json"))).contains("\"flaggedShare\"");
    }
}
