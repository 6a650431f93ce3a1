"""Builds a realistic monitor stream from labelled texts.

Ten companies with aliases (names and tickers); per company an hourly volume
with a daily rhythm, lambda(h) = b * (1 + 0.5 sin(2 pi (h - 9) / 24)), with
b from 40 to 121, so every company gets 20-200 documents an hour; a base rate
of negative texts per company (0.10-0.28), neutral 0.25, the rest positive.
Each document is a pool text (drawn by its label) with one alias of its
company inserted ("AAPL: ...", "... (Apple)"), and the pool index kept so
that a classifier's predictions for the pool can stand in for scoring every
document again.

Events (--events):
  none   the null stream (false alarms);
  jump   per company 5 jumps of the negative share by --delta (default
         +0.15) lasting --hours (6) hours, on days 8, 16, 24, 32, 40 at a
         random hour;
  spike  per company 3 volume spikes (x3 for 2 hours) on days 10, 25, 40;
  drift  per company one slow drift of the negative share: +delta reached
         linearly over 72 hours from day 30, held 48 hours, then back.

Usage: generate_stream.py --pool DIR/pool.csv --out STREAM.jsonl --events jump [--days 60] [--seed 1]
Writes STREAM.jsonl ({"id", "text", "time", "pool"}), STREAM.events.json
(the injected events, times ISO 8601 UTC) and STREAM.watchlist.json.
"""
import argparse
import csv
import datetime as dt
import json
import math

import numpy as np

COMPANIES = [
    ("Apple", ["AAPL", "Apple Inc."]),
    ("Microsoft", ["MSFT"]),
    ("Tesla", ["TSLA"]),
    ("Amazon", ["AMZN"]),
    ("Nvidia", ["NVDA"]),
    ("Alphabet", ["Google", "GOOGL"]),
    ("Meta", ["Facebook", "META"]),
    ("Netflix", ["NFLX"]),
    ("Intel", ["INTC"]),
    ("Boeing", ["BA"]),
]
START = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)  # a Monday


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pool", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--events", choices=["none", "jump", "spike", "drift"], required=True)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--delta", type=float, default=0.15)
    ap.add_argument("--hours", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    with open(args.pool, newline="", encoding="utf-8") as f:
        pool = [(r["text"], r["label"]) for r in csv.DictReader(f)]
    by_label = {l: np.array([i for i, (_, pl) in enumerate(pool) if pl == l]) for l in ("negative", "neutral", "positive")}
    hours = args.days * 24
    events = []
    # Per company and hour: negative rate and volume factor.
    neg_rate = np.zeros((len(COMPANIES), hours))
    volume = np.zeros((len(COMPANIES), hours))
    for c in range(len(COMPANIES)):
        base = 40 + 9 * c
        rate = 0.10 + 0.02 * c
        h = np.arange(hours)
        volume[c] = base * (1 + 0.5 * np.sin(2 * math.pi * (h % 24 - 9) / 24))
        neg_rate[c] = rate
        name = COMPANIES[c][0]
        if args.events == "jump":
            for day in (8, 16, 24, 32, 40):
                s = day * 24 + int(rng.integers(0, 24))
                neg_rate[c, s : s + args.hours] += args.delta
                events.append({"entity": name, "type": "jump", "start": s, "end": s + args.hours})
        elif args.events == "spike":
            for day in (10, 25, 40):
                s = day * 24 + int(rng.integers(6, 20))
                volume[c, s : s + 2] *= 3
                events.append({"entity": name, "type": "spike", "start": s, "end": s + 2})
        elif args.events == "drift":
            s = 30 * 24 + int(rng.integers(0, 24))
            ramp = np.arange(72) / 72 * args.delta
            neg_rate[c, s : s + 72] += ramp
            neg_rate[c, s + 72 : s + 120] += args.delta
            events.append({"entity": name, "type": "drift", "start": s, "end": s + 120})
    out = open(args.out, "w", encoding="utf-8")
    n = 0
    for hour in range(hours):
        t0 = START + dt.timedelta(hours=hour)
        for c, (name, aliases) in enumerate(COMPANIES):
            count = int(rng.poisson(volume[c, hour]))
            p_neg = neg_rate[c, hour]
            labels = rng.choice(3, size=count, p=[p_neg, 0.25, 0.75 - p_neg])
            seconds = np.sort(rng.integers(0, 3600, size=count))
            names = [name] + aliases
            alias_ix = rng.integers(0, len(names), size=count)
            front = rng.random(count) < 0.5
            picks = [by_label[("negative", "neutral", "positive")[l]] for l in range(3)]
            pool_ix = [int(picks[l][rng.integers(0, len(picks[l]))]) for l in labels]
            for k in range(count):
                idx = pool_ix[k]
                alias = names[alias_ix[k]]
                text = pool[idx][0]
                text = f"{alias}: {text}" if front[k] else f"{text} ({alias})"
                t = t0 + dt.timedelta(seconds=int(seconds[k]))
                out.write(json.dumps({"id": f"d{n}", "text": text, "time": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "pool": idx},
                                     ensure_ascii=False) + "\n")
                n += 1
    out.close()
    iso = lambda h: (START + dt.timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(args.out.replace(".jsonl", "") + ".events.json", "w") as f:
        json.dump([{**e, "start": iso(e["start"]), "end": iso(e["end"])} for e in events], f, indent=1)
    with open(args.out.replace(".jsonl", "") + ".watchlist.json", "w") as f:
        json.dump({name: aliases for name, aliases in COMPANIES}, f, indent=1)
    print(f"{n} documents, {len(events)} events, seed {args.seed}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
