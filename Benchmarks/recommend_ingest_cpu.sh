#!/usr/bin/env bash
# Event ingest of the recommendation service, two `finch` binaries side by side (A B A B): wall events/s
# of POST /v1/events batches of 100 views at 4 connections (wrk, 10 s after a 3-s warm-up) and the CPU
# seconds the server process spent per batch (from /proc/PID/stat), which a busy machine disturbs less
# than wall time. Model and data as Benchmarks/run_recommend_serve.sh (100,000 users, 10,000 items,
# 1,000,000 views, implicit ALS with 32 factors), made once under $OUT.
#
#   BINARIES="before after" ROUNDS="1 2" Benchmarks/recommend_ingest_cpu.sh   # runs /tmp/finch-before, /tmp/finch-after
#
# Needs wrk and /tmp/ref's numpy for the data (FINCH_REF_PYTHON).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/ingest-ab}
mkdir -p "$OUT"
PY="${FINCH_REF_PYTHON:-/tmp/ref/bin/python}"
[ -s $OUT/data/ratings.csv ] || $PY Benchmarks/recommend_serve_data.py $OUT/data 100000 10000 10 7
[ -s $OUT/model/recommender.json ] || /tmp/finch-$(echo ${BINARIES:-after} | awk '{print $NF}') recommend train \
    --ratings $OUT/data/ratings.csv --implicit --algorithm als --factors 32 --epochs 10 --reg 0.01 --out $OUT/model >$OUT/train.json
TCK=$(getconf CLK_TCK)
for round in ${ROUNDS:-1 2}; do
  for which in ${BINARIES:-before after}; do
    rm -rf $OUT/finch-data
    KEY="$(/tmp/finch-$which keys create --scope write --name bench --data-dir $OUT/finch-data)"
    FINCH_RATE_LIMIT=1000000 FINCH_RATE_BURST=1000000 FINCH_RECOMMEND_MODEL=recs FINCH_RECOMMEND_EVENT_WEIGHTS=view=1 \
      FINCH_LOG_LEVEL=warning /tmp/finch-$which serve --host 127.0.0.1 --port 18099 --data-dir $OUT/finch-data \
      --model "recs=$OUT/model" 2>$OUT/finch-$which.log &
    PID=$!
    for _ in $(seq 1 1200); do curl -fsS -o /dev/null "http://127.0.0.1:18099/v1/users/u1/recommendations" -H "Authorization: Bearer $KEY" 2>/dev/null && break; sleep 0.25; done
    wrk -t 1 -c 4 -d 3 -s Benchmarks/recommend_serve_load.lua http://127.0.0.1:18099 -- events "$KEY" warmup 100000 10000 100 >/dev/null
    c0=$(awk '{print $14+$15}' /proc/$PID/stat)
    line=$(wrk -t 2 -c 4 -d 10 -s Benchmarks/recommend_serve_load.lua http://127.0.0.1:18099 -- events "$KEY" "$which" 100000 10000 100 | grep '^{')
    c1=$(awk '{print $14+$15}' /proc/$PID/stat)
    python3 -c "
import json,sys; r=json.loads('''$line'''); cpu=($c1-$c0)/$TCK
print(json.dumps({'binary': '$which', 'round': $round, 'batches': r['requests'], 'events_per_s_wall': r['events_per_s'], 'server_cpu_s': round(cpu,2), 'cpu_ms_per_batch': round(1000*cpu/max(r['requests'],1),1), 'load': open('/proc/loadavg').read().split()[:3]}))" | tee -a $OUT/cpu.jsonl
    kill -TERM $PID; wait $PID || true
  done
done
