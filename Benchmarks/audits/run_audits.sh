#!/usr/bin/env bash
# The worked audits of BENCHMARKS.md ("Audits on real groups"): a "recommended" classifier on the women's
# clothing reviews audited by age band, and ALS, item-KNN and popularity on MovieLens-100k audited by the
# users' gender and age band.
# Run: Benchmarks/audits/run_audits.sh [FINCH] [OUT_DIR]   (FINCH defaults to .build/release/finch)
# Needs /tmp/ref/bin/python with numpy and pandas for the split (Benchmarks/audits/prepare_audit_data.py).
set -euo pipefail
FINCH=${1:-.build/release/finch}
OUT=${2:-/tmp/finch-audits}
DATA=${FINCH_SHARED_DATA:-../../shared/data}
/tmp/ref/bin/python Benchmarks/audits/prepare_audit_data.py "$DATA" "$OUT"

# Reviews: TF-IDF + logistic regression (a classical head, minutes on two cores), positive class 1 = recommended.
rm -rf "$OUT/reviews-model"
"$FINCH" train classify --head logistic --features tfidf --train "$OUT/reviews_train.csv" \
    --text-column text --label-column recommended --out "$OUT/reviews-model"
"$FINCH" audit classify --model "$OUT/reviews-model" --data "$OUT/reviews_test.csv" \
    --group-column age --bands 30,40,50,60 --positive-label 1

# MovieLens-100k (the `rating` column is read by default): ALS takes each rating as its confidence weight,
# popularity counts ratings per item, item-KNN predicts the ratings. Every held-out rating is relevant.
for algorithm in als itemknn popular; do
    rm -rf "$OUT/ml-$algorithm"
    "$FINCH" recommend train --ratings "$OUT/ml_train.csv" --algorithm "$algorithm" --out "$OUT/ml-$algorithm" > /dev/null
    "$FINCH" recommend audit --model "$OUT/ml-$algorithm" --ratings "$OUT/ml_test.csv" \
        --users "$DATA/movielens-100k/users.csv" --group-column gender --out "$OUT/ml-$algorithm-gender.json"
    # The audit kept in the folder (and shown on the model card) is the one by age band.
    "$FINCH" recommend audit --model "$OUT/ml-$algorithm" --ratings "$OUT/ml_test.csv" \
        --users "$DATA/movielens-100k/users.csv" --group-column age --bands 25,35,45
done

# The classifier audit recomputed with Fairlearn from the same predictions.
/tmp/ref/bin/python Benchmarks/audits/fairlearn_check.py "$OUT" "$FINCH"
