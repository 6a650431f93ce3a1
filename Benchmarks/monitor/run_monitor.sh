#!/usr/bin/env bash
# Monitor benchmarks (issue 14): detection quality per detector on generated
# streams, and ingest throughput of Finch against the Python way, side by
# side in one run.
#
# Usage: Benchmarks/monitor/run_monitor.sh [WORK_DIR]   (from the repository root, after
#        swift build -c release --product finch --product MonitorBenchmarks)
# Needs: FINCH_MINILM_DIR (all-MiniLM-L6-v2), /work/shared/data (or FINCH_DATA),
#        the reference venv /tmp/ref (or REF_PYTHON) with transformers, torch and pandas.
set -euo pipefail
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-/tmp/monitor-bench}
DATA=${FINCH_DATA:-/work/shared/data}
PY=${REF_PYTHON:-/tmp/ref/bin/python}
BIN=$ROOT/.build/release
HERE=$ROOT/Benchmarks/monitor
: "${FINCH_MINILM_DIR:?set FINCH_MINILM_DIR to the all-MiniLM-L6-v2 folder}"
mkdir -p "$WORK"
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') load: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. Data: train/dev/pool split of Rotten Tomatoes, and four streams (null, jump, spike, drift).
[ -f "$WORK/data/pool.csv" ] || python3 "$HERE/prepare_data.py" --data "$DATA" --out "$WORK/data"
seed=1
for e in none jump spike drift; do
  seed=$((seed + 1))
  [ -f "$WORK/stream-$e.jsonl" ] || python3 "$HERE/generate_stream.py" --pool "$WORK/data/pool.csv" \
    --out "$WORK/stream-$e.jsonl" --events "$e" --seed "$seed"
done

# 2. The sentiment classifier fine-tuned by Finch (all-MiniLM-L6-v2, 1 epoch on 3,000 texts),
#    and a tagger fine-tuned by Finch on WNUT-16 (1 epoch) for the throughput run.
[ -f "$WORK/classifier/config.json" ] || "$BIN/finch" train classify --model "$FINCH_MINILM_DIR" \
  --train "$WORK/data/train.csv" --dev "$WORK/data/dev.csv" --out "$WORK/classifier" \
  --epochs 1 --batch-size 32 --max-length 64 --lr 5e-5 --seed 7
[ -f "$WORK/tagger/config.json" ] || "$BIN/finch" train ner --model "$FINCH_MINILM_DIR" \
  --train "$DATA/ner-en/wnut16_train.bio" --out "$WORK/tagger" --epochs 1 --batch-size 32 --max-length 64 --lr 5e-5 --seed 7

# 3. The pool classified once; detection per detector on every stream.
[ -f "$WORK/pool-predictions.jsonl" ] || "$BIN/finch" predict --model "$WORK/classifier" --format text \
  < "$WORK/data/pool.txt" > "$WORK/pool-predictions.jsonl"
for e in none jump spike drift; do
  events=()
  [ "$e" = none ] || events=(--events "$WORK/stream-$e.events.json")
  echo "## detect $e"
  "$BIN/MonitorBenchmarks" detect --stream "$WORK/stream-$e.jsonl" --predictions "$WORK/pool-predictions.jsonl" \
    --rules "$HERE/rules.json" --watchlist "$WORK/stream-$e.watchlist.json" "${events[@]}" | tee "$WORK/detect-$e.jsonl"
done

# 4. Throughput: the same first N documents through Finch and through the Python way.
N=${MONITOR_DOCS:-2000}
echo "## throughput ($N documents, sentiment + tagger + aggregation)"
"$BIN/MonitorBenchmarks" throughput --classifier "$WORK/classifier" --tagger "$WORK/tagger" \
  --stream "$WORK/stream-jump.jsonl" --rules "$HERE/rules.json" --watchlist "$WORK/stream-jump.watchlist.json" \
  --count "$N" | tee "$WORK/throughput-finch.json"
"$PY" "$HERE/monitor_reference.py" --classifier "$WORK/classifier" --tagger "$WORK/tagger" \
  --stream "$WORK/stream-jump.jsonl" --watchlist "$WORK/stream-jump.watchlist.json" --count "$N" --max-length 64 \
  | tee "$WORK/throughput-python.json"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
f = json.load(open(f"{w}/throughput-finch.json")); p = json.load(open(f"{w}/throughput-python.json"))
print(f"finch {f['documents_per_second']:.1f} docs/s, python {p['documents_per_second']:.1f} docs/s, "
      f"ratio {f['documents_per_second'] / p['documents_per_second']:.2f}x; bucket close {f['close_seconds'] * 1000:.1f} ms")
PY
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
