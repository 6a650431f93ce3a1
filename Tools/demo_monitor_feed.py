#!/usr/bin/env python3
"""Feeds the demo's monitor "news" (Tools/demo.sh) with a replayed stream: Rotten Tomatoes
sentences (Examples/monitor/), each with one company's name or ticker put in front, posted to
POST /v1/monitors/news/documents.

First an hour of history (one-minute buckets, 20 texts per company per minute, 20 % of them
negative "rotten" sentences), so the detectors have a baseline; then, live, the same stream with
times of now — except that for one minute (the current one, or the next when less than half of it is left) Tesla gets three times the volume and 95 % negative
texts: one injected surge, so an alert opens on the dashboard when the minute closes (within a
minute of the start). It creates the monitor's two rules once the history is in. Standard library
only; runs until it is killed.

Usage: demo_monitor_feed.py BASE_URL KEY SENTENCES.csv
"""
import csv
import datetime as dt
import json
import random
import sys
import time
import urllib.request

COMPANIES = [("Tesla", "TSLA"), ("Apple", "AAPL"), ("Boeing", "BA"), ("Netflix", "NFLX")]
PER_MINUTE = 20
NEGATIVE_SHARE = 0.2


RULES = {
    "negative-surge": {"entity": "*", "metric": "negative_share", "detector": "ewma_z", "halflife": 15, "z": 4,
                       "min_count": 8, "cooldown": 5},
    "volume-spike": {"entity": "*", "metric": "volume", "detector": "threshold", "threshold": 30, "min_count": 0,
                     "cooldown": 5},
}


def put_rules(base, key):
    for name, rule in RULES.items():
        request = urllib.request.Request(
            f"{base}/v1/monitors/news/rules/{name}", data=json.dumps(rule).encode(), method="PUT",
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()


def post(base, key, documents):
    body = json.dumps({"documents": documents}).encode()
    request = urllib.request.Request(
        f"{base}/v1/monitors/news/documents", data=body, method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    for attempt in range(20):
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
                return
        except urllib.error.HTTPError as error:
            if error.code != 503:
                raise
            time.sleep(float(error.headers.get("Retry-After", "1")))
    raise RuntimeError("the service stayed overloaded")


def main():
    base, key, path = sys.argv[1:4]
    texts = {"rotten": [], "fresh": [], "plot": []}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["label"] in texts and len(row["text"]) <= 300:
                texts[row["label"]].append(row["text"])
    rng = random.Random(7)
    counter = 0

    def document(company, when, negative_share):
        nonlocal counter
        counter += 1
        name, ticker = company
        r = rng.random()
        label = "rotten" if r < negative_share else ("plot" if r < negative_share + 0.25 else "fresh")
        mention = rng.choice([name, ticker])
        return {"id": f"demo-{int(when.timestamp())}-{counter}", "text": f"{mention}: {rng.choice(texts[label])}",
                "time": when.isoformat().replace("+00:00", "Z"), "source": "demo"}

    now = dt.datetime.now(dt.timezone.utc)
    minute = now.replace(second=0, microsecond=0)
    history = []
    for m in range(60, 0, -1):
        start = minute - dt.timedelta(minutes=m)
        for company in COMPANIES:
            for i in range(PER_MINUTE):
                history.append(document(company, start + dt.timedelta(seconds=rng.uniform(0, 59)), NEGATIVE_SHARE))
    for i in range(0, len(history), 200):
        post(base, key, history[i:i + 200])
    # The rules come after the history, so that they learn the whole hour (see Tools/demo.sh).
    put_rules(base, key)
    # The surge fills the live minute, or the next one when less than half of this one is left.
    now = dt.datetime.now(dt.timezone.utc)
    surge_minute = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1 if now.second > 30 else 0)
    print(f"demo: monitor history posted ({len(history)} texts); Tesla's surge fills {surge_minute:%H:%M} UTC",
          file=sys.stderr, flush=True)

    while True:
        now = dt.datetime.now(dt.timezone.utc)
        batch = []
        for company in COMPANIES:
            surge = company[0] == "Tesla" and now.replace(second=0, microsecond=0) == surge_minute
            rate = (3 if surge else 1) * PER_MINUTE / 60 * 5  # texts per 5 s
            n = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
            batch += [document(company, now, 0.95 if surge else NEGATIVE_SHARE) for _ in range(n)]
        if batch:
            post(base, key, batch)
        time.sleep(5)


if __name__ == "__main__":
    main()
