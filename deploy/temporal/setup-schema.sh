#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the version that
# ships with this admin-tools image. Safe to run on every `docker compose up`: each step
# is idempotent (existing databases are kept, applied schema versions are skipped).
# Connection settings come from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD.
set -eu

schema_dir=/etc/temporal/schema/postgresql/v12

setup() {
  database=$1
  versioned_dir=$2
  echo "Temporal schema: $database"
  temporal-sql-tool --db "$database" create-database
  temporal-sql-tool --db "$database" setup-schema -v 0.0
  temporal-sql-tool --db "$database" update-schema -d "$versioned_dir"
}

setup temporal "$schema_dir/temporal/versioned"
setup temporal_visibility "$schema_dir/visibility/versioned"
echo 'Temporal schema: up to date'
