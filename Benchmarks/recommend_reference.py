#!/usr/bin/env python3
"""The Python side of the recommender benchmark (run by Benchmarks/run_recommend.sh).

Subcommands (each prints JSON lines on stdout):
  folds   --ratings CSV --out JSON [--seed S]     a shuffled order of the rating rows; both sides
                                                  cut it into 5 folds the way surprise.KFold does
  surprise --ratings CSV --folds JSON --algorithms svd,svdpp,knnbaseline,baseline --repeat N
                                                  5-fold CV with scikit-surprise on those folds:
                                                  mean RMSE/MAE and wall seconds for all 5 folds
  implicit --ratings CSV --repeat N [--factors 64] [--iterations 15]
                                                  implicit.als on the per-user leave-last-out split
                                                  (latest timestamp, ties: later row), confidence =
                                                  rating, fit seconds and NDCG@10 (Microsoft
                                                  recommenders' definition, binary relevance)
  compare FINCH.jsonl REFERENCE.jsonl              the side-by-side table with ratios

Uses only numpy/scipy/surprise/implicit (the /tmp/ref venv). implicit runs with its BLAS
threadpool limited to 1 thread, as implicit itself recommends (its own loop is parallel).
"""
import argparse
import json
import math
import statistics
import sys
import time

import numpy as np


def read_ratings(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        cu, ci, cr, ct = (header.index(c) for c in ("userId", "itemId", "rating", "timestamp"))
        rows = []
        for line in f:
            p = line.rstrip("\n").split(",")
            rows.append((p[cu], p[ci], float(p[cr]), float(p[ct])))
    return rows


def fold_slices(n, k):
    stop = 0
    for f in range(k):
        start = stop
        stop += n // k
        if f < n % k:
            stop += 1
        yield start, stop


def cmd_folds(a):
    rows = read_ratings(a.ratings)
    order = np.random.RandomState(a.seed).permutation(len(rows)).tolist()
    with open(a.out, "w") as f:
        json.dump({"seed": a.seed, "folds": 5, "order": order}, f)


def cmd_surprise(a):
    import surprise
    from surprise import SVD, BaselineOnly, Dataset, KNNBaseline, Reader, SVDpp, accuracy

    rows = read_ratings(a.ratings)
    spec = json.load(open(a.folds))
    order = spec["order"]
    reader = Reader(rating_scale=(1, 5))
    raw = [(u, i, r, None) for (u, i, r, _) in rows]
    makers = {
        "baseline": lambda seed: BaselineOnly(verbose=False),
        "svd": lambda seed: SVD(random_state=seed),
        "svdpp": lambda seed: SVDpp(random_state=seed),
        "itemknn": lambda seed: KNNBaseline(sim_options={"name": "pearson_baseline", "user_based": False}, verbose=False),
    }
    ds = Dataset(reader)  # only its construct_trainset/construct_testset are used
    for name in a.algorithms.split(","):
        times, rmses, maes = [], [], []
        repeat = a.repeat if name not in a.once.split(",") else 1
        for rep in range(repeat):
            start = time.perf_counter()
            fr, fm = [], []
            for lo, hi in fold_slices(len(order), spec["folds"]):
                train = [raw[k] for k in order[:lo] + order[hi:]]
                test = [raw[k] for k in order[lo:hi]]
                trainset = ds.construct_trainset(train)
                testset = ds.construct_testset(test)
                algo = makers[name](rep)
                algo.fit(trainset)
                predictions = algo.test(testset)
                fr.append(accuracy.rmse(predictions, verbose=False))
                fm.append(accuracy.mae(predictions, verbose=False))
            times.append(time.perf_counter() - start)
            rmses.append(sum(fr) / len(fr))
            maes.append(sum(fm) / len(fm))
        # RMSE/MAE: mean over the runs (random_state 0, 1, ... for SVD and SVD++).
        print(json.dumps({"side": "surprise", "version": surprise.__version__, "algorithm": name,
                          "rmse": statistics.mean(rmses), "mae": statistics.mean(maes), "rmse_runs": rmses,
                          "seconds": statistics.median(times), "runs": times}), flush=True)


def leave_last_out(rows):
    users, items = {}, {}
    u = [users.setdefault(r[0], len(users)) for r in rows]
    i = [items.setdefault(r[1], len(items)) for r in rows]
    last = {}
    for n, r in enumerate(rows):
        key = (r[3], n)
        if u[n] not in last or key > last[u[n]][0]:
            last[u[n]] = (key, n)
    counts = np.bincount(u)
    test = sorted(n for uu, (_, n) in last.items() if counts[uu] > 1)
    test_set = set(test)
    train = [n for n in range(len(rows)) if n not in test_set]
    return u, i, len(users), len(items), train, test


def ndcg_at_k(recommended, relevant, k):
    """Microsoft recommenders' ndcg_at_k (binary relevance, natural log) for one
    relevant item per user: mean over users with a test item."""
    total = 0.0
    for user, truth in relevant.items():
        rec = recommended.get(user, [])[:k]
        dcg = sum(1 / math.log(1 + r + 1) for r, item in enumerate(rec) if item in truth)
        idcg = sum(1 / math.log(1 + r + 1) for r in range(min(k, len(truth))))
        total += dcg / idcg
    return total / len(relevant)


def cmd_implicit(a):
    import implicit
    import scipy.sparse as sp
    import threadpoolctl
    from implicit.als import AlternatingLeastSquares

    threadpoolctl.threadpool_limits(1, "blas")
    rows = read_ratings(a.ratings)
    u, i, nu, ni, train, test = leave_last_out(rows)
    values = np.array([rows[n][2] for n in train], dtype=np.float32)
    m = sp.csr_matrix((values, ([u[n] for n in train], [i[n] for n in train])), shape=(nu, ni), dtype=np.float32)
    relevant = {}
    for n in test:
        relevant.setdefault(u[n], set()).add(i[n])
    times, ndcgs = [], []
    for rep in range(a.repeat):
        model = AlternatingLeastSquares(factors=a.factors, iterations=a.iterations, random_state=rep)
        start = time.perf_counter()
        model.fit(m, show_progress=False)
        times.append(time.perf_counter() - start)
        users = np.array(sorted(relevant), dtype=np.int32)
        ids, _ = model.recommend(users, m[users], N=10, filter_already_liked_items=True)
        ndcgs.append(ndcg_at_k({int(uu): list(map(int, r)) for uu, r in zip(users, ids)}, relevant, 10))
    print(json.dumps({"side": "implicit", "version": implicit.__version__, "algorithm": "als", "factors": a.factors,
                      "iterations": a.iterations, "ndcg_at_10": statistics.median(ndcgs), "ndcg_runs": ndcgs,
                      "seconds": statistics.median(times), "runs": times}), flush=True)


def cmd_compare(a):
    finch = [json.loads(l) for l in open(a.finch) if l.strip()]
    ref = {(r["algorithm"]): r for r in (json.loads(l) for l in open(a.reference) if l.strip())}
    print(f"{'algorithm':10} {'Finch RMSE':>10} {'ref RMSE':>9} {'ΔRMSE':>8} {'Finch s':>8} {'ref s':>8} {'speed-up':>8}")
    for f in finch:
        r = ref.get(f["algorithm"])
        if r is None:
            continue
        if "rmse" in f:
            print(f"{f['algorithm']:10} {f['rmse']:10.4f} {r['rmse']:9.4f} {f['rmse'] - r['rmse']:+8.4f} "
                  f"{f['seconds']:8.3f} {r['seconds']:8.3f} {r['seconds'] / f['seconds']:7.1f}x")
        else:
            print(f"{f['algorithm']:10} NDCG@10 Finch {f['ndcg_at_10']:.4f} implicit {r['ndcg_at_10']:.4f}  "
                  f"fit {f['seconds']:.3f} s vs {r['seconds']:.3f} s  speed-up {r['seconds'] / f['seconds']:.1f}x")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    s = p.add_subparsers(dest="cmd", required=True)
    f = s.add_parser("folds")
    f.add_argument("--ratings", required=True)
    f.add_argument("--out", required=True)
    f.add_argument("--seed", type=int, default=0)
    su = s.add_parser("surprise")
    su.add_argument("--ratings", required=True)
    su.add_argument("--folds", required=True)
    su.add_argument("--algorithms", default="baseline,svd,svdpp,itemknn")
    su.add_argument("--repeat", type=int, default=3)
    su.add_argument("--once", default="svdpp", help="algorithms run only once (slow in Surprise)")
    im = s.add_parser("implicit")
    im.add_argument("--ratings", required=True)
    im.add_argument("--repeat", type=int, default=3)
    im.add_argument("--factors", type=int, default=64)
    im.add_argument("--iterations", type=int, default=15)
    c = s.add_parser("compare")
    c.add_argument("finch")
    c.add_argument("reference")
    a = p.parse_args()
    {"folds": cmd_folds, "surprise": cmd_surprise, "implicit": cmd_implicit, "compare": cmd_compare}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
