#!/usr/bin/env python3
"""Reference numbers for FinchRecommend's parity tests, from scikit-surprise.

Writes Tests/Fixtures/recommend/tiny_ratings.csv (a small synthetic explicit
dataset with latent structure: 30 users x 18 items) and
Tests/Fixtures/recommend/surprise_reference.json with Surprise's predictions
for BaselineOnly (ALS and SGD), SVD (init std 0, and seeded), SVDpp (seeded)
and item-based KNNBaseline (pearson_baseline with the defaults, a small-k
variant, cosine, pearson), the pearson_baseline similarity matrix, and the
initial factors Surprise drew for the seeded runs (numpy RandomState, as
`surprise.utils.get_rng(int)` creates it; checked here against a 0-epoch
fit), so Swift starts from the same point. Every model is fitted on the
whole file (build_full_trainset), so inner ids and the SGD visiting order
follow the file, which Finch reproduces.

It also writes Tests/Fixtures/recommend/implicit_als_reference.json: the
`implicit` library's ALS (CPU, conjugate gradient and Cholesky) on the same
file read as implicit feedback (confidence = alpha * rating), started from
recorded initial factors, with the factors after 2 iterations.

And Tests/Fixtures/recommend/implicit_bpr_reference.json: the `implicit`
library's BayesianPersonalizedRanking (CPU, one thread) on the same file,
2 epochs from its own seeded start. Its sampler (one std::mt19937 seeded from
numpy, libstdc++'s uniform_int_distribution over the stored entries; the
negative item is the item of a second random entry) is reproduced here, the
reproduction is checked against implicit's fitted factors with a plain numpy
version of its update rule, and the fixture records the initial factors, the
(user, liked, disliked) triples in the order implicit applied them and the
factors implicit returned, so Finch replays the same updates.

Run:  /tmp/ref/bin/python Scripts/make_recommend_fixtures.py
      /tmp/ref/bin/python Scripts/make_recommend_fixtures.py bpr   (only the BPR fixture)
"""
import json
import os
import platform

import numpy as np
import surprise
from surprise import SVD, BaselineOnly, Dataset, KNNBaseline, Reader, SVDpp

SEED = 20240611
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "recommend")


def make_ratings():
    rng = np.random.RandomState(SEED)
    n_users, n_items, dim = 30, 18, 3
    u = rng.normal(0, 1, (n_users, dim))
    v = rng.normal(0, 1, (n_items, dim))
    rows = []
    for a in range(n_users):
        items = rng.choice(n_items, size=rng.randint(3, 11), replace=False)
        for b in items:
            r = 3 + 0.8 * u[a] @ v[b] + rng.normal(0, 0.5)
            rows.append((f"u{a}", f"i{b}", int(min(5, max(1, round(r)))), int(1_000_000 + rng.randint(0, 100000))))
    order = rng.permutation(len(rows))
    return [rows[k] for k in order]


def rounded(values):
    """Floats kept to 10 significant digits (the tests compare to 1e-4)."""
    return [float(f"{v:.10g}") for v in values]


def predictions(algo, pairs):
    est, impossible = [], []
    for n, (uid, iid) in enumerate(pairs):
        p = algo.predict(uid, iid)
        est.append(float(p.est))
        if p.details.get("was_impossible", False):
            impossible.append(n)
    return {"est": rounded(est), "impossible": impossible}


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = make_ratings()
    path = os.path.join(OUT, "tiny_ratings.csv")
    with open(path, "w") as f:
        f.write("userId,itemId,rating,timestamp\n")
        for r in rows:
            f.write(f"{r[0]},{r[1]},{r[2]},{r[3]}\n")

    reader = Reader(line_format="user item rating timestamp", sep=",", skip_lines=1, rating_scale=(1, 5))
    trainset = Dataset.load_from_file(path, reader=reader).build_full_trainset()
    users = [trainset.to_raw_uid(u) for u in range(trainset.n_users)]
    items = [trainset.to_raw_iid(i) for i in range(trainset.n_items)]
    pairs = [(u, i) for u in users for i in items] + [("u_new", items[0]), (users[0], "i_new"), ("u_new", "i_new")]

    result = {"meta": {
        "script": "Scripts/make_recommend_fixtures.py", "seed": str(SEED), "surprise": surprise.__version__,
        "numpy": np.__version__, "python": platform.python_version()},
        "users": users, "items": items, "pairs": [list(p) for p in pairs], "global_mean": trainset.global_mean,
        "models": {}}

    def add(name, algo, params):
        algo.fit(trainset)
        result["models"][name] = {"params": params, **predictions(algo, pairs)}
        return algo

    add("baseline_als", BaselineOnly(bsl_options={"method": "als"}, verbose=False), {"method": "als"})
    add("baseline_sgd", BaselineOnly(bsl_options={"method": "sgd"}, verbose=False), {"method": "sgd"})
    add("svd_std0", SVD(n_factors=5, init_std_dev=0), {"factors": "5", "init_std": "0"})
    add("svd_biasonly_sgd", SVD(n_factors=3, init_std_dev=0, lr_pu=0, lr_qi=0), {"factors": "3", "init_std": "0"})

    # Seeded SVD: record the initial factors and check them against a 0-epoch fit.
    k, seed = 5, 42
    r = np.random.RandomState(seed)
    pu0 = r.normal(0, 0.1, (trainset.n_users, k))
    qi0 = r.normal(0, 0.1, (trainset.n_items, k))
    check = SVD(n_factors=k, n_epochs=0, random_state=seed).fit(trainset)
    assert np.array_equal(check.pu, pu0) and np.array_equal(check.qi, qi0)
    add("svd_seeded", SVD(n_factors=k, random_state=seed), {"factors": str(k)})
    result["models"]["svd_seeded"]["initial"] = {"user": rounded(pu0.ravel()), "item": rounded(qi0.ravel())}

    k, seed = 4, 3
    r = np.random.RandomState(seed)
    pu0 = r.normal(0, 0.1, (trainset.n_users, k))
    qi0 = r.normal(0, 0.1, (trainset.n_items, k))
    yj0 = r.normal(0, 0.1, (trainset.n_items, k))
    check = SVDpp(n_factors=k, n_epochs=0, random_state=seed).fit(trainset)
    assert np.array_equal(check.pu, pu0) and np.array_equal(check.qi, qi0) and np.array_equal(check.yj, yj0)
    add("svdpp_seeded", SVDpp(n_factors=k, random_state=seed), {"factors": str(k)})
    result["models"]["svdpp_seeded"]["initial"] = {
        "user": rounded(pu0.ravel()), "item": rounded(qi0.ravel()), "implicit": rounded(yj0.ravel())}

    knn = add("knn_pearson_baseline", KNNBaseline(sim_options={"name": "pearson_baseline", "user_based": False}, verbose=False), {})
    result["models"]["knn_pearson_baseline"]["similarities"] = rounded(np.asarray(knn.sim).ravel())
    add("knn_small_k", KNNBaseline(k=3, min_k=2, sim_options={"name": "pearson_baseline", "user_based": False, "shrinkage": 10}, verbose=False),
        {"k": "3", "min_k": "2", "shrinkage": "10"})
    add("knn_cosine", KNNBaseline(sim_options={"name": "cosine", "user_based": False}, verbose=False), {"similarity": "cosine"})
    add("knn_pearson", KNNBaseline(sim_options={"name": "pearson", "user_based": False}, verbose=False), {"similarity": "pearson"})

    with open(os.path.join(OUT, "surprise_reference.json"), "w") as f:
        json.dump(result, f, indent=None, separators=(",", ":"))
    print("wrote", len(rows), "ratings and", len(result["models"]), "models")
    write_implicit_reference(rows)
    write_bpr_reference(rows)


def write_implicit_reference(rows):
    import implicit
    import scipy.sparse as sp
    from implicit.cpu.als import AlternatingLeastSquares

    users, items = {}, {}
    u = [users.setdefault(r[0], len(users)) for r in rows]
    i = [items.setdefault(r[1], len(items)) for r in rows]
    m = sp.csr_matrix(([float(r[2]) for r in rows], (u, i)), shape=(len(users), len(items)), dtype=np.float32)
    # A well-conditioned setting: with few factors and large confidences the
    # third CG step runs on a residual near float32 rounding and the native
    # code and its own Python version already differ by 1e-2.
    k, reg, alpha, iterations = 8, 1.0, 1.0, 2
    r = np.random.RandomState(5)
    x0 = (r.rand(len(users), k) * 0.01).astype(np.float32)
    y0 = (r.rand(len(items), k) * 0.01).astype(np.float32)
    out = {"meta": {"script": "Scripts/make_recommend_fixtures.py", "implicit": implicit.__version__,
                    "numpy": np.__version__, "seed": "5"},
           "users": list(users), "items": list(items),
           "params": {"factors": str(k), "reg": str(reg), "alpha": str(alpha), "epochs": str(iterations)},
           "initial": {"user": rounded(x0.ravel()), "item": rounded(y0.ravel())}, "solvers": {}}
    for name, use_cg in (("cg", True), ("cholesky", False)):
        model = AlternatingLeastSquares(factors=k, regularization=reg, alpha=alpha, iterations=iterations,
                                        use_cg=use_cg, num_threads=1, random_state=0)
        model.user_factors = x0.copy()
        model.item_factors = y0.copy()
        model.fit(m, show_progress=False)
        out["solvers"][name] = {"user": rounded(np.asarray(model.user_factors).ravel()),
                                "item": rounded(np.asarray(model.item_factors).ravel())}
    with open(os.path.join(OUT, "implicit_als_reference.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote implicit ALS reference")


class MT19937:
    """The 32-bit Mersenne Twister as std::mt19937 (init_genrand seeding)."""

    def __init__(self, seed):
        self.mt = [0] * 624
        self.mt[0] = seed & 0xFFFFFFFF
        for i in range(1, 624):
            self.mt[i] = (1812433253 * (self.mt[i - 1] ^ (self.mt[i - 1] >> 30)) + i) & 0xFFFFFFFF
        self.index = 624

    def next(self):
        if self.index >= 624:
            for i in range(624):
                y = (self.mt[i] & 0x80000000) | (self.mt[(i + 1) % 624] & 0x7FFFFFFF)
                self.mt[i] = self.mt[(i + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.index = 0
        y = self.mt[self.index]
        self.index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        return y


def uniform_int(rng, low, high, method):
    """libstdc++'s uniform_int_distribution<long>(low, high) drawn from a 32-bit engine."""
    span = high - low + 1
    if method == "lemire":  # GCC >= 11: Lemire's nearly divisionless method on 64-bit products
        product = rng.next() * span
        lowbits = product & 0xFFFFFFFF
        if lowbits < span:
            threshold = (2**32 - span) % span
            while lowbits < threshold:
                product = rng.next() * span
                lowbits = product & 0xFFFFFFFF
        return low + (product >> 32)
    scaling = 0xFFFFFFFF // span  # older GCC: downscaling
    past = span * scaling
    while True:
        r = rng.next()
        if r < past:
            return low + r // scaling


def bpr_update_numpy(x, y, triples, lr, reg):
    """implicit's bpr_update for the given (user, liked, disliked) triples, in float32."""
    f = x.shape[1] - 1
    lr, reg = np.float32(lr), np.float32(reg)
    for u, i, j in triples:
        user, liked, disliked = x[u], y[i], y[j]
        score = np.float32(0)
        for c in range(f + 1):
            score = np.float32(score + user[c] * (liked[c] - disliked[c]))
        z = np.float32(1.0 / (1.0 + np.exp(np.float64(score))))
        for c in range(f):
            temp = user[c]
            user[c] += lr * (z * (liked[c] - disliked[c]) - reg * user[c])
            liked[c] += lr * (z * temp - reg * liked[c])
            disliked[c] += lr * (-z * temp - reg * disliked[c])
        liked[f] += lr * (z - reg * liked[f])
        disliked[f] += lr * (-z - reg * disliked[f])


def write_bpr_reference(rows):
    import implicit
    import scipy.sparse as sp
    from implicit.cpu.bpr import BayesianPersonalizedRanking

    users, items = {}, {}
    u = [users.setdefault(r[0], len(users)) for r in rows]
    i = [items.setdefault(r[1], len(items)) for r in rows]
    m = sp.csr_matrix(([float(r[2]) for r in rows], (u, i)), shape=(len(users), len(items)), dtype=np.float32)
    m.sort_indices()
    k, lr, reg, epochs, seed = 4, 0.05, 0.01, 2, 11
    model = BayesianPersonalizedRanking(
        factors=k, learning_rate=lr, regularization=reg, iterations=epochs, num_threads=1, random_state=seed,
        verify_negative_samples=True)
    model.fit(m, show_progress=False)

    # The same start and the same samples, reproduced.
    # implicit 0.7: check_random_state gives numpy's default_rng; float32 draws.
    rs = np.random.default_rng(seed)
    y0 = (rs.random((len(items), k + 1), dtype=np.float32) - .5) / k
    x0 = (rs.random((len(users), k + 1), dtype=np.float32) - .5) / k
    x0[:, k] = 1.0
    rng_seed = int(rs.integers(0, 2**31, size=1)[0])
    userids = np.repeat(np.arange(len(users)), np.ediff1d(m.indptr))
    nnz = len(m.data)
    found = None
    for method in ("lemire", "downscaling"):
        rng = MT19937(rng_seed)
        triples = []
        for _ in range(epochs):
            for _ in range(nnz):
                liked_index = uniform_int(rng, 0, nnz - 1, method)
                disliked_index = uniform_int(rng, 0, nnz - 1, method)
                uu, li, di = int(userids[liked_index]), int(m.indices[liked_index]), int(m.indices[disliked_index])
                if di in m.indices[m.indptr[uu]:m.indptr[uu + 1]]:
                    continue
                triples.append((uu, li, di))
        x, y = x0.copy(), y0.copy()
        bpr_update_numpy(x, y, triples, lr, reg)
        if np.allclose(x, model.user_factors, rtol=0, atol=1e-6) and np.allclose(y, model.item_factors, rtol=0, atol=1e-6):
            found = (method, triples)
            break
    assert found, "could not reproduce implicit's BPR samples"
    method, triples = found
    out = {"meta": {"script": "Scripts/make_recommend_fixtures.py", "implicit": implicit.__version__,
                    "numpy": np.__version__, "seed": str(seed), "sampler": method},
           "users": list(users), "items": list(items),
           "params": {"factors": str(k), "lr": str(lr), "reg": str(reg), "epochs": str(epochs)},
           "initial": {"user": rounded(x0[:, :k].ravel()), "item": rounded(y0[:, :k].ravel()),
                       "item_bias": rounded(y0[:, k])},
           "triples": [list(t) for t in triples],
           "final": {"user": rounded(np.asarray(model.user_factors)[:, :k].ravel()),
                     "item": rounded(np.asarray(model.item_factors)[:, :k].ravel()),
                     "item_bias": rounded(np.asarray(model.item_factors)[:, k]),
                     "user_bias_column": rounded(np.asarray(model.user_factors)[:, k])}}
    with open(os.path.join(OUT, "implicit_bpr_reference.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote implicit BPR reference:", len(triples), "updates, sampler", method)


def read_rows():
    with open(os.path.join(OUT, "tiny_ratings.csv")) as f:
        next(f)
        return [(a, b, int(c), int(d)) for a, b, c, d in (line.strip().split(",") for line in f if line.strip())]


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["bpr"]:
        write_bpr_reference(read_rows())
    else:
        main()
