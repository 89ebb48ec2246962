package io.txwatch.anomaly;

/** How urgently an analyst should look at an anomaly, lowest first. */
public enum Severity {
    LOW,
    MODERATE,
    HIGH,
    CRITICAL
}
