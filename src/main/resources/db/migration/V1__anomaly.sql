-- What the detectors find. dedup_key names the finding (its type and the transaction or time bucket it is
-- about), so that a redelivered or replayed event cannot store the same anomaly twice.
CREATE TABLE anomaly (
    id             uuid             PRIMARY KEY,
    dedup_key      text             NOT NULL UNIQUE,
    type           text             NOT NULL,
    severity       text             NOT NULL,
    score          double precision NOT NULL,
    detected_at    timestamptz      NOT NULL,
    occurred_at    timestamptz      NOT NULL,
    transaction_id text,
    customer_id    text,
    sku            text,
    explanation    text             NOT NULL,
    evidence       jsonb            NOT NULL
);

-- The API lists newest first and pages with an (occurred_at, id) cursor, optionally within one type.
CREATE INDEX anomaly_occurred_at_idx ON anomaly (occurred_at DESC, id DESC);
CREATE INDEX anomaly_type_occurred_at_idx ON anomaly (type, occurred_at DESC, id DESC);
CREATE INDEX anomaly_customer_idx ON anomaly (customer_id, occurred_at DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX anomaly_sku_idx ON anomaly (sku, occurred_at DESC) WHERE sku IS NOT NULL;
