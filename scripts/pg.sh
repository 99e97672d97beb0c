#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, for CI and the benchmark.
#   bench/pg.sh start DIR PORT   -> prints the DATABASE_URL to use
#   bench/pg.sh stop DIR
# Uses Debian's postgresql packages (apt-get install -y postgresql). The cluster runs as the
# `postgres` user (initdb refuses root) in DIR, listens on 127.0.0.1 only, and trades
# durability for speed (fsync off): it holds test and benchmark data, nothing else.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data dir}
mkdir -p "$dir" && dir=$(cd "$dir" && pwd)  # absolute: the server runs from its own directory
port=${3:-5433}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
        # C.UTF-8: byte-order collation (fast, stable) and Unicode character classes.
        as_pg "$bin/initdb" -D "$dir" -U postgres -E UTF8 --locale=C.UTF-8 -A trust --no-sync >/dev/null
    fi
    as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1 || as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w start -o \
        "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB -c max_connections=200" >/dev/null
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT 'x' FROM pg_roles WHERE rolname = 'newsroom';
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsroom') THEN
    CREATE ROLE newsroom LOGIN SUPERUSER PASSWORD 'newsroom';
  END IF;
END \$\$;
SQL
    if ! as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtA \
        -c "SELECT 1 FROM pg_database WHERE datname = 'newsroom'" | grep -q 1; then
        as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres -O newsroom newsroom
    fi
    echo "postgres://newsroom:newsroom@127.0.0.1:$port/newsroom"
    ;;
stop)
    [ -f "$dir/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
