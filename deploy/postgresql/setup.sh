#!/usr/bin/env bash
# Create (or update) foodtrace's PostgreSQL role and database, with a generated password.
#
#   sudo deploy/postgresql/setup.sh
#
# Creates the login role and the database it owns (UTF-8, template0), revokes the database from
# PUBLIC, and writes `FOODTRACE_DB=postgresql://ROLE:PASSWORD@HOST:PORT/DB` to the environment
# file the systemd units read (mode 0600). Run it again to rotate the password: the role and the
# data stay, the file gets the new URL (restart the services afterwards).
#
# Where PostgreSQL is: with PGHOST set, psql connects with the libpq variables (PGHOST, PGPORT,
# PGUSER, PGPASSWORD: a role allowed to create roles and databases); otherwise, as root, psql
# runs as the `postgres` OS user over the local socket.
#
# Settings (environment): FOODTRACE_DB_ROLE [foodtrace], FOODTRACE_DB_NAME [foodtrace],
# FOODTRACE_DB_ENV_FILE [/etc/foodtrace/db.env], FOODTRACE_DB_HOST and FOODTRACE_DB_PORT (what the
# services connect to) [PGHOST or 127.0.0.1, PGPORT or 5432], PSQL [psql].
# The password never appears on a command line: psql reads it from standard input.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROLE="${FOODTRACE_DB_ROLE:-foodtrace}"
DB="${FOODTRACE_DB_NAME:-foodtrace}"
ENV_FILE="${FOODTRACE_DB_ENV_FILE:-/etc/foodtrace/db.env}"
HOST="${FOODTRACE_DB_HOST:-${PGHOST:-127.0.0.1}}"
PORT="${FOODTRACE_DB_PORT:-${PGPORT:-5432}}"
PSQL="${PSQL:-psql}"

die() { printf 'setup.sh: error: %s\n' "$*" >&2; exit 1; }

[[ "$ROLE" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "role name $ROLE: use a-z, 0-9 and _"
[[ "$DB" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "database name $DB: use a-z, 0-9 and _"

# 40 characters of [A-Za-z0-9] (238 bits): safe in a URL and in SQL without quoting.
PASSWORD="$(head -c 40 < <(LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom))"
[ "${#PASSWORD}" -eq 40 ] || die "could not generate a password"

run_psql() {
    if [ -n "${PGHOST:-}" ]; then
        "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" -f -
    elif [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$PSQL" -X -q -v ON_ERROR_STOP=1 -d postgres -f -
    else
        die "set PGHOST (and PGUSER/PGPASSWORD), or run as root to use the postgres OS user"
    fi
}

{
    printf '\\set role %s\n\\set db %s\n\\set password %s\n' "$ROLE" "$DB" "$PASSWORD"
    cat "$HERE/create.sql"
} | run_psql

umask 077
mkdir -p "$(dirname "$ENV_FILE")"
tmp="$(mktemp "$ENV_FILE.XXXXXX")"
printf 'FOODTRACE_DB=postgresql://%s:%s@%s:%s/%s\n' "$ROLE" "$PASSWORD" "$HOST" "$PORT" "$DB" > "$tmp"
mv "$tmp" "$ENV_FILE"
echo "role $ROLE and database $DB ready; connection URL in $ENV_FILE (mode 0600)"
echo "next: FOODTRACE_DB from that file, then \`foodtrace db upgrade\`"
