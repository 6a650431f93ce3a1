"""Synthetic implicit-feedback data for Benchmarks/run_recommend_serve.sh: USERS users, ITEMS items,
EVENTS_PER_USER views each, items drawn from a Zipf-like popularity (exponent 0.8) mixed with 20 taste
clusters, timestamps increasing. Writes ratings.csv (userId,itemId,rating,timestamp) with rating = 1.

    python recommend_serve_data.py OUT_DIR [USERS ITEMS EVENTS_PER_USER SEED]
"""
import os
import sys

import numpy as np


def main():
    out = sys.argv[1]
    users = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    items = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    per_user = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 7
    rng = np.random.default_rng(seed)
    os.makedirs(out, exist_ok=True)
    popularity = 1.0 / np.arange(1, items + 1) ** 0.8
    clusters = 20
    cluster_of_item = rng.integers(0, clusters, size=items)
    rows = []
    t = 1_700_000_000
    for u in range(users):
        taste = rng.integers(0, clusters)
        weights = popularity * np.where(cluster_of_item == taste, 8.0, 1.0)
        weights /= weights.sum()
        chosen = rng.choice(items, size=per_user, replace=False, p=weights)
        for i in chosen:
            t += 1
            rows.append(f"u{u},i{i},1,{t}")
    with open(os.path.join(out, "ratings.csv"), "w") as f:
        f.write("userId,itemId,rating,timestamp\n")
        f.write("\n".join(rows))
        f.write("\n")
    print(f"{users} users, {items} items, {len(rows)} events (seed {seed}, numpy {np.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
