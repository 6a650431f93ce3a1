"""The reference service for Benchmarks/run_serve.sh: FastAPI + uvicorn around sentence-transformers
(embed) and a transformers text-classification pipeline (classify), written the way such services
are usually deployed (sync endpoints, which FastAPI runs in its thread pool; one model per worker).
The request and response shapes are Finch's /v1/embed and /v1/classify, so one wrk script drives both.

    FINCH_REF_EMBEDDER=DIR FINCH_REF_CLASSIFIER=DIR uvicorn serve_reference:app --workers 2 --port 8081
"""

import os

import torch
from fastapi import FastAPI
from pydantic import BaseModel
from sentence_transformers import SentenceTransformer
from transformers import pipeline

embedder = SentenceTransformer(os.environ["FINCH_REF_EMBEDDER"], device="cpu")
classifier = pipeline("text-classification", model=os.environ["FINCH_REF_CLASSIFIER"], device=-1)
app = FastAPI()


class EmbedRequest(BaseModel):
    model: str
    inputs: list[str] | str
    normalize: bool = True


class ClassifyRequest(BaseModel):
    model: str
    inputs: list[str] | str
    top_k: int = 1


def texts(inputs):
    return [inputs] if isinstance(inputs, str) else inputs


@app.post("/v1/embed")
def embed(request: EmbedRequest):
    with torch.inference_mode():
        vectors = embedder.encode(texts(request.inputs), normalize_embeddings=request.normalize)
    return {"embeddings": vectors.tolist(), "model": request.model, "version": 1}


@app.post("/v1/classify")
def classify(request: ClassifyRequest):
    with torch.inference_mode():
        results = classifier(texts(request.inputs), top_k=request.top_k)
    return {"results": results, "model": request.model, "version": 1}


@app.get("/healthz")
def healthz():
    return {"status": "ok", "torch": torch.__version__, "threads": torch.get_num_threads()}
