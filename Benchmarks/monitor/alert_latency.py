#!/usr/bin/env python3
"""Latency from a bucket's close to its alert on a running `finch serve` (issue 14: ≤ 1 s).

Creates a monitor LATENCY_MONITOR (default "latency") on SENTIMENT_MODEL with one-minute buckets,
a watchlist of four entities and a `volume` threshold rule (threshold 5, no cooldown); listens on
`GET /v1/monitors/{name}/events` (SSE); then, for MINUTES minutes, posts 8 documents for one
entity (a different one each minute, so each minute opens one new alert) in the current minute,
half a minute before it ends. For every `alert` event it prints received − (bucket_start + 60 s):
the time from the bucket's end to the alert reaching a client, which includes the server's grace
(0.25 s), its tick (0.25 s) and the evaluation. Standard library only.

Usage: [POLARITY='{"label": "negative", …}'] alert_latency.py BASE_URL ADMIN_KEY SENTIMENT_MODEL [MINUTES]
"""
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
import urllib.request

base, key, model = sys.argv[1:4]
minutes = int(sys.argv[4]) if len(sys.argv) > 4 else 5
name = "latency"
entities = ["Alpha", "Bravo", "Charlie", "Delta"]


def call(method, path, body=None):
    request = urllib.request.Request(
        base + path, data=None if body is None else json.dumps(body).encode(), method=method,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


# The model's labels as the monitor maps them (default: the demo's Rotten Tomatoes classifier).
polarity = json.loads(os.environ.get("POLARITY", '{"rotten": "negative", "fresh": "positive", "plot": "neutral"}'))
call("PUT", f"/v1/monitors/{name}", {"sentiment_model": model, "bucket": "minute", "polarity": polarity,
                                      "watchlist": {e: [e.upper()] for e in entities}})
call("PUT", f"/v1/monitors/{name}/rules/volume", {"entity": "*", "metric": "volume", "detector": "threshold",
                                                  "threshold": 5, "min_count": 0, "cooldown": 0})
latencies = []


def listen():
    request = urllib.request.Request(base + f"/v1/monitors/{name}/events",
                                     headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=600) as response:
        event = None
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "alert":
                received = dt.datetime.now(dt.timezone.utc)
                alert = json.loads(line[6:])["alert"]
                if alert["state"] != "open":
                    continue
                start = dt.datetime.fromisoformat(alert["bucket_start"].replace("Z", "+00:00"))
                latency = (received - (start + dt.timedelta(minutes=1))).total_seconds()
                latencies.append(latency)
                print(f"alert {alert['entity']} bucket {start:%H:%M} latency {latency:.3f} s", flush=True)


threading.Thread(target=listen, daemon=True).start()
time.sleep(1)
for m in range(minutes):
    now = dt.datetime.now(dt.timezone.utc)
    wait = 30 - now.second - now.microsecond / 1e6
    if wait < 0:
        wait += 60
    time.sleep(wait)
    now = dt.datetime.now(dt.timezone.utc)
    entity = entities[m % len(entities)]
    docs = [{"id": f"lat-{now:%H%M}-{i}", "text": f"{entity} news item {i}", "time": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"}
            for i in range(8)]
    call("POST", f"/v1/monitors/{name}/documents", {"documents": docs})
time.sleep(35)
print(json.dumps({"alerts": len(latencies), "median_s": statistics.median(latencies) if latencies else None,
                  "max_s": max(latencies) if latencies else None}))
call("DELETE", f"/v1/monitors/{name}")
