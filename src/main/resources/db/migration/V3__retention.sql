-- Retention goes by when txwatch stored a row, not by its event time, so that a replay or backfill of old events is
-- kept as long as live ones: raw transactions get the time they were stored, anomalies already have detected_at.
ALTER TABLE transaction ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX transaction_stored_at_idx ON transaction (stored_at);
CREATE INDEX anomaly_detected_at_idx ON anomaly (detected_at);
