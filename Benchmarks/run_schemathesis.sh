#!/usr/bin/env bash
# Schemathesis against the live `finch serve` (release) and the OpenAPI document it serves at
# /openapi.yaml, with a valid admin key: every check (no 5xx, status codes, content types, headers
# and bodies as documented, 405 with Allow for undeclared methods, …) over the examples, coverage
# and fuzzing phases. The service has the tiny test embedder registered as `mini`, so generated
# requests that name it reach the model. Prints schemathesis's summary, then the requests it sent
# and their status codes (counted from its HAR report of every request and response).
#
#   Benchmarks/run_schemathesis.sh              # EXAMPLES=60 per operation, SEED=1
#   EXAMPLES=200 SEED=7 Benchmarks/run_schemathesis.sh
#
# Needs: schemathesis in FINCH_REF_PYTHON (default /tmp/ref/bin/python; pip-installed when missing).
# FINCH=path skips the release build and runs that binary. Exit status: schemathesis's.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${FINCH_REF_PYTHON:-/tmp/ref/bin/python}"
EXAMPLES="${EXAMPLES:-60}"
SEED="${SEED:-1}"
PORT="${PORT:-18092}"
OUT="$PWD/.build/bench-schemathesis"
CONFIG="$PWD/Benchmarks/schemathesis.toml"  # two expected-status lists, each with its reason
rm -rf "$OUT"
mkdir -p "$OUT/mini"

"$PY" -c "import schemathesis" 2>/dev/null || "$PY" -m pip install -q schemathesis
if [ -z "${FINCH:-}" ]; then
    swift build -c release --product finch >&2
    FINCH="$PWD/.build/release/finch"
fi
# The tiny test embedder (hidden 32, vocabulary 99) from the committed fixtures.
cp Tests/Fixtures/tiny-bert-wordpiece/{config.json,model.safetensors,vocab.txt,tokenizer_config.json} "$OUT/mini/"

ADMIN="$("$FINCH" keys create --scope admin --name schemathesis --data-dir "$OUT/finch-data")"
FINCH_RATE_LIMIT=1000000 FINCH_RATE_BURST=1000000 "$FINCH" serve --host 127.0.0.1 --port "$PORT" \
    --data-dir "$OUT/finch-data" --model "mini=$OUT/mini" 2>"$OUT/finch.log" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    kill -0 $PID 2>/dev/null || { echo "finch serve exited; see $OUT/finch.log" >&2; exit 1; }
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done

echo "load before: $(cat /proc/loadavg)" >&2
set +e
(cd "$OUT" && "$PY" -m schemathesis.cli --config-file "$CONFIG" run "http://127.0.0.1:$PORT/openapi.yaml" --url "http://127.0.0.1:$PORT" \
    -H "Authorization: Bearer $ADMIN" --checks all --max-examples "$EXAMPLES" --seed "$SEED" --workers 1 \
    --request-timeout 30 --report har --report-har-path "$OUT/requests.har" 2>&1 | tee "$OUT/schemathesis.txt")
RC=${PIPESTATUS[0]}
set -e
echo "load after: $(cat /proc/loadavg)" >&2
kill -TERM $PID
wait $PID || true
trap - EXIT
"$PY" - "$OUT/requests.har" <<'PYEOF'
import collections, json, sys
entries = json.load(open(sys.argv[1]))["log"]["entries"]
statuses = collections.Counter(e["response"]["status"] for e in entries)
print(f"requests sent: {len(entries)}; 5xx: {sum(n for s, n in statuses.items() if s >= 500)}; "
      f"by status: {dict(sorted(statuses.items()))}")
PYEOF
echo "schemathesis exit $RC; server log: $OUT/finch.log"
exit "$RC"
