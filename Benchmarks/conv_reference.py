"""PyTorch side of Benchmarks/run_conv.sh: the same LeNet (Scripts/make_vision_fixtures.py's definition,
padding 2 in both convolutions), the same batches, SGD with momentum, 2 threads (FINCH_NUM_THREADS).
Lines: name<TAB>median seconds<TAB>extra, as Benchmarks/ConvBenchmarks prints them."""
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Scripts"))
from make_vision_fixtures import LeNet  # noqa: E402

torch.set_num_threads(int(os.environ.get("FINCH_NUM_THREADS", "2")))
REPEATS = int(os.environ.get("FINCH_BENCH_REPEATS", "30"))
# FINCH_BENCH_CLOCK=cpu: this process's CPU seconds (all threads), as ConvBenchmarks.
CLOCK = time.process_time if os.environ.get("FINCH_BENCH_CLOCK") == "cpu" else time.perf_counter


def median_seconds(fn, repeats=REPEATS, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    return sorted(times)[len(times) // 2]


def report(name, seconds, extra=""):
    print(f"{name}\t{seconds:.6f}\t{extra}", flush=True)


def train_step(size, batch):
    torch.manual_seed(1)
    model = LeNet(1, size, 10)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(batch, 1, size, size)
    y = torch.arange(batch) % 10

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    t = median_seconds(step)
    report(f"lenet.train_step.b{batch}x1x{size}x{size}", t, f"{batch / t:.0f} images/s")
    model.eval()

    def infer():
        with torch.no_grad():
            model(x)

    t = median_seconds(infer)
    report(f"lenet.inference.b{batch}x1x{size}x{size}", t, f"{batch / t:.0f} images/s")


def conv():
    x = torch.randn(64, 6, 14, 14, requires_grad=True)
    w = (torch.randn(16, 6, 5, 5) * 0.1).requires_grad_()
    g = torch.randn(64, 16, 14, 14)

    def step():
        x.grad = None
        w.grad = None
        F.conv2d(x, w, padding=2).backward(g)

    report("conv2d.fwd_bwd.b64x6x14x14.k5", median_seconds(step))


train_step(8, 64)
train_step(28, 64)
conv()
