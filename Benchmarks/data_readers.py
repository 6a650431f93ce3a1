"""Python side of Benchmarks/run_data_readers.sh: the same files read the way
Hugging Face users read them (csv module, pandas.read_csv, a plain-Python BIO
loop as in run_ner-style loaders). Prints name<TAB>CPU seconds<TAB>extra lines."""
import csv
import sys
import time

try:
    import pandas as pd
except ImportError:  # pandas is optional: the csv module is the baseline
    pd = None

csv_path, bio_path = sys.argv[1], sys.argv[2]
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5


def median(fn):
    """Median CPU seconds (process time: not inflated by other jobs on a shared machine)."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return sorted(times)[len(times) // 2]


def read_csv_module():
    with open(csv_path, newline="", encoding="utf-8") as f:
        return [(r["text"], r["label"]) for r in csv.DictReader(f)]


def read_pandas():
    return pd.read_csv(csv_path)


def read_bio():
    sentences, tokens, tags = [], [], []
    with open(bio_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    sentences.append((tokens, tags))
                    tokens, tags = [], []
                continue
            tok, tag = line.split("\t")
            tokens.append(tok)
            tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


print(f"py_csv_module\t{median(read_csv_module):.6f}\trows={len(read_csv_module())}")
if pd is not None:
    print(f"py_pandas_read_csv\t{median(read_pandas):.6f}\trows={len(read_pandas())}")
print(f"py_bio_loop\t{median(read_bio):.6f}\tsentences={len(read_bio())}")
