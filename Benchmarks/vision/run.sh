#!/usr/bin/env bash
# Digits benchmark: Finch's LeNet vs the same network and recipe in PyTorch, side by side in one
# run, 2 threads each. Writes the PNG folders once (Scripts/make_digits_folders.py), builds the
# release benchmark, then runs both for the same seeds and prints the table.
# Usage: Benchmarks/vision/run.sh [epochs] [seeds, comma-separated]
set -euo pipefail
cd "$(dirname "$0")/../.."
EPOCHS=${1:-20}
SEEDS=${2:-1,2,3}
PY=${PYTHON:-/tmp/ref/bin/python}
DATA=.build/digits
[ -d "$DATA/train" ] || "$PY" Scripts/make_digits_folders.py --out "$DATA"
[ -n "${FINCH_SKIP_BUILD:-}" ] || swift build -c release --product VisionBenchmarks >/dev/null
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(lscpu | grep 'Model name' | sed 's/  */ /g')"
FINCH_NUM_THREADS=2 OMP_NUM_THREADS=2 .build/release/VisionBenchmarks --data "$DATA" --epochs "$EPOCHS" --seeds "$SEEDS" | tee -a "$OUT"
OMP_NUM_THREADS=2 "$PY" Benchmarks/vision/lenet_reference.py --data "$DATA" --epochs "$EPOCHS" --seeds ${SEEDS//,/ } --threads 2 | tee -a "$OUT"
"$PY" - "$OUT" <<'PYEOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def agg(impl, key):
    return statistics.median(r[key] for r in rows if r["impl"] == impl), statistics.mean(r[key] for r in rows if r["impl"] == impl)
fa, pa = agg("finch", "accuracy")[1], agg("pytorch", "accuracy")[1]
fe, pe = agg("finch", "seconds_per_epoch")[0], agg("pytorch", "seconds_per_epoch")[0]
fi, pi = agg("finch", "images_per_second")[0], agg("pytorch", "images_per_second")[0]
print("| | Finch | PyTorch | ratio |")
print("|---|---|---|---|")
print(f"| held-out accuracy (mean of {len(rows)//2} seeds) | {100*fa:.2f} % | {100*pa:.2f} % | {100*(fa-pa):+.2f} points |")
print(f"| training s/epoch (median) | {fe:.4f} | {pe:.4f} | {pe/fe:.2f}x faster |")
print(f"| inference images/s (median) | {fi:,.0f} | {pi:,.0f} | {fi/pi:.2f}x |")
PYEOF
