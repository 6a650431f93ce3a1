"""The reference of Benchmarks/run_assistant_serve.sh: the hand-rolled FAQ bot the issue compares
Finch with — FastAPI + uvicorn around sentence-transformers' `util.semantic_search` over the FAQ's
question embeddings and a cosine threshold for hand-off (0.595, the threshold chosen on the tuning
queries in BENCHMARKS.md, "Support assistant"). Same route and shapes as Finch's
POST /v1/assistant/{collection}/ask, so one wrk script drives both. It stores no session (Finch
writes every ask to its database before it answers).

    FINCH_REF_EMBEDDER=DIR FINCH_REF_FAQ=faq.jsonl uvicorn assistant_serve_reference:app --port 8081
"""

import json
import os

import torch
from fastapi import FastAPI
from pydantic import BaseModel
from sentence_transformers import SentenceTransformer, util

THRESHOLD = 0.595
model = SentenceTransformer(os.environ["FINCH_REF_EMBEDDER"], device="cpu")
entries = {}
for line in open(os.environ["FINCH_REF_FAQ"], encoding="utf-8"):
    row = json.loads(line)
    entries.setdefault(row["id"], row)
ids = list(entries)
with torch.inference_mode():
    corpus = model.encode([entries[i]["question"] for i in ids], convert_to_tensor=True, normalize_embeddings=True)
app = FastAPI()


class AskRequest(BaseModel):
    query: str
    session: str
    user: str | None = None


@app.post("/v1/assistant/{collection}/ask")
def ask(collection: str, request: AskRequest):
    with torch.inference_mode():
        query = model.encode([request.query], convert_to_tensor=True, normalize_embeddings=True)
        hits = util.semantic_search(query, corpus, top_k=4)[0]
    top = hits[0]
    entry = entries[ids[top["corpus_id"]]]
    handoff = top["score"] < THRESHOLD
    return {
        "session": request.session, "answer": entry["answer"], "entry": entry["id"], "score": top["score"],
        "confidence": top["score"], "handoff": handoff, "reason": "below the cosine threshold" if handoff else None,
        "alternatives": [{"entry": ids[h["corpus_id"]], "question": entries[ids[h["corpus_id"]]]["question"],
                          "score": h["score"]} for h in hits[1:]],
    }


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
