package io.txwatch.detect;

import java.util.Map;

import io.txwatch.anomaly.AnomalyType;

/**
 * One detector's observation about one event, as an anomaly carries it among its contributing signals.
 *
 * @param kind the detector that saw it
 * @param strength how surprising it is under its baseline, on the common {@link Strength} scale
 * @param alarm whether it passed its detector's own thresholds, and so is an anomaly by itself
 * @param explanation the detector's sentence about it
 * @param evidence the numbers behind it
 */
public record Signal(AnomalyType kind, double strength, boolean alarm, String explanation, Map<String, Object> evidence) {
}
