"""scikit-learn side of Benchmarks/run_classical.sh, and the split and the table.

  split    --data CSV --text-column C --label-column L --out DIR [--test-fraction 0.2] [--seed 42] [--limit N]
           writes DIR/train.csv and DIR/test.csv (text,label) from a seeded permutation
  sklearn  --dir DIR --name NAME [--analyzer word] [--ngram 1,1] [--embedder MODEL_DIR] [--repeat 3]
           TF-IDF + LogisticRegression, TF-IDF + LinearSVC (and sentence-transformers embeddings +
           LogisticRegression with --embedder) on DIR/train.csv, accuracy on DIR/test.csv;
           one JSON line per model with the median seconds of features and fit
  table    FINCH.jsonl SKLEARN.jsonl: the side-by-side Markdown table with ratios
"""
import argparse
import csv
import json
import statistics
import sys
import time

import numpy as np


def read(path, text_column="text", label_column="label"):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r[text_column] for r in rows], [r[label_column] for r in rows]


def split(a):
    texts, labels = read(a.data, a.text_column, a.label_column)
    keep = [i for i, t in enumerate(texts) if t.strip() and labels[i].strip()]
    order = np.random.default_rng(a.seed).permutation(len(keep))
    n_test = int(round(len(keep) * a.test_fraction))
    test, train = order[:n_test], order[n_test:]
    if a.limit:
        train = train[: a.limit]
    for name, idx in [("train", train), ("test", test)]:
        with open(f"{a.out}/{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["text", "label"])
            for i in idx:
                w.writerow([texts[keep[i]], labels[keep[i]].strip()])
    print(f"{a.data}: {len(train)} train, {len(test)} test", file=sys.stderr)


def timed(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, statistics.median(times)


def sklearn_runs(a):
    xtr, ytr = read(f"{a.dir}/train.csv")
    xte, yte = read(f"{a.dir}/test.csv")
    lo, hi = (int(v) for v in a.ngram.split(","))
    if not a.embedder:
        tfidf_runs(a, xtr, ytr, xte, yte, lo, hi)
    else:
        embedding_run(a, xtr, ytr, xte, yte)


def tfidf_runs(a, xtr, ytr, xte, yte, lo, hi):
    import sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    def features():
        v = TfidfVectorizer(analyzer=a.analyzer, ngram_range=(lo, hi))
        return v, v.fit_transform(xtr)

    (vec, Xtr), t_feat = timed(features, a.repeat)
    Xte = vec.transform(xte)
    heads = {
        "logistic": lambda: LogisticRegression(max_iter=1000).fit(Xtr, ytr),
        "svm": lambda: LinearSVC().fit(Xtr, ytr),
    }
    for head, fit in heads.items():
        model, t_fit = timed(fit, a.repeat)
        acc = float(np.mean(model.predict(Xte) == np.array(yte)))
        print(json.dumps({"dataset": a.name, "features": "tfidf", "head": head, "side": "scikit-learn " + sklearn.__version__,
                          "train": len(xtr), "columns": Xtr.shape[1], "accuracy": acc, "feature_s": t_feat, "fit_s": t_fit}),
              flush=True)


def embedding_run(a, xtr, ytr, xte, yte):
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression

    st = SentenceTransformer(a.embedder, device="cpu")
    t = time.perf_counter()
    Etr = st.encode(xtr, batch_size=32)
    t_embed = time.perf_counter() - t
    Ete = st.encode(xte, batch_size=32)
    model, t_fit = timed(lambda: LogisticRegression(max_iter=1000).fit(Etr, ytr), a.repeat)
    acc = float(np.mean(model.predict(Ete) == np.array(yte)))
    print(json.dumps({"dataset": a.name, "features": "embeddings", "head": "logistic",
                      "side": "sentence-transformers + scikit-learn", "train": len(xtr), "columns": Etr.shape[1],
                      "accuracy": acc, "feature_s": t_embed, "fit_s": t_fit}), flush=True)


def table(a):
    def load(p):
        return {(r["dataset"], r["features"], r["head"]): r for r in map(json.loads, open(p)) if r}
    finch, ref = load(a.finch), load(a.reference)
    print("| data | features + head | train rows | Finch acc. | sklearn acc. | Δ points | Finch features s | sklearn features s "
          "| Finch fit s | sklearn fit s | features + fit: sklearn / Finch |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, f in finch.items():
        r = ref.get(key)
        if r is None:
            continue
        ft, rt = f["feature_s"] + f["fit_s"], r["feature_s"] + r["fit_s"]
        print(f"| {key[0]} | {key[1]} + {key[2]} | {f['train']} | {100 * f['accuracy']:.2f} | {100 * r['accuracy']:.2f} "
              f"| {100 * (f['accuracy'] - r['accuracy']):+.2f} | {f['feature_s']:.3f} | {r['feature_s']:.3f} | {f['fit_s']:.3f} "
              f"| {r['fit_s']:.3f} | {rt / ft:.1f}× |")


p = argparse.ArgumentParser()
sub = p.add_subparsers(dest="cmd", required=True)
s = sub.add_parser("split")
s.add_argument("--data", required=True)
s.add_argument("--text-column", default="text")
s.add_argument("--label-column", default="label")
s.add_argument("--out", required=True)
s.add_argument("--test-fraction", type=float, default=0.2)
s.add_argument("--seed", type=int, default=42)
s.add_argument("--limit", type=int, default=0)
k = sub.add_parser("sklearn")
k.add_argument("--dir", required=True)
k.add_argument("--name", required=True)
k.add_argument("--analyzer", default="word")
k.add_argument("--ngram", default="1,1")
k.add_argument("--embedder")
k.add_argument("--repeat", type=int, default=3)
t = sub.add_parser("table")
t.add_argument("finch")
t.add_argument("reference")
args = p.parse_args()
{"split": split, "sklearn": sklearn_runs, "table": table}[args.cmd](args)
