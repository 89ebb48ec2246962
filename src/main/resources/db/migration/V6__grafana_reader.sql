-- A read-only role for Grafana's PostgreSQL data source (grafana/provisioning): it may read the anomalies and the
-- catalog, nothing else (not the raw transactions, which hold customers' data the dashboards do not show), and write
-- nothing. NOLOGIN: an operator gives it to a login of their own, with a password kept in their secret store, e.g.
--   CREATE ROLE grafana LOGIN PASSWORD '...' IN ROLE txwatch_reader;
-- Roles belong to the whole PostgreSQL cluster, so databases of several txwatch installations in one cluster share it.
-- A database user without the right to create roles leaves it to the operator instead of failing the migration.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'txwatch_reader') THEN
        CREATE ROLE txwatch_reader NOLOGIN;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO txwatch_reader', current_database());
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO txwatch_reader', current_schema());
    GRANT SELECT ON anomaly, product TO txwatch_reader;
EXCEPTION
    -- another database of the cluster created it at the same moment: it exists, grants are this database's next start
    WHEN duplicate_object THEN
        RAISE NOTICE 'txwatch_reader was created meanwhile by another migration; grant it here as in docs/operations.md';
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'txwatch_reader not created or granted (%): create it as described in docs/operations.md', SQLERRM;
END
$$;
