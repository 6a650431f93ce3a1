"""Splits the shared Rotten Tomatoes set (fresh / rotten / plot) into a
training and a dev set for the benchmark's sentiment classifier, and a
held-out pool of texts the stream generator draws from.

Labels: rotten -> negative, plot (objective plot sentences) -> neutral,
fresh -> positive. Plot synopses are cut to their first sentences (at most
300 characters) so every text reads like a post or a headline.

Usage: prepare_data.py --data /work/shared/data --out DIR [--seed 7]
Writes DIR/train.csv, DIR/dev.csv, DIR/pool.csv (text,label) and DIR/pool.txt
(one text a line, for `finch predict --format text`).
"""
import argparse
import csv
import os
import random

LABELS = {"rotten": "negative", "plot": "neutral", "fresh": "positive"}


def clip(text, limit=300):
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > 80 else cut.rsplit(" ", 1)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--train", type=int, default=3000)
    ap.add_argument("--dev", type=int, default=500)
    ap.add_argument("--pool", type=int, default=3000)
    args = ap.parse_args()
    path = os.path.join(args.data, "sentiment-en", "rotten_tomatoes_train.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = [(clip(r["text"]), LABELS[r["label"]]) for r in csv.DictReader(f)]
    rows = [r for r in rows if r[0]]
    random.Random(args.seed).shuffle(rows)
    pool = rows[: args.pool]
    train = rows[args.pool : args.pool + args.train]
    dev = rows[args.pool + args.train : args.pool + args.train + args.dev]
    os.makedirs(args.out, exist_ok=True)
    for name, part in (("train", train), ("dev", dev), ("pool", pool)):
        with open(os.path.join(args.out, name + ".csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["text", "label"])
            w.writerows(part)
    with open(os.path.join(args.out, "pool.txt"), "w", encoding="utf-8") as f:
        for text, _ in pool:
            f.write(text.replace("\n", " ") + "\n")
    print(f"train {len(train)}, dev {len(dev)}, pool {len(pool)} (seed {args.seed})")


if __name__ == "__main__":
    main()
