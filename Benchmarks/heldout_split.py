"""Writes the held-out indices of reference_train.py's split without training the reference.

Usage: heldout_split.py DATA.csv OUT.json [FRACTION] [SEED]   (defaults 0.1 and 42, reference_train.py's)
The same seeded permutation as `reference_train.py classify --split-out`, so Finch's runs
(Benchmarks/run_finetune.sh) train and evaluate on the rows the Hugging Face Trainer used.
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_train import heldout_split, write_split  # noqa: E402

path, out = sys.argv[1], sys.argv[2]
fraction = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
with open(path, encoding="utf-8", newline="") as f:
    count = sum(1 for _ in csv.DictReader(f))
train, held = heldout_split(count, fraction, seed)
write_split(out, held)
print(f"{len(train)} train, {len(held)} held out -> {out}", file=sys.stderr)
