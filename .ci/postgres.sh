# Sourced by .ci/run: a throwaway PostgreSQL server from Debian's packages for the database tests.
# Exports TRACKER_TEST_POSTGRES_URL (tests marked `db` then run on SQLite and on PostgreSQL) and
# stops the server when the run ends.

_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1
}

_as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgres() {
    local bin port
    bin=$(_pg_bin)
    if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
        echo "ci: installing PostgreSQL from Debian's packages" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q postgresql >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null 2>&1; } \
            || true
        bin=$(_pg_bin)
    fi
    if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
        echo "ci: WARNING: PostgreSQL could not be installed; the database tests run on SQLite only" >&2
        return 0
    fi
    PG_DIR=$(mktemp -d /tmp/tracker-ci-pg.XXXXXX)
    chmod 755 "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    _as_postgres "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync >/dev/null
    _as_postgres "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o \
        "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    trap stop_postgres EXIT
    _as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres tracker_test
    export TRACKER_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/tracker_test"
    echo "ci: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port for the database tests" >&2
}

stop_postgres() {
    _as_postgres "$(_pg_bin)/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}
