#!/bin/bash
# PostgreSQL image init script (docker-entrypoint-initdb.d): runs once, when the data volume is first created.
# One login role and one database per app, each owned by its role; no role may connect to another's database.
# Passwords come from DB_PASSWORD_<APP> (see deploy/compose/.env.example).
set -euo pipefail

apps="${MINSHENG_DB_APPS:-gateway renovation jobs community chronic_care}"

for app in $apps; do
    var="DB_PASSWORD_$(printf '%s' "$app" | tr '[:lower:]' '[:upper:]')"
    password="${!var:-}"
    if [ -z "$password" ]; then
        echo "init-databases: $var is not set" >&2
        exit 1
    fi
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
        --set=app="$app" --set=password="$password" <<'SQL'
CREATE ROLE :"app" LOGIN PASSWORD :'password';
CREATE DATABASE :"app" OWNER :"app";
REVOKE ALL ON DATABASE :"app" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"app" TO :"app";
SQL
    echo "init-databases: role and database $app created"
done
