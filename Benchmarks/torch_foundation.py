"""PyTorch side of the foundation benchmarks (same shapes, same output format as FinchBenchmarks).

Run by Benchmarks/run_foundation.sh; prints `name<TAB>seconds<TAB>extra` lines.
"""
import statistics
import sys
import time

import torch

torch.set_num_threads(2)


def median_seconds(fn, repeats, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(name, seconds, extra=""):
    print(f"{name}\t{seconds:.6f}\t{extra}", flush=True)


def row_ops():
    g = torch.Generator().manual_seed(2)
    for shape in [(32 * 128, 384), (32 * 12 * 128, 128)]:
        tag = "x".join(map(str, shape))
        n = shape[1]
        x = torch.randn(*shape, generator=g)
        r = torch.randn(*shape, generator=g)
        w = torch.randn(n, generator=g)
        b = torch.randn(n, generator=g)
        ops = {
            "softmax": lambda x, w, b: torch.softmax(x, -1),
            "layernorm": lambda x, w, b: torch.nn.functional.layer_norm(x, (n,), w, b, eps=1e-12),
            "gelu": lambda x, w, b: torch.nn.functional.gelu(x),
            "add_bias": lambda x, w, b: x + b,
            "mul": lambda x, w, b: x * x,
        }
        for name, f in ops.items():
            def fwd():
                with torch.no_grad():
                    f(x, w, b)
            report(f"{name}.{tag}.forward", median_seconds(fwd, 9))

            def fb():
                xl = x.detach().requires_grad_(True)
                wl = w.detach().requires_grad_(True)
                bl = b.detach().requires_grad_(True)
                f(xl, wl, bl).backward(r)
            report(f"{name}.{tag}.forward_backward", median_seconds(fb, 9))


def mlp():
    torch.manual_seed(3)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512),
                                torch.nn.ReLU(), torch.nn.Linear(512, 10))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    x = torch.randn(128, 784)
    y = torch.arange(128) % 10

    def step():
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    report("mlp.784-512-512-10.b128.train_step", median_seconds(step, 21, warmup=3))


def train_step(bf16=False):
    """all-MiniLM-L6-v2 + 3-way classifier, batch 16 x 128 random ids: forward, loss, backward, clip, AdamW.
    With bf16, the forward pass runs under CPU autocast (bfloat16), as PyTorch's mixed precision on CPU."""
    import os
    import resource

    from transformers import BertForSequenceClassification

    model_dir = os.environ.get("FINCH_MINILM_DIR")
    if not model_dir:
        print("train-step: set FINCH_MINILM_DIR", file=sys.stderr)
        return
    torch.manual_seed(1)
    model = BertForSequenceClassification.from_pretrained(model_dir, num_labels=3, attn_implementation="eager")
    model.train()
    no_decay = [n for n, _ in model.named_parameters() if "bias" in n or "LayerNorm" in n]
    groups = [{"params": [p for n, p in model.named_parameters() if n not in no_decay], "weight_decay": 0.01},
              {"params": [p for n, p in model.named_parameters() if n in no_decay], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=2e-5)
    ids = torch.randint(1000, 21000, (16, 128))
    ids[:, 0], ids[:, -1] = 101, 102
    y = torch.arange(16) % 3

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = model(input_ids=ids, labels=y).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    t = median_seconds(step, 7, warmup=2)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    report("train_step.minilm.b16x128" + (".bf16" if bf16 else ""), t, f"peak RSS {rss} MB")


which = set(sys.argv[1:]) or {"ops", "mlp"}
if "ops" in which:
    row_ops()
if "mlp" in which:
    mlp()
if "train-step" in which:
    train_step()
if "train-step-bf16" in which:
    train_step(bf16=True)
