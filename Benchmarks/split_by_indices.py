"""Writes the train and held-out parts of a data file given the held-out row indices that
Benchmarks/reference_train.py used (--split-out), so Finch trains and evaluates on exactly the
same rows as the reference. Standard library only.

  split_by_indices.py csv  DATA.csv  HELDOUT.json OUT_TRAIN.csv OUT_DEV.csv
  split_by_indices.py conll DATA.bio HELDOUT.json OUT_TRAIN.bio OUT_DEV.bio [MAX_SENTENCES]
"""
import csv
import json
import sys

kind, data, heldout_file, out_train, out_dev = sys.argv[1:6]
held = set(json.load(open(heldout_file)))
if kind == "csv":
    with open(data, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    for path, keep in ((out_train, False), (out_dev, True)):
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(r for i, r in enumerate(rows) if (i in held) == keep)
else:
    limit = int(sys.argv[6]) if len(sys.argv) > 6 else None
    sentences, current = [], []
    for line in open(data, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.strip():
            current.append(line)
        elif current:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    if limit:
        sentences = sentences[:limit]
    for path, keep in ((out_train, False), (out_dev, True)):
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n\n".join("\n".join(s) for i, s in enumerate(sentences) if (i in held) == keep) + "\n")
