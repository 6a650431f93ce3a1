"""Splits the shared real data for the worked audits in BENCHMARKS.md ("Audits on real groups").

Run: /tmp/ref/bin/python Benchmarks/audits/prepare_audit_data.py [DATA_DIR] [OUT_DIR]
  DATA_DIR defaults to ../shared/data (relative to the repository root), OUT_DIR to /tmp/finch-audits.
Writes (nothing is committed; MovieLens may not be redistributed):
  reviews_train.csv, reviews_test.csv  women's clothing reviews: text, recommended (0/1), age; 80/20, seed 0
  ml_train.csv, ml_test.csv            MovieLens-100k ratings: userId, itemId, rating, timestamp; 80/20 of the ratings, seed 0
The users file is used as it is (movielens-100k/users.csv: userId, age, gender, ...).
"""
import os
import sys

import numpy as np
import pandas as pd

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "..", "shared", "data")
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/finch-audits"
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)

reviews = pd.read_csv(os.path.join(data, "reviews-en", "womens_clothing_reviews_train.csv"))
reviews = reviews[["text", "recommended", "age"]]
order = rng.permutation(len(reviews))
cut = int(0.8 * len(reviews))
reviews.iloc[order[:cut]].to_csv(os.path.join(out, "reviews_train.csv"), index=False)
reviews.iloc[order[cut:]].to_csv(os.path.join(out, "reviews_test.csv"), index=False)

ratings = pd.read_csv(os.path.join(data, "movielens-100k", "ratings.csv"))
order = rng.permutation(len(ratings))
cut = int(0.8 * len(ratings))
ratings.iloc[order[:cut]].to_csv(os.path.join(out, "ml_train.csv"), index=False)
ratings.iloc[order[cut:]].to_csv(os.path.join(out, "ml_test.csv"), index=False)
print(f"{out}: reviews {len(reviews)} rows ({int(0.8 * len(reviews))} train), ratings {len(ratings)} ({cut} train);"
      f" numpy {np.__version__}, pandas {pd.__version__}, seed 0")
