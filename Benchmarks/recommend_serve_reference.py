"""The Python way for Benchmarks/run_recommend_serve.sh: implicit's ALS (same factors, iterations and
regularization as Finch's run) behind FastAPI + uvicorn, with the same two routes:

    GET  /v1/users/{user}/recommendations?k=10   -> model.recommend(uid, user_items[uid], N=k)
    POST /v1/events {"events": [{"user", "item", "type", "value"}]}
         -> appended to the user-item matrix, then model.recalculate_user for each user of the batch
            (implicit's fold-in: the user's row re-solved with the items fixed)

    python recommend_serve_reference.py RATINGS_CSV PORT FACTORS ITERATIONS
"""
import sys
import threading

import implicit
import numpy as np
import scipy.sparse as sp
import uvicorn
from fastapi import FastAPI, Request
from threadpoolctl import threadpool_limits

ratings, port, factors, iterations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = np.loadtxt(ratings, delimiter=",", skiprows=1, dtype=str)
user_ids = {u: n for n, u in enumerate(dict.fromkeys(data[:, 0]))}
item_ids = {i: n for n, i in enumerate(dict.fromkeys(data[:, 1]))}
item_names = list(item_ids)
rows = np.array([user_ids[u] for u in data[:, 0]])
cols = np.array([item_ids[i] for i in data[:, 1]])
values = data[:, 2].astype(np.float32)
user_items = sp.csr_matrix((values, (rows, cols)), shape=(len(user_ids), len(item_ids)), dtype=np.float32)
model = implicit.cpu.als.AlternatingLeastSquares(
    factors=factors, iterations=iterations, regularization=0.01, alpha=1.0, random_state=1)
with threadpool_limits(1, "blas"):
    model.fit(user_items, show_progress=False)
lock = threading.Lock()
app = FastAPI()
# Rows of users created by events (kept as a dict of item -> weight; the matrix is rebuilt per user on demand).
extra = {}


def user_row(uid):
    if uid < user_items.shape[0]:
        row = user_items[uid]
    else:
        row = sp.csr_matrix((1, len(item_ids)), dtype=np.float32)
    if uid in extra:
        row = row.tolil()
        for i, w in extra[uid].items():
            row[0, i] += w
        row = row.tocsr()
    return row


@app.get("/v1/users/{user}/recommendations")
def recommendations(user: str, k: int = 10):
    uid = user_ids.get(user)
    if uid is None or uid >= model.user_factors.shape[0]:
        return {"user": user, "source": "popular", "items": []}
    ids, scores = model.recommend(uid, user_row(uid), N=k, filter_already_liked_items=True)
    return {"user": user, "source": "personal",
            "items": [{"item": item_names[i], "score": float(s)} for i, s in zip(ids, scores)]}


@app.post("/v1/events")
async def events(request: Request):
    body = await request.json()
    touched = set()
    with lock:
        for e in body["events"]:
            uid = user_ids.setdefault(e["user"], len(user_ids))
            iid = item_ids.get(e["item"])
            if iid is None:
                continue
            extra.setdefault(uid, {})
            extra[uid][iid] = extra[uid].get(iid, 0.0) + float(e.get("value", 1.0))
            touched.add(uid)
        for uid in touched:
            if uid >= model.user_factors.shape[0]:
                grow = uid + 1 - model.user_factors.shape[0]
                model.user_factors = np.vstack([model.user_factors, np.zeros((grow, factors), dtype=np.float32)])
            model.user_factors[uid] = model.recalculate_user(uid, user_row(uid))
    return {"accepted": len(body["events"])}


if __name__ == "__main__":
    print(f"implicit {implicit.__version__}, {len(user_ids)} users, {len(item_ids)} items", file=sys.stderr)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
