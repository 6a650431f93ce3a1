#!/usr/bin/env bash
# PII detection quality: Finch's recognizers against Presidio's pattern recognizers on one
# Faker-made labelled set (English and Chinese). Prints the tables for BENCHMARKS.md.
#   Benchmarks/run_pii.sh            (uses .build/debug/finch, building it when missing)
# Needs /tmp/ref/bin/python with faker and presidio-analyzer (pip install faker presidio-analyzer).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-/tmp/ref/bin/python}
FINCH=${FINCH:-.build/debug/finch}
[ -x "$FINCH" ] || swift build --product finch
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$PY" Benchmarks/pii_dataset.py "$WORK/pii.jsonl" --seed "${SEED:-20261203}"
"$PY" -c 'import json,sys; [print(json.dumps({"text": json.loads(l)["text"]}, ensure_ascii=False)) for l in open(sys.argv[1], encoding="utf-8")]' \
    "$WORK/pii.jsonl" > "$WORK/in.jsonl"
start=$(date +%s.%N)
"$FINCH" redact --format jsonl < "$WORK/in.jsonl" > "$WORK/finch.jsonl"
end=$(date +%s.%N)
echo "Finch ($FINCH) took $(echo "$end - $start" | bc) s for $(wc -l < "$WORK/in.jsonl") texts"
"$PY" Benchmarks/pii_compare.py "$WORK/pii.jsonl" "$WORK/finch.jsonl"
