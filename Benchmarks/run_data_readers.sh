#!/usr/bin/env bash
# FinchTrain's data readers vs Python (csv module, pandas, a BIO loop) on the same files, one session.
# Figures are median CPU seconds of 5 reads (wall time is in Finch's extra column): this machine is shared.
# Usage: Benchmarks/run_data_readers.sh [CSV] [BIO]   (defaults: ../shared/data rotten tomatoes and MSRA)
# Needs the reference venv for the Python side (PYTHON, default /tmp/ref/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
CSV="${1:-../shared/data/sentiment-en/rotten_tomatoes_train.csv}"
BIO="${2:-../shared/data/ner-zh/msra_train.bio}"
PY="${PYTHON:-/tmp/ref/bin/python}"
swift build -c release --product FinchTrainBenchmarks >&2
finch=$(.build/release/FinchTrainBenchmarks "$CSV" "$BIO" 5)
python=$("$PY" Benchmarks/data_readers.py "$CSV" "$BIO" 5)
printf '%s\n%s\n' "$finch" "$python"
sec() { printf '%s\n%s\n' "$finch" "$python" | awk -F'\t' -v n="$1" '$1==n {print $2}'; }
awk -v f="$(sec csv_read)" -v c="$(sec py_csv_module)" -v p="$(sec py_pandas_read_csv)" \
    -v b="$(sec bio_read)" -v l="$(sec py_bio_loop)" 'BEGIN {
    printf "\nCSV  Finch %.3f s | csv module %.3f s (%.1fx)", f, c, c/f
    if (p != "") printf " | pandas %.3f s (%.1fx)", p, p/f
    printf "\n"
    printf "BIO  Finch %.3f s | Python loop %.3f s (%.1fx)\n", b, l, l/b }'
