-- An anomaly that grows while it lasts (an episode of abnormal sales) is stored once and updated: revision counts its
-- updates so that a replayed, older judgement never overwrites a newer one, and updated_at says when it last changed.
ALTER TABLE anomaly ADD COLUMN revision integer NOT NULL DEFAULT 0;
ALTER TABLE anomaly ADD COLUMN updated_at timestamptz;
UPDATE anomaly SET updated_at = detected_at;
ALTER TABLE anomaly ALTER COLUMN updated_at SET NOT NULL;
