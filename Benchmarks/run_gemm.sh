#!/usr/bin/env bash
# GEMM GFLOP/s side by side in one run: Finch's kernel, OpenBLAS with the core it picks by itself and
# with OPENBLAS_CORETYPE=SkylakeX (each threaded by Finch, and by OpenBLAS itself), and torch.matmul,
# on the BERT shapes (4096x384x384, 4096x1536x384, 4096x384x1536; NT, NN, TN as Linear uses) at 1 and
# 2 threads. Usage: Benchmarks/run_gemm.sh [RUNS] (default 3; each figure is a median of 7 calls inside
# a run, the table the median over runs). Needs the reference venv (PYTHON, default /tmp/ref/bin/python).
# FINCH_BENCH_CLOCK=cpu times process CPU seconds instead of wall seconds (for machines whose cores
# other jobs share: the table is then GFLOP per CPU-second).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
PY="${PYTHON:-/tmp/ref/bin/python}"
swift build -c release --product FinchBenchmarks >&2
out=$(mktemp -d)
lscpu | grep -E "^(Model name|CPU family|Model|Flags)" | sed 's/^Flags:.*\(avx512[a-z_0-9]* \).*/Flags: (avx512 present)/' >&2
for i in $(seq "$RUNS"); do
    env -u OPENBLAS_CORETYPE .build/release/FinchBenchmarks matmul > "$out/finch.$i"
    env OPENBLAS_CORETYPE=SkylakeX .build/release/FinchBenchmarks matmul > "$out/finch_skx.$i"
    env -u OPENBLAS_CORETYPE "$PY" Benchmarks/torch_gemm.py 1 2 > "$out/torch.$i"
done
python3 Benchmarks/gemm_table.py "$out" "$RUNS"
