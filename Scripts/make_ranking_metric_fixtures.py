#!/usr/bin/env python3
"""Reference values of the ranking and rating metrics from Microsoft's
recommenders (recommenders.evaluation.python_evaluation), for
FinchRecommend's metric tests.

Writes Tests/Fixtures/recommend/ranking_metrics_reference.json: a truth set
(user, item, rating), prediction scores (user, item, score; distinct scores so
top-k has no ties), a training item list, and for k in (3, 5, 10)
precision_at_k, recall_at_k, ndcg_at_k, map_at_k, catalog_coverage of the
top-k lists, plus rmse/mae on the (user, item) pairs both sets share. Some
users appear only in the truth set and some only in the predictions.

recommenders 1.2.1 needs pandas < 3 and scikit-learn, which the /tmp/ref venv
lacks; the run used a venv with those added:
    python -m venv /tmp/recvenv --system-site-packages
    /tmp/recvenv/bin/pip install "pandas<3" scikit-learn
    /tmp/recvenv/bin/pip install --no-deps recommenders==1.2.1
    /tmp/recvenv/bin/python Scripts/make_ranking_metric_fixtures.py
"""
import json
import os
import platform
from importlib.metadata import version

import numpy as np
import pandas as pd
from recommenders.evaluation import python_evaluation as pe

SEED = 7
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "recommend")


def main():
    rng = np.random.RandomState(SEED)
    n_items = 40
    truth, pred = [], []
    for u in range(24):
        if u < 21:  # users 21..23 have predictions only
            for i in rng.choice(n_items, size=rng.randint(1, 9), replace=False):
                truth.append((u, int(i), float(rng.randint(1, 6))))
        if u < 3 or u >= 5:  # users 3, 4 have truth only
            for i in rng.choice(n_items, size=rng.randint(8, 20), replace=False):
                pred.append((u, int(i), 0.0))
    scores = rng.permutation(len(pred)) / len(pred)  # distinct scores
    pred = [(u, i, float(s)) for (u, i, _), s in zip(pred, scores)]
    # Bias some predictions towards truth items so there are hits.
    truth_set = {(u, i) for u, i, _ in truth}
    pred = [(u, i, s + (0.6 if (u, i) in truth_set and rng.rand() < 0.5 else 0.0)) for u, i, s in pred]
    train_items = sorted(int(i) for i in rng.choice(n_items, size=34, replace=False))

    df_true = pd.DataFrame(truth, columns=["userID", "itemID", "rating"])
    df_pred = pd.DataFrame(pred, columns=["userID", "itemID", "prediction"])
    df_train = pd.DataFrame([(999, i) for i in train_items], columns=["userID", "itemID"])
    result = {
        "meta": {"script": "Scripts/make_ranking_metric_fixtures.py", "seed": str(SEED),
                 "recommenders": version("recommenders"), "pandas": pd.__version__, "numpy": np.__version__,
                 "python": platform.python_version()},
        "truth": [list(t) for t in truth], "predictions": [list(p) for p in pred], "train_items": train_items,
        "metrics": {},
    }
    for k in (3, 5, 10):
        top = pe.get_top_k_items(df_pred, col_user="userID", col_rating="prediction", k=k)
        result["metrics"][str(k)] = {
            "precision_at_k": pe.precision_at_k(df_true, df_pred, k=k),
            "recall_at_k": pe.recall_at_k(df_true, df_pred, k=k),
            "ndcg_at_k": pe.ndcg_at_k(df_true, df_pred, k=k),
            "map_at_k": pe.map_at_k(df_true, df_pred, k=k),
            "catalog_coverage": pe.catalog_coverage(df_train, top, col_user="userID", col_item="itemID"),
        }
    merged_pred = df_pred.rename(columns={"prediction": "prediction"})
    result["rmse"] = pe.rmse(df_true, merged_pred)
    result["mae"] = pe.mae(df_true, merged_pred)
    with open(os.path.join(OUT, "ranking_metrics_reference.json"), "w") as f:
        json.dump(result, f, separators=(",", ":"))
    print(json.dumps(result["metrics"], indent=1), result["rmse"], result["mae"])


if __name__ == "__main__":
    main()
