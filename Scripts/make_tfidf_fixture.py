"""Reference TF-IDF features (scikit-learn's TfidfVectorizer) for FinchTrain's
classical-model tests: for a small corpus with accents, decomposed accents,
Chinese, digits, underscores, tabs and runs of spaces, each case's settings,
vocabulary (get_feature_names_out), idf_, and the CSR arrays of fit_transform
on the corpus and of transform on unseen documents.

Run: /tmp/ref/bin/python Scripts/make_tfidf_fixture.py
Writes Tests/Fixtures/classical/tfidf.json. Floats are written with repr
(round-trip exact); "meta" records the script and package versions.
"""
import json
import os
import sys

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from fixture_util import FIXTURES, versions

CORPUS = [
    "The movie was GREAT, truly great!",
    "A dull, boring movie; the plot was thin.",
    "Great acting and a great   plot\tbut a boring ending",
    "I don't like snake_case names like my_var or x1 and y2",
    "Prices rose 12% in 2024 and 2025, 3rd year in a row",
    "Café au lait at the café, or a cafe\u0301 au lait?",
    "Straße und Strasse: ÉCOLE, école, Ecole",
    "我喜欢这部电影，非常好看！",
    "这部电影很无聊，我不喜欢。",
    "好看 好看 非常 好看",
    "  leading and trailing spaces  ",
    "the the the movie movie plot",
]
UNSEEN = [
    "A great new movie with a thin plot and a café",
    "!!! ???",
    "电影 好看 unknownword",
]

CASES = [
    ("word_default", {}),
    ("word_bigrams_sublinear_min_df2", {"ngram_range": (1, 2), "sublinear_tf": True, "min_df": 2}),
    ("char_wb_2_4", {"analyzer": "char_wb", "ngram_range": (2, 4)}),
    ("char_1_3_df_fractions", {"analyzer": "char", "ngram_range": (1, 3), "min_df": 0.2, "max_df": 0.8}),
    ("word_max_features_max_df_count", {"max_features": 6, "max_df": 4}),
    ("word_no_smooth_no_norm", {"smooth_idf": False, "norm": None, "ngram_range": (2, 3)}),
    ("char_wb_1_2_sublinear", {"analyzer": "char_wb", "ngram_range": (1, 2), "sublinear_tf": True, "max_features": 31}),
]


def csr(m):
    m = m.tocsr()
    m.sort_indices()
    return {"indptr": [int(v) for v in m.indptr], "indices": [int(v) for v in m.indices], "data": [float(v) for v in m.data]}


def settings(kw):
    out = {
        "analyzer": kw.get("analyzer", "word"),
        "ngram_min": kw.get("ngram_range", (1, 1))[0],
        "ngram_max": kw.get("ngram_range", (1, 1))[1],
        "sublinear_tf": kw.get("sublinear_tf", False),
        "smooth_idf": kw.get("smooth_idf", True),
        "normalize": kw.get("norm", "l2") == "l2",
        "max_features": kw.get("max_features"),
    }
    for key in ["min_df", "max_df"]:
        default = 1 if key == "min_df" else 1.0
        v = kw.get(key, default)
        out[key] = {"count": v} if isinstance(v, int) else {"fraction": v}
    return out


def check_max_features_cut(vec, kw):
    """numpy's argsort is not stable: make sure no two terms tie at the max_features cut."""
    if kw.get("max_features") is None:
        return
    drop = ("max_features", "sublinear_tf", "smooth_idf", "norm")
    full = CountVectorizer(**{k: v for k, v in kw.items() if k not in drop})  # the raw counts max_features ranks
    counts = np.asarray(full.fit_transform(CORPUS).sum(axis=0)).ravel()
    ordered = np.sort(counts)[::-1]
    k = kw["max_features"]
    assert ordered[k - 1] != ordered[k], f"tie at the max_features cut ({ordered[k - 1]}); pick another max_features"


cases = []
for name, kw in CASES:
    vec = TfidfVectorizer(**kw)
    X = vec.fit_transform(CORPUS)
    check_max_features_cut(vec, kw)
    cases.append({
        "name": name,
        "settings": settings(kw),
        "vocabulary": [str(t) for t in vec.get_feature_names_out()],
        "idf": [float(v) for v in vec.idf_],
        "fit_transform": csr(X),
        "transform": csr(vec.transform(UNSEEN)),
    })

meta = {"script": os.path.basename(sys.argv[0])}
meta.update({k: str(v) for k, v in versions().items()})
path = os.path.join(FIXTURES, "classical", "tfidf.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w", encoding="utf-8") as f:
    json.dump({"meta": meta, "corpus": CORPUS, "unseen": UNSEEN, "cases": cases}, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"wrote {path} ({os.path.getsize(path)} bytes)")
