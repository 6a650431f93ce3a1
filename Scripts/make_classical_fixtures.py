"""Reference fits of scikit-learn's classical models for FinchTrain's tests:
LogisticRegression (lbfgs, L2, C), LinearSVC (squared hinge, dual, OvR,
intercept_scaling), KNeighborsClassifier (cosine, uniform and distance
weights), Ridge and LinearRegression — on dense data (seeded Gaussian
blobs) and on sparse TF-IDF rows (stored as CSR, so the tests do not
depend on Finch's TF-IDF).

The iterative fits use tight tolerances (tol 1e-10, large max_iter), so the
stored coefficients are the optimum to about 1e-8; the tests compare Finch's
converged fits with them.

Run: /tmp/ref/bin/python Scripts/make_classical_fixtures.py
Writes Tests/Fixtures/classical/models.json (floats written with repr; "meta"
records the script, seed and package versions).
"""
import json
import os
import sys
import warnings

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC

from fixture_util import FIXTURES, versions

SEED = 20261203
rng = np.random.default_rng(SEED)
warnings.filterwarnings("error")  # a ConvergenceWarning means the reference is not converged


def blobs(n_per_class, centers, scale):
    x = np.vstack([rng.normal(c, scale, size=(n_per_class, len(c))) for c in centers])
    y = np.repeat(np.arange(len(centers)), n_per_class)
    order = rng.permutation(len(y))
    return x[order], y[order]


def dense(x):
    return {"kind": "dense", "rows": [[float(v) for v in r] for r in x]}


def sparse(m):
    m = m.tocsr()
    m.sort_indices()
    return {"kind": "sparse", "columns": int(m.shape[1]), "indptr": [int(v) for v in m.indptr],
            "indices": [int(v) for v in m.indices], "data": [float(v) for v in m.data]}


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


datasets = {}
# Three overlapping classes in 5 dimensions, and a binary problem in 4.
x3, y3 = blobs(30, [[0, 0, 0, 0, 0], [1.5, 0.5, -1, 0, 1], [-1, 1.5, 0.5, 1, -0.5]], 1.0)
t3, _ = blobs(5, [[0, 0, 0, 0, 0], [1.5, 0.5, -1, 0, 1], [-1, 1.5, 0.5, 1, -0.5]], 1.2)
datasets["dense3"] = (x3, y3, t3, dense)
x2, y2 = blobs(25, [[0, 0, 1, 0], [1, 1, 0, -1]], 1.0)
t2, _ = blobs(6, [[0, 0, 1, 0], [1, 1, 0, -1]], 1.1)
datasets["dense2"] = (x2, y2, t2, dense)
# Sparse TF-IDF rows of short texts with four topics.
words = {0: "goal match team score league", 1: "stock market price bank shares", 2: "film actor movie scene plot",
         3: "rain storm weather cloud wind"}
common = "the a of and report today new"
texts, labels = [], []
for i in range(48):
    c = i % 4
    picked = rng.choice(words[c].split(), size=3) .tolist() + rng.choice(common.split(), size=2).tolist()
    if rng.random() < 0.3:
        picked.append(rng.choice(words[(c + 1) % 4].split()))
    texts.append(" ".join(picked))
    labels.append(c)
vec = TfidfVectorizer().fit(texts)
test_texts = ["the team score a goal", "bank price of stock today", "a movie scene and a storm", "wind and rain report"]
datasets["sparse4"] = (vec.transform(texts), np.array(labels), vec.transform(test_texts), sparse)

cases = []
for name, (x, y, t, enc) in datasets.items():
    case = {"name": name, "train": enc(x), "labels": [int(v) for v in y], "test": enc(t), "models": []}
    for c in [1.0, 0.3]:
        m = LogisticRegression(C=c, tol=1e-10, max_iter=100000).fit(x, y)
        case["models"].append({"kind": "logistic", "C": c, "coef": [floats(r) for r in m.coef_], "intercept": floats(m.intercept_),
                               "predict": [int(v) for v in m.predict(t)], "proba": [floats(r) for r in m.predict_proba(t)]})
        s = LinearSVC(C=c, tol=1e-10, max_iter=1000000, dual=True, random_state=0).fit(x, y)
        case["models"].append({"kind": "svm", "C": c, "coef": [floats(r) for r in s.coef_], "intercept": floats(s.intercept_),
                               "predict": [int(v) for v in s.predict(t)], "decision": [floats(r) for r in np.atleast_2d(
                                   s.decision_function(t).T).T.reshape(len(s.predict(t)), -1)]})
    for k, weights in [(5, "uniform"), (4, "distance"), (1, "uniform")]:
        knn = KNeighborsClassifier(n_neighbors=k, weights=weights, metric="cosine", algorithm="brute").fit(x, y)
        dist, ind = knn.kneighbors(t)
        case["models"].append({"kind": "knn", "k": k, "weights": weights, "predict": [int(v) for v in knn.predict(t)],
                               "proba": [floats(r) for r in knn.predict_proba(t)],
                               "neighbors": [[int(v) for v in r] for r in ind], "distances": [floats(r) for r in dist]})
    if enc is dense:
        target = x @ np.arange(1, x.shape[1] + 1) * 0.5 + 3 + rng.normal(0, 0.3, size=len(x))
        case["targets"] = floats(target)
        for alpha in [1.0, 0.0]:
            r = (Ridge(alpha=alpha, solver="cholesky") if alpha > 0 else LinearRegression()).fit(x, target)
            case["models"].append({"kind": "ridge", "alpha": alpha, "coef": floats(r.coef_), "intercept": float(r.intercept_),
                                   "predict": floats(r.predict(t))})
    cases.append(case)

meta = {"script": os.path.basename(sys.argv[0]), "seed": str(SEED)}
meta.update({k: str(v) for k, v in versions().items()})
path = os.path.join(FIXTURES, "classical", "models.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w", encoding="utf-8") as f:
    json.dump({"meta": meta, "cases": cases}, f, ensure_ascii=False)
    f.write("\n")
print(f"wrote {path} ({os.path.getsize(path)} bytes)")
