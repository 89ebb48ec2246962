package io.txwatch.anomaly;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of anomalies, newest first. */
public record AnomalyPage(
        List<AnomalyView> items,
        @Schema(description = "Pass as 'cursor' for the next page; absent on the last page") String nextCursor) {
}
