"""Reference trajectories for FinchNN's optimizers, gradient clipping and LR schedules, from PyTorch and
Hugging Face transformers.

Run: /tmp/ref/bin/python Scripts/make_optimizer_fixtures.py
Writes (TensorFixture format: {"meta": {...strings...}, "tensors": {name: {"shape", "data"}}}):
  Tests/Fixtures/optimizer_adamw.json   two 10-step AdamW runs on a 7-13-5 tanh MLP
  Tests/Fixtures/optimizer_sgd.json     three 10-step SGD runs (momentum+dampening, Nesterov, plain)
  Tests/Fixtures/lr_schedules.json      multipliers of HF's schedule functions, step by step
  Tests/Fixtures/clip_grad_norm.json    torch.nn.utils.clip_grad_norm_ on odd-shaped gradients

Each run stores the initial parameters (<run>.init.<name>), inputs and targets, per-step loss,
pre-clip gradient norm and learning rate, the parameters after the first update (<run>.step0.<name>)
and after the last (<run>.final.<name>) and, for AdamW, the optimizer state after the last step.
The run's settings are recorded in meta as strings.
"""
import json
import os
import platform
import sys

import torch
import transformers
from transformers import (get_constant_schedule, get_constant_schedule_with_warmup,
                          get_cosine_schedule_with_warmup, get_linear_schedule_with_warmup)

SEED = 2024
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")
STEPS = 10


def entry(t):
    t = torch.as_tensor(t).detach().double()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.reshape(-1).tolist()]}


def write(name, tensors, meta):
    full = {"script": os.path.basename(sys.argv[0]), "seed": str(SEED), "python": platform.python_version(),
            "torch": torch.__version__, "transformers": transformers.__version__}
    full.update({k: str(v) for k, v in meta.items()})
    path = os.path.join(FIXTURES, name)
    os.makedirs(FIXTURES, exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump({"meta": full, "tensors": {k: entry(v) for k, v in tensors.items()}}, f, separators=(",", ":"))
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


torch.manual_seed(SEED)
g = torch.Generator().manual_seed(SEED)


def mlp():
    # Parameter names: 0.weight [13, 7], 0.bias [13], 2.weight [5, 13], 2.bias [5].
    return torch.nn.Sequential(torch.nn.Linear(7, 13), torch.nn.Tanh(), torch.nn.Linear(13, 5))


def run(prefix, out, meta, make_optimizer, make_schedule, loss_kind, max_norm, no_decay=()):
    model = mlp()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    x = torch.randn(9, 7, generator=g)
    if loss_kind == "mse":
        y = torch.randn(9, 5, generator=g)
        loss_fn = lambda out_: torch.nn.functional.mse_loss(out_, y)
        out[f"{prefix}.targets"] = y
    else:
        y = torch.randint(0, 5, (9,), generator=g)
        loss_fn = lambda out_: torch.nn.functional.cross_entropy(out_, y)
        out[f"{prefix}.targets"] = y.float()
    out[f"{prefix}.inputs"] = x
    for name, p in model.named_parameters():
        out[f"{prefix}.init.{name}"] = p.detach().clone()
    decay = [p for n, p in model.named_parameters() if n not in no_decay]
    exempt = [p for n, p in model.named_parameters() if n in no_decay]
    opt = make_optimizer(decay, exempt)
    sched = make_schedule(opt)
    losses, norms, lrs = [], [], []
    for step in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(x))
        loss.backward()
        if max_norm is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)))
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
        losses.append(float(loss.detach()))
        if step == 0:
            for name, p in model.named_parameters():
                out[f"{prefix}.step0.{name}"] = p.detach().clone()
    for name, p in model.named_parameters():
        out[f"{prefix}.final.{name}"] = p.detach().clone()
        for key, value in opt.state[p].items():
            if key == "step":
                meta[f"{prefix}.state.{name}.step"] = int(value)
            else:
                out[f"{prefix}.state.{name}.{key}"] = value
    out[f"{prefix}.losses"] = torch.tensor(losses, dtype=torch.float64)
    out[f"{prefix}.lrs"] = torch.tensor(lrs, dtype=torch.float64)
    if norms:
        out[f"{prefix}.norms"] = torch.tensor(norms, dtype=torch.float64)
    meta[f"{prefix}.no_decay"] = ",".join(no_decay)


def groups(decay, exempt, wd):
    return [{"params": decay, "weight_decay": wd}, {"params": exempt, "weight_decay": 0.0}]


# AdamW: MSE, linear warmup 3 of 10, clipping at 1.0, weight decay 0.1 except biases (HF Trainer style).
adamw, meta = {}, {}
run("adamw", adamw, meta,
    lambda d, e: torch.optim.AdamW(groups(d, e, 0.1), lr=0.05, betas=(0.9, 0.999), eps=1e-8),
    lambda o: get_linear_schedule_with_warmup(o, num_warmup_steps=3, num_training_steps=10),
    "mse", max_norm=1.0, no_decay=("0.bias", "2.bias"))
meta.update({"adamw.lr": 0.05, "adamw.weight_decay": 0.1, "adamw.schedule": "linear warmup 3 total 10",
             "adamw.max_norm": 1.0, "adamw.loss": "mse"})
# AdamW with amsgrad: cross-entropy, cosine warmup 2 of 10, clipping at 1.0, weight decay 0.01 everywhere.
run("amsgrad", adamw, meta,
    lambda d, e: torch.optim.AdamW(groups(d, e, 0.01), lr=0.02, betas=(0.8, 0.95), eps=1e-6, amsgrad=True),
    lambda o: get_cosine_schedule_with_warmup(o, num_warmup_steps=2, num_training_steps=10),
    "ce", max_norm=1.0)
meta.update({"amsgrad.lr": 0.02, "amsgrad.betas": "0.8,0.95", "amsgrad.eps": 1e-6, "amsgrad.weight_decay": 0.01,
             "amsgrad.schedule": "cosine warmup 2 total 10", "amsgrad.max_norm": 1.0, "amsgrad.loss": "cross-entropy"})
write("optimizer_adamw.json", adamw, meta)

# SGD: momentum with dampening and weight decay; Nesterov with bias exemption; plain.
sgd, meta = {}, {}
run("momentum", sgd, meta,
    lambda d, e: torch.optim.SGD(groups(d, e, 0.01), lr=0.1, momentum=0.9, dampening=0.1),
    get_constant_schedule, "mse", max_norm=None)
run("nesterov", sgd, meta,
    lambda d, e: torch.optim.SGD(groups(d, e, 0.05), lr=0.05, momentum=0.8, nesterov=True),
    lambda o: get_constant_schedule_with_warmup(o, num_warmup_steps=4), "ce", max_norm=None,
    no_decay=("0.bias", "2.bias"))
run("plain", sgd, meta,
    lambda d, e: torch.optim.SGD(groups(d, e, 0.0), lr=0.2), get_constant_schedule, "mse", max_norm=None)
meta.update({"momentum.settings": "lr 0.1 momentum 0.9 dampening 0.1 weight_decay 0.01",
             "nesterov.settings": "lr 0.05 momentum 0.8 nesterov weight_decay 0.05 (not biases), constant warmup 4",
             "plain.settings": "lr 0.2"})
write("optimizer_sgd.json", sgd, meta)

# Schedules: the multiplier at optimizer steps 0..N-1 (base lr 1, read before each step as the Trainer logs it).
schedules = {}
cases = {
    "constant": lambda o: get_constant_schedule(o),
    "constant_with_warmup.5": lambda o: get_constant_schedule_with_warmup(o, 5),
    "constant_with_warmup.0": lambda o: get_constant_schedule_with_warmup(o, 0),
    "linear.5.20": lambda o: get_linear_schedule_with_warmup(o, 5, 20),
    "linear.0.7": lambda o: get_linear_schedule_with_warmup(o, 0, 7),
    "linear.4.4": lambda o: get_linear_schedule_with_warmup(o, 4, 4),
    "cosine.5.20": lambda o: get_cosine_schedule_with_warmup(o, 5, 20),
    "cosine.3.12.cycles1.5": lambda o: get_cosine_schedule_with_warmup(o, 3, 12, num_cycles=1.5),
}
for key, make in cases.items():
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    sched = make(opt)
    values = []
    for _ in range(25):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    schedules[key] = torch.tensor(values, dtype=torch.float64)
write("lr_schedules.json", schedules, {"steps": 25, "note": "values are lambda(k) for k = 0..24, base lr 1"})

# Clipping: three odd-shaped gradients, clipped at a norm below and above their total norm.
clip = {}
shapes = [(13, 7), (5,), (3, 1, 4)]
for case, max_norm in [("tight", 0.5), ("loose", 1000.0)]:
    params = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
    for i, p in enumerate(params):
        p.grad = torch.randn(p.shape, generator=g) * (i + 1)
        clip[f"{case}.grad{i}"] = p.grad.clone()
    total = torch.nn.utils.clip_grad_norm_(params, max_norm)
    clip[f"{case}.norm"] = total.reshape(1)
    clip[f"{case}.max_norm"] = torch.tensor([max_norm])
    for i, p in enumerate(params):
        clip[f"{case}.clipped{i}"] = p.grad
write("clip_grad_norm.json", clip, {"norm_type": 2})
