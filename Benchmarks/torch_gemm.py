"""torch.matmul on the GEMM shapes of FinchBenchmarks' `matmul` part (BERT Linear layers).

Prints `matmul.MxNxK.LABEL.tT.torch<TAB>seconds<TAB>GFLOP/s` lines, the format of FinchBenchmarks,
for the forward (NT: x·Wᵀ), input-gradient (NN: g·W) and weight-gradient (TN: gᵀ·x) products at
1 and 2 threads. Each figure is the median of 7 timed calls after 2 warm-up calls, on the wall clock,
or in process CPU seconds (all threads) when FINCH_BENCH_CLOCK=cpu.
"""
import os
import sys
import time

import torch


CLOCK = time.process_time if os.environ.get("FINCH_BENCH_CLOCK") == "cpu" else time.perf_counter


def median_seconds(fn, repeats=7, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    times.sort()
    return times[len(times) // 2]


def main():
    threads = [int(t) for t in (sys.argv[1:] or ["1", "2"])]
    torch.manual_seed(1)
    shapes = [(4096, 384, 384), (4096, 1536, 384), (4096, 384, 1536)]
    for t in threads:
        torch.set_num_threads(t)
        for m, n, k in shapes:
            flops = 2.0 * m * n * k
            x, w, g = torch.randn(m, k), torch.randn(n, k), torch.randn(m, n)
            cases = [("NT", lambda: torch.matmul(x, w.t())), ("NN", lambda: torch.matmul(g, w)),
                     ("TN", lambda: torch.matmul(g.t(), x))]
            for label, fn in cases:
                s = median_seconds(fn)
                print(f"matmul.{m}x{n}x{k}.{label}.t{t}.torch\t{s:.6f}\t{flops / s / 1e9:.1f} GFLOP/s", flush=True)


if __name__ == "__main__":
    main()
