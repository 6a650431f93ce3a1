#!/usr/bin/env bash
# Recommender benchmark: Finch next to scikit-surprise and implicit, in one run.
#
#   Benchmarks/run_recommend.sh [RATINGS_CSV] [REPEAT]
#
# RATINGS_CSV: MovieLens-100k as userId,itemId,rating,timestamp (default
# ../shared/data/movielens-100k/ratings.csv; never commit it). PYTHON: the
# interpreter with surprise and implicit (default /tmp/ref/bin/python).
# SCALE=0 skips the 10M-rating synthetic test. OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE are unset for every process here (and only here), so both
# sides get OpenBLAS's native kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
RATINGS=${1:-../shared/data/movielens-100k/ratings.csv}
REPEAT=${2:-3}
PYTHON=${PYTHON:-/tmp/ref/bin/python}
SCALE=${SCALE:-1}
run() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }

swift build -c release --product RecommendBenchmarks >&2
BIN=.build/release/RecommendBenchmarks
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== MovieLens-100k, 5-fold CV on the same shuffled folds (wall seconds for all 5 folds, median of $REPEAT) ==" >&2
run "$PYTHON" Benchmarks/recommend_reference.py folds --ratings "$RATINGS" --out "$WORK/folds.json"
run "$BIN" ml100k --ratings "$RATINGS" --folds "$WORK/folds.json" --repeat "$REPEAT" | tee "$WORK/finch.jsonl"
run "$PYTHON" Benchmarks/recommend_reference.py surprise --ratings "$RATINGS" --folds "$WORK/folds.json" --repeat "$REPEAT" \
    | tee "$WORK/reference.jsonl"

echo "== Implicit ALS, 64 factors, 15 iterations, per-user leave-last-out (median of $REPEAT) ==" >&2
run "$BIN" als --ratings "$RATINGS" --repeat "$REPEAT" | tee -a "$WORK/finch.jsonl"
run "$PYTHON" Benchmarks/recommend_reference.py implicit --ratings "$RATINGS" --repeat "$REPEAT" 2>/dev/null \
    | tee -a "$WORK/reference.jsonl"

echo "== Side by side ==" >&2
run "$PYTHON" Benchmarks/recommend_reference.py compare "$WORK/finch.jsonl" "$WORK/reference.jsonl"

if [ "$SCALE" = 1 ]; then
    echo "== Scale: 10M synthetic ratings, 200k users, 50k items ==" >&2
    run "$BIN" scale --algorithm svd
    run "$BIN" scale --algorithm als
fi
