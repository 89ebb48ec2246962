-- A read-only role for Grafana's PostgreSQL data source (grafana/provisioning): it may read anomalies, transactions and
-- the catalog, and write nothing. NOLOGIN: an operator gives it to a login of their own, with a password kept in
-- their secret store, for example
--   CREATE ROLE grafana LOGIN PASSWORD '...' IN ROLE txwatch_reader;
-- A database user without the right to create roles leaves it to the operator instead of failing the migration.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'txwatch_reader') THEN
        CREATE ROLE txwatch_reader NOLOGIN;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO txwatch_reader', current_database());
    GRANT USAGE ON SCHEMA public TO txwatch_reader;
    GRANT SELECT ON anomaly, transaction, processed_transaction, product TO txwatch_reader;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'txwatch_reader not created or granted (%): create it as described in docs/operations.md', SQLERRM;
END
$$;
