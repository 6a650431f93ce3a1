#!/usr/bin/env bash
# The recommendation service under load, side by side in one run: `finch serve` (release) serving an
# implicit ALS recommender against implicit's ALS behind FastAPI + uvicorn (1 worker), both trained on the
# same synthetic data (100,000 users, 10,000 items, 10 views each: Benchmarks/recommend_serve_data.py).
# wrk sends GET /v1/users/{random user}/recommendations?k=10 at 1 and 16 connections (p50/p99), then
# POST /v1/events batches of BATCH views of random known users (events/s with fold-in on: Finch stores
# each batch in SQLite with synchronous=FULL before it answers and re-solves each user's row; the
# reference re-solves with model.recalculate_user and stores nothing).
#
#   Benchmarks/run_recommend_serve.sh            # DURATION=15 s per run, WARMUP=3, BATCH=100
#   FINCH=.build/release/finch Benchmarks/run_recommend_serve.sh
#
# Needs wrk and a Python with implicit, fastapi, uvicorn, numpy, scipy (FINCH_REF_PYTHON, default /tmp/ref/bin/python).
# Results: BENCHMARKS.md, "Recommendation service under load".
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${FINCH_REF_PYTHON:-/tmp/ref/bin/python}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
BATCH="${BATCH:-100}"
USERS="${USERS:-100000}"
ITEMS="${ITEMS:-10000}"
FACTORS="${FACTORS:-32}"
ITERATIONS="${ITERATIONS:-10}"
OUT="$PWD/.build/bench-recommend-serve"
RESULTS="$OUT/results.jsonl"
PORT_FINCH=18095
PORT_REF=18096
mkdir -p "$OUT"
: > "$RESULTS"
if [ -z "${FINCH:-}" ]; then
    swift build -c release --product finch >&2
    FINCH="$PWD/.build/release/finch"
fi
SERVER_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

[ -s "$OUT/data/ratings.csv" ] || "$PY" Benchmarks/recommend_serve_data.py "$OUT/data" "$USERS" "$ITEMS" 10 7
if [ ! -s "$OUT/model/recommender.json" ]; then
    echo "bench: training Finch's ALS ($FACTORS factors, $ITERATIONS iterations)" >&2
    "${SERVER_ENV[@]}" "$FINCH" recommend train --ratings "$OUT/data/ratings.csv" --implicit --algorithm als \
        --factors "$FACTORS" --epochs "$ITERATIONS" --reg 0.01 --out "$OUT/model" >"$OUT/train.json"
fi

wait_ready() {
    for _ in $(seq 1 1200); do
        curl -fsS -o /dev/null "$1" -H "Authorization: Bearer ${2:-}" 2>/dev/null && return 0
        sleep 0.25
    done
    echo "bench: $1 never answered" >&2
    return 1
}

run_load() { # label mode url key connections
    wrk -t 1 -c "$5" -d "$WARMUP" -s Benchmarks/recommend_serve_load.lua "$3" -- "$2" "$4" warmup "$USERS" "$ITEMS" "$BATCH" >/dev/null
    wrk -t "$(( $5 < 2 ? 1 : 2 ))" -c "$5" -d "$DURATION" -s Benchmarks/recommend_serve_load.lua "$3" -- "$2" "$4" "$1" "$USERS" "$ITEMS" "$BATCH" |
        grep '^{' | tee -a "$RESULTS"
}

# Finch
rm -rf "$OUT/finch-data"
KEY="$("$FINCH" keys create --scope write --name bench --data-dir "$OUT/finch-data")"
"${SERVER_ENV[@]}" FINCH_RATE_LIMIT=1000000 FINCH_RATE_BURST=1000000 FINCH_RECOMMEND_MODEL=recs \
    FINCH_RECOMMEND_EVENT_WEIGHTS=view=1 FINCH_LOG_LEVEL=warning \
    "$FINCH" serve --host 127.0.0.1 --port "$PORT_FINCH" --data-dir "$OUT/finch-data" --model "recs=$OUT/model" 2>"$OUT/finch.log" &
FINCH_PID=$!
trap 'kill $FINCH_PID 2>/dev/null || true; kill ${REF_PID:-0} 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$PORT_FINCH/v1/users/u1/recommendations" "$KEY"
for c in 1 16; do run_load "finch c=$c" recommend "http://127.0.0.1:$PORT_FINCH" "$KEY" "$c"; done
run_load "finch events c=4" events "http://127.0.0.1:$PORT_FINCH" "$KEY" 4
kill -TERM $FINCH_PID; wait $FINCH_PID || true

# Reference
"${SERVER_ENV[@]}" OPENBLAS_NUM_THREADS=1 "$PY" Benchmarks/recommend_serve_reference.py "$OUT/data/ratings.csv" "$PORT_REF" \
    "$FACTORS" "$ITERATIONS" 2>"$OUT/reference.log" &
REF_PID=$!
wait_ready "http://127.0.0.1:$PORT_REF/v1/users/u1/recommendations"
for c in 1 16; do run_load "implicit+fastapi c=$c" recommend "http://127.0.0.1:$PORT_REF" "" "$c"; done
run_load "implicit+fastapi events c=4" events "http://127.0.0.1:$PORT_REF" "" 4
kill -TERM $REF_PID; wait $REF_PID || true

"$PY" - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"| run | requests/s | events/s | p50 ms | p99 ms | errors |")
print(f"|---|---:|---:|---:|---:|---:|")
for r in rows:
    errors = r["errors_status"] + r["errors_connect"] + r["errors_read"] + r["errors_timeout"]
    events = f'{r["events_per_s"]:.0f}' if r["mode"] == "events" else "–"
    print(f'| {r["label"]} | {r["requests_per_s"]:.0f} | {events} | {r["p50_ms"]:.2f} | {r["p99_ms"]:.2f} | {errors} |')
PY
