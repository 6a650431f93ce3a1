"""Shared helpers for the scripts that write Finch's test fixtures.

Every fixture is JSON: {"meta": {...strings...}, "tensors": {name: {"shape": [...], "data": [...]}}}.
The meta block records the script, the seed and the package versions that produced the numbers.
"""
import json
import os
import platform
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")


def versions():
    out = {"python": platform.python_version()}
    for mod in ["torch", "transformers", "tokenizers", "sentence_transformers", "sklearn", "seqeval", "numpy"]:
        try:
            m = __import__(mod)
            out[mod] = getattr(m, "__version__", "?")
        except Exception:  # not every script needs every package
            pass
    return out


def tensor_entry(t):
    import numpy as np
    a = t.detach().cpu().numpy() if hasattr(t, "detach") else np.asarray(t)
    a = a.astype("float64")
    return {"shape": list(a.shape), "data": [float(f"{v:.9g}") for v in a.reshape(-1).tolist()]}


def write_fixture(name, tensors, seed, extra_meta=None):
    meta = {"script": os.path.basename(sys.argv[0]), "seed": str(seed)}
    meta.update({k: str(v) for k, v in versions().items()})
    if extra_meta:
        meta.update({k: str(v) for k, v in extra_meta.items()})
    path = os.path.join(FIXTURES, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"meta": meta, "tensors": {k: tensor_entry(v) for k, v in tensors.items()}}, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
