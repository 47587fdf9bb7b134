# Sourced by .ci/run: a throw-away PostgreSQL server on localhost for the store tests.
# Installs Debian's postgresql package when run as root (apt-get), starts a server from
# a fresh data directory on a free port, creates a database and exports
# PATHWAYS_TEST_POSTGRES_URL; the server stops and its directory goes when the shell exits.
# Where that cannot be done it says why and the PostgreSQL tests skip (they name the reason).
# A PATHWAYS_TEST_POSTGRES_URL already set is used as it is.

pg_log() { echo "ci/postgres: $*" >&2; }

pg_install() {
    if [ "$(id -u)" != 0 ]; then
        pg_log "not root: skipping apt-get; using a PostgreSQL already installed, if any"
        return 0
    fi
    if ! command -v apt-get >/dev/null; then
        pg_log "no apt-get here: using a PostgreSQL already installed, if any"
        return 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || pg_log "apt-get update failed; trying the install anyway"
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null \
        || pg_log "apt-get install postgresql failed"
}

pg_bin() {  # the newest server binaries Debian installed
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
    if [ -n "${PATHWAYS_TEST_POSTGRES_URL:-}" ]; then
        pg_log "using PATHWAYS_TEST_POSTGRES_URL as given"
        return 0
    fi
    pg_install
    local bin
    bin=$(pg_bin) || true
    if [ -z "$bin" ]; then
        pg_log "PostgreSQL is not installed: its store tests will be skipped"
        return 0
    fi
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pathways-ci-pg.XXXXXX")
    local run=()
    if [ "$(id -u)" = 0 ]; then
        # initdb and the server refuse to run as root: run them as the postgres user.
        if ! id postgres >/dev/null 2>&1; then
            pg_log "running as root without a postgres user: its store tests will be skipped"
            return 0
        fi
        chown postgres "$PG_DIR"
        run=(runuser -u postgres --)
    fi
    local port
    port=$(pg_free_port)
    trap pg_stop EXIT
    if ! "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U pathways -A trust --no-sync \
            -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
        pg_log "initdb failed ($(tail -n 1 "$PG_DIR/initdb.log")): its store tests will be skipped"
        return 0
    fi
    if ! "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" \
            start >/dev/null; then
        pg_log "the server did not start ($(tail -n 1 "$PG_DIR/server.log")): its store tests will be skipped"
        return 0
    fi
    PG_CTL=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data")
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U pathways pathways_test
    export PATHWAYS_TEST_POSTGRES_URL="postgresql+psycopg://pathways@127.0.0.1:$port/pathways_test"
    pg_log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

pg_stop() {
    if [ -n "${PG_CTL:-}" ]; then
        "${PG_CTL[@]}" -m fast -w stop >/dev/null 2>&1 || true
        PG_CTL=()
    fi
    if [ -n "${PG_DIR:-}" ]; then
        rm -rf "$PG_DIR"
        PG_DIR=
    fi
}
