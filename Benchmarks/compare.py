"""Prints a side-by-side table of Finch vs reference timings from run_*.sh output folders.

Lines are `name<TAB>seconds<TAB>extra`; GEMM names ending in .finch/.blas/.openblas (Finch's kernel,
OpenBLAS threaded by Finch, OpenBLAS's own threads) pair up within Finch's file (Benchmarks/run_gemm.sh
adds torch.matmul); other names pair Finch's file with the reference's. Each figure is the median over runs.
"""
import collections
import statistics
import sys

folder, runs = sys.argv[1], int(sys.argv[2])
prefixes = sys.argv[3:] or ["finch", "torch"]


def load(prefix):
    acc = collections.defaultdict(list)
    extra = {}
    for i in range(1, runs + 1):
        try:
            with open(f"{folder}/{prefix}.{i}") as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) >= 2:
                        acc[parts[0]].append(float(parts[1]))
                        extra[parts[0]] = parts[2] if len(parts) > 2 else ""
        except FileNotFoundError:
            pass
    return {k: statistics.median(v) for k, v in acc.items()}, extra


finch, fextra = load(prefixes[0])
ref, _ = load(prefixes[1])
print(f"| benchmark | Finch (ms) | reference (ms) | speed-up (reference ÷ Finch) |")
print("|---|---:|---:|---:|")
for name, t in finch.items():
    if name.endswith(".finch"):
        base = name[: -len(".finch")]
        raw = finch.get(base + ".blas")
        if raw:
            print(f"| {base} ({fextra[name]} vs {fextra[base + '.blas']}) | {t*1e3:.3f} | OpenBLAS {raw*1e3:.3f} | {raw/t:.2f} |")
    elif name.endswith(".blas") or name.endswith(".openblas"):
        continue
    elif name in ref:
        print(f"| {name} | {t*1e3:.3f} | {ref[name]*1e3:.3f} | {ref[name]/t:.2f} |")
    else:
        print(f"| {name} | {t*1e3:.3f} | – | – |")
