#!/bin/sh
# Runs once, when the database is created: a login for Grafana in the read-only role txwatch_reader, which txwatch's
# migration V6 grants SELECT on the anomalies and the catalog when txwatch first starts.
set -eu
# the password as a psql variable, quoted by psql, whatever characters it holds
psql -v ON_ERROR_STOP=1 -v password="$GRAFANA_DB_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE txwatch_reader NOLOGIN;
CREATE ROLE grafana LOGIN PASSWORD :'password' IN ROLE txwatch_reader;
SQL
