-- Every transaction id the pipeline has processed, kept whatever the raw-storage switch says: a redelivered
-- or replayed event is recognised here and neither stored nor scored twice.
CREATE TABLE processed_transaction (
    transaction_id text        PRIMARY KEY,
    occurred_at    timestamptz NOT NULL,
    processed_at   timestamptz NOT NULL
);
CREATE INDEX processed_transaction_processed_at_idx ON processed_transaction (processed_at);

-- The raw transactions, when txwatch.store.raw-transactions is on. The columns the API filters on are
-- columns; the whole normalised event is kept as JSON.
CREATE TABLE transaction (
    transaction_id text          PRIMARY KEY,
    occurred_at    timestamptz   NOT NULL,
    customer_id    text          NOT NULL,
    status         text          NOT NULL,
    amount         numeric(19,4) NOT NULL,
    currency       char(3)       NOT NULL,
    channel        text          NOT NULL,
    event          jsonb         NOT NULL
);
CREATE INDEX transaction_occurred_at_idx ON transaction (occurred_at DESC, transaction_id DESC);
CREATE INDEX transaction_customer_idx ON transaction (customer_id, occurred_at DESC);
CREATE INDEX transaction_failed_idx ON transaction (occurred_at DESC, transaction_id DESC) WHERE status = 'FAILED';

-- The product catalog that price detection compares against.
CREATE TABLE product (
    sku        text          PRIMARY KEY,
    name       text          NOT NULL,
    category   text          NOT NULL,
    list_price numeric(19,4) NOT NULL CHECK (list_price >= 0),
    currency   char(3)       NOT NULL,
    updated_at timestamptz   NOT NULL
);
