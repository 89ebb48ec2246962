-- Anomalies carry their risk: the alarm's strength (a detector's own, or a typology's combined risk), the typology that
-- raised it (null for a single detector's alarm), and every signal seen on the same event.
ALTER TABLE anomaly ADD COLUMN risk_score double precision NOT NULL DEFAULT 0;
ALTER TABLE anomaly ADD COLUMN typology text;
ALTER TABLE anomaly ADD COLUMN signals jsonb NOT NULL DEFAULT '[]'::jsonb;
CREATE INDEX anomaly_typology_occurred ON anomaly (typology, occurred_at DESC) WHERE typology IS NOT NULL;
