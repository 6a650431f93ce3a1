"""The Python way of monitoring, timed on the same documents as Finch's
MonitorBenchmarks throughput run: `transformers` pipelines for sentiment and
NER in batches, watchlist aliases by regular expression (case-insensitive,
word boundaries), then pandas: per entity an hourly resample of counts and
negative share, and an EWMA baseline with a z-score (the usual rolling-window
alert).

Usage: monitor_reference.py --classifier DIR --tagger DIR --stream S.jsonl --watchlist W.json
       [--count 2000] [--batch 64] [--threads 2]
Prints one JSON line like MonitorBenchmarks: documents, seconds, documents per second.
"""
import argparse
import json
import re
import time

import pandas as pd
import torch
import transformers
from transformers import pipeline


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--classifier", required=True)
    ap.add_argument("--tagger")
    ap.add_argument("--stream", required=True)
    ap.add_argument("--watchlist", required=True)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-length", type=int, default=128)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    docs = []
    with open(args.stream, encoding="utf-8") as f:
        for line in f:
            docs.append(json.loads(line))
            if len(docs) >= args.count:
                break
    watchlist = json.load(open(args.watchlist, encoding="utf-8"))
    patterns = [(name, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in [name] + aliases) + r")(?!\w)", re.I))
                for name, aliases in watchlist.items()]
    clf = pipeline("text-classification", model=args.classifier, top_k=None, device=-1)
    ner = pipeline("token-classification", model=args.tagger, aggregation_strategy="simple", device=-1) if args.tagger else None
    texts = [d["text"] for d in docs]
    clf(texts[:16], batch_size=16, truncation=True, max_length=args.max_length)  # warm-up, not timed
    if ner:
        ner(texts[:16], batch_size=16)
    t0 = time.perf_counter()
    with torch.inference_mode():
        scores = clf(texts, batch_size=args.batch, truncation=True, max_length=args.max_length)
        tagged = ner(texts, batch_size=args.batch) if ner else [[] for _ in texts]
    rows = []
    for d, s, ents in zip(docs, scores, tagged):
        probs = {x["label"]: x["score"] for x in s}
        label = max(probs, key=probs.get)
        score = probs.get("positive", 0) - probs.get("negative", 0)
        found = {name for name, p in patterns if p.search(d["text"])}
        for e in ents:
            word = e["word"].strip()
            found.add(next((name for name, p in patterns if p.fullmatch(word)), word))
        for name in found:
            rows.append((pd.Timestamp(d["time"]), name, label == "negative", score))
    df = pd.DataFrame(rows, columns=["time", "entity", "negative", "score"]).set_index("time")
    hourly = df.groupby("entity").resample("1h").agg({"negative": ["count", "mean"], "score": "mean"})
    hourly.columns = ["count", "negative_share", "mean_score"]
    share = hourly["negative_share"].groupby(level=0)
    mean = share.transform(lambda x: x.ewm(halflife=24).mean().shift())
    std = share.transform(lambda x: x.ewm(halflife=24).std().shift())
    z = (hourly["negative_share"] - mean) / std
    alerts = int((z > 3).sum())
    t1 = time.perf_counter()
    print(json.dumps({"documents": len(docs), "seconds": t1 - t0, "documents_per_second": len(docs) / (t1 - t0),
                      "series_rows": len(hourly), "alerts": alerts, "tagger": ner is not None,
                      "torch": torch.__version__, "transformers": transformers.__version__, "pandas": pd.__version__,
                      "threads": args.threads}, sort_keys=True))


if __name__ == "__main__":
    main()
