"""Hugging Face `tokenizers` throughput on the same inputs as FinchTextBenchmarks.

Run by the Swift benchmark (`swift run -c release FinchTextBenchmarks`), which
passes: TOKENIZER_JSON INPUT_FILE THREADS REPEATS. Prints one JSON object:
{"lines_per_second": ..., "tokens": ..., "tokenizers": version}. Lines are
encoded with `encode_batch` (Rust loop, no per-line Python overhead), with
stored padding/truncation off, RAYON threads as given.
"""
import json
import os
import sys
import time

threads = sys.argv[3]
os.environ["RAYON_NUM_THREADS"] = threads
os.environ["RAYON_RS_NUM_CPUS"] = threads
os.environ["TOKENIZERS_PARALLELISM"] = "true" if threads != "1" else "false"

import tokenizers  # noqa: E402  (after the environment is set)
from tokenizers import Tokenizer  # noqa: E402

tok = Tokenizer.from_file(sys.argv[1])
tok.no_padding()
tok.no_truncation()
with open(sys.argv[2], encoding="utf-8") as f:
    lines = f.read().split("\n")
repeats = int(sys.argv[4])
tok.encode_batch(lines[:100])
best = float("inf")
count = 0
for _ in range(repeats):
    start = time.perf_counter()
    encodings = tok.encode_batch(lines)
    best = min(best, time.perf_counter() - start)
    count = sum(len(e.ids) for e in encodings)
print(json.dumps({"lines_per_second": len(lines) / best, "tokens": count, "tokenizers": tokenizers.__version__}))
