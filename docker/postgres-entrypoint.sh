#!/bin/sh
# The entrypoint of the local PostgreSQL stand-in (docker/make-local-images.sh): on first start it makes the
# database as the official postgres image does from POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB, then runs
# PostgreSQL in the foreground, listening on the container's network.
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
  initdb --pgdata="$PGDATA" --username="$user" --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 > /dev/null
  rm /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$db" != "postgres" ]; then
    pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses=''" --wait start > /dev/null
    psql --username="$user" --dbname=postgres --quiet --command="create database \"$db\""
    pg_ctl --pgdata="$PGDATA" --wait stop > /dev/null
  fi
fi
exec postgres -D "$PGDATA" -c listen_addresses='*'
