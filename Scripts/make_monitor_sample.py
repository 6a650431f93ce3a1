#!/usr/bin/env python3
"""Writes Examples/monitor/rotten_tomatoes_sample.csv, the demo monitor's texts: a seeded sample of
the short (at most 300 characters, one line) sentences of the shared Rotten Tomatoes file — 900
"rotten", 900 "fresh" and every short "plot" sentence (193) — as `text,label`, shuffled.

Usage: python3 Scripts/make_monitor_sample.py [../shared/data/sentiment-en/rotten_tomatoes_train.csv]
"""
import csv
import random
import sys

source = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/sentiment-en/rotten_tomatoes_train.csv"
with open(source, newline="", encoding="utf-8") as f:
    rows = [r for r in csv.DictReader(f) if len(r["text"]) <= 300 and "\n" not in r["text"]]
rng = random.Random(7)
by_label = {label: [r for r in rows if r["label"] == label] for label in ("rotten", "fresh", "plot")}
sample = rng.sample(by_label["rotten"], 900) + rng.sample(by_label["fresh"], 900) + by_label["plot"]
rng.shuffle(sample)
with open("Examples/monitor/rotten_tomatoes_sample.csv", "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f)
    writer.writerow(["text", "label"])
    for r in sample:
        writer.writerow([r["text"], r["label"]])
print(f"wrote {len(sample)} sentences", file=sys.stderr)
