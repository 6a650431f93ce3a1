"""Side-by-side GEMM table from run_gemm.sh's result files.

Usage: gemm_table.py DIR RUNS. DIR holds finch.N, finch_skx.N (OPENBLAS_CORETYPE=SkylakeX) and torch.N
files of `name<TAB>seconds<TAB>extra` lines. Prints, per shape/transpose/threads, the median GFLOP/s
over runs of Finch's kernel, OpenBLAS as found and with SkylakeX (both threaded by Finch), OpenBLAS's
own threading, and torch.matmul, and Finch's kernel as a ratio of the best of the others; then Finch's
bf16 mixed-precision GEMM (operands rounded to bf16, fp32 sums) and its ratio to the best fp32 figure.
"""
import collections
import statistics
import sys


def read(path):
    out = {}
    with open(path) as f:
        for line in f:
            name, seconds, *_ = line.rstrip("\n").split("\t")
            if name.startswith("matmul."):
                out[name] = float(seconds)
    return out


def main():
    directory, runs = sys.argv[1], int(sys.argv[2])
    times = collections.defaultdict(list)
    for i in range(1, runs + 1):
        for prefix, tag in (("finch", ""), ("finch_skx", ".skx"), ("torch", "")):
            try:
                for name, s in read(f"{directory}/{prefix}.{i}").items():
                    base, impl = name.rsplit(".", 1)
                    if prefix == "finch_skx" and impl.startswith("finch"):
                        continue  # Finch's kernels do not read OPENBLAS_CORETYPE
                    times[(base, impl + tag)].append(s)
            except FileNotFoundError:
                pass
    columns = ["finch", "blas", "openblas", "blas.skx", "openblas.skx", "torch", "finch-bf16"]
    header = ["finch", "OpenBLAS (Finch threads)", "OpenBLAS (own threads)", "OpenBLAS SkylakeX (Finch threads)",
              "OpenBLAS SkylakeX (own threads)", "torch.matmul", "finch bf16"]
    print("| product | " + " | ".join(header) + " | finch / best other | bf16 / best fp32 |")
    print("|---" * (len(columns) + 3) + "|")
    for base in sorted({b for b, _ in times}, key=lambda b: (b.split(".")[3], b.split(".")[1], b.split(".")[2])):
        m, n, k = (int(v) for v in base.split(".")[1].split("x"))
        flops = 2.0 * m * n * k
        rates = {}
        for c in columns:
            if times.get((base, c)):
                rates[c] = flops / statistics.median(times[(base, c)]) / 1e9
        others = [v for c, v in rates.items() if c not in ("finch", "finch-bf16")]
        ratio = rates["finch"] / max(others) if others and "finch" in rates else float("nan")
        fp32 = [v for c, v in rates.items() if c != "finch-bf16"]
        bf16 = rates["finch-bf16"] / max(fp32) if fp32 and "finch-bf16" in rates else float("nan")
        cells = [f"{rates[c]:.1f}" if c in rates else "–" for c in columns]
        print(f"| {base[len('matmul.'):]} | " + " | ".join(cells) + f" | {ratio:.2f} | {bf16:.2f} |")


if __name__ == "__main__":
    main()
