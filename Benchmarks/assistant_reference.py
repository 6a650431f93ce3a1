#!/usr/bin/env python3
"""The two baselines issue 13 compares the support assistant with, on the same FAQ and queries:

* a hand-rolled sentence-transformers FAQ bot: the FAQ's questions (one per entry, entries merged
  as Finch merges them: same question = one entry) embedded with the same model, queries answered by
  `util.semantic_search`, and a cosine threshold for hand-off chosen on the tuning queries as the
  lowest that answers them with accuracy >= 0.9 (the rule of Finch's `--threshold auto`);
* rank_bm25's BM25Okapi alone over the same questions, with the terms of Finch's LexicalTokenizer
  (Scripts/make_bm25_fixture.py restates it).

Prints one JSON object: hit@1, MRR@10 of each, and the semantic-search bot's hand-off figures on the
report queries (the issue's definition: a hand-off is right when the FAQ has no answer or the top is
wrong), plus the share of unanswerable queries handed off and the answered accuracy.

    Benchmarks/assistant_reference.py --faq FAQ.jsonl --queries Q.jsonl --model DIR [--prefix "query: "]
"""
import argparse
import importlib.util
import json
import os
from importlib.metadata import version

import numpy as np
from rank_bm25 import BM25Okapi
from sentence_transformers import SentenceTransformer, util

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bm25fixture", os.path.join(HERE, "..", "Scripts", "make_bm25_fixture.py"))
bm25fixture = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bm25fixture)
terms = bm25fixture.terms


def key(text):
    return " ".join(text.split())


def load(faq, queries):
    questions, ids, index = [], [], {}
    for line in open(faq, encoding="utf-8"):
        if not line.strip():
            continue
        row = json.loads(line)
        k = key(row["question"])
        if k not in index:
            index[k] = len(questions)
            questions.append(row["question"])
            if "id" in row:
                ids.append(str(row["id"]))
            else:
                ids.append(None)
    qs = []
    for line in open(queries, encoding="utf-8"):
        if not line.strip():
            continue
        row = json.loads(line)
        e = row["expected"]
        expected = None if e is None else index.get(key(e), ids.index(str(e)) if str(e) in ids else None)
        assert e is None or expected is not None, e
        qs.append((row["query"], expected, row.get("set")))
    return questions, qs


def ranks_metrics(rankings, expected):
    answerable = [(r, e) for r, e in zip(rankings, expected) if e is not None]
    hit1 = sum(1 for r, e in answerable if r and r[0] == e) / len(answerable)
    mrr = sum(1 / (r[:10].index(e) + 1) for r, e in answerable if e in r[:10]) / len(answerable)
    return hit1, mrr


def handoff_figures(top, score, expected, threshold):
    handed = [s < threshold for s in score]
    right_top = [e is not None and t == e for t, e in zip(top, expected)]
    should = [not r for r in right_top]
    tp = sum(1 for h, s in zip(handed, should) if h and s)
    answered = [i for i, h in enumerate(handed) if not h]
    unanswerable = [i for i, e in enumerate(expected) if e is None]
    return {
        "handoff_precision": tp / sum(handed) if sum(handed) else None,
        "handoff_recall": tp / sum(should) if sum(should) else None,
        "answered_accuracy": sum(1 for i in answered if right_top[i]) / len(answered) if answered else None,
        "unanswerable_handed_off": sum(1 for i in unanswerable if handed[i]) / len(unanswerable) if unanswerable else None,
    }


def lowest_threshold(score, right, target=0.9):
    order = sorted(range(len(score)), key=lambda i: -score[i])
    best, n_right = 1.0, 0
    for n, i in enumerate(order):
        n_right += right[i]
        last = n + 1 == len(order) or score[order[n + 1]] < score[i]
        if last and n_right >= target * (n + 1):
            best = score[i]
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--faq", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--prefix", default="")
    ap.add_argument("--set", default="report", choices=["tune", "report"])
    args = ap.parse_args()
    questions, qs = load(args.faq, args.queries)
    model = SentenceTransformer(args.model, device="cpu")
    corpus = model.encode([args.prefix + q for q in questions], convert_to_tensor=True, normalize_embeddings=True)
    bm25 = BM25Okapi([terms(q) for q in questions])
    out = {"meta": {"sentence_transformers": version("sentence-transformers"), "rank_bm25": version("rank_bm25"),
                    "entries": len(questions)}}
    per_set = {}
    for name in ["tune", "report"]:
        subset = [q for q in qs if q[2] == name]
        emb = model.encode([args.prefix + q[0] for q in subset], convert_to_tensor=True, normalize_embeddings=True)
        hits = util.semantic_search(emb, corpus, top_k=10)
        st_rank = [[h["corpus_id"] for h in hs] for hs in hits]
        st_top_score = [hs[0]["score"] for hs in hits]
        bm_rank = []
        for q in subset:
            s = bm25.get_scores(terms(q[0]))
            order = [int(i) for i in np.argsort(-s, kind="stable") if s[i] > 0]
            bm_rank.append(order)
        expected = [q[1] for q in subset]
        per_set[name] = (st_rank, st_top_score, bm_rank, expected)
    st_rank, st_score, _, expected = per_set["tune"]
    threshold = lowest_threshold(st_score, [e is not None and r[0] == e for r, e in zip(st_rank, expected)])
    st_rank, st_score, bm_rank, expected = per_set[args.set]
    st_hit1, st_mrr = ranks_metrics(st_rank, expected)
    bm_hit1, bm_mrr = ranks_metrics(bm_rank, expected)
    out["semantic_search"] = {"hit_at_1": st_hit1, "mrr_at_10": st_mrr, "threshold": threshold,
                              **handoff_figures([r[0] for r in st_rank], st_score, expected, threshold)}
    out["bm25"] = {"hit_at_1": bm_hit1, "mrr_at_10": bm_mrr}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
