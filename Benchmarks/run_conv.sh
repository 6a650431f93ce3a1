#!/usr/bin/env bash
# Convolution speed, Finch and PyTorch side by side in one run: a LeNet training step on 64×1×8×8 and
# 64×1×28×28 batches, LeNet inference, and one convolution's forward + backward against its GEMMs.
# Usage: Benchmarks/run_conv.sh [RUNS]   (default 3; each figure is a median inside a run, the table the
# median over runs). Needs the reference venv (PYTHON, default /tmp/ref/bin/python). Both sides use THREADS threads
# (default 2). FINCH_BENCH_CLOCK=cpu times both sides in process CPU seconds instead of wall seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
PY="${PYTHON:-/tmp/ref/bin/python}"
THREADS="${THREADS:-2}"
swift build -c release --product ConvBenchmarks >&2
out=$(mktemp -d)
for i in $(seq "$RUNS"); do
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE FINCH_NUM_THREADS="$THREADS" .build/release/ConvBenchmarks > "$out/finch.$i"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE FINCH_NUM_THREADS="$THREADS" "$PY" Benchmarks/conv_reference.py > "$out/torch.$i"
done
python3 Benchmarks/compare.py "$out" "$RUNS"
grep -h "GFLOP" "$out"/finch.* | sort | uniq -c | sed 's/^/# /'
rm -rf "$out"
