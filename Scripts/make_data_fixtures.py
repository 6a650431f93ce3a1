"""Small slices of the shared data sets and tricky CSV files, with the records
Python's csv module reads from them, for FinchTrain's reader tests.

Run: /tmp/ref/bin/python Scripts/make_data_fixtures.py [DATA_DIR]
(DATA_DIR defaults to ../shared/data next to the checkout.)
Writes Tests/Fixtures/data/*.csv|.bio and Tests/Fixtures/data/expected.json.
The slices are the first rows/sentences of each file plus (for the CSV) the
first rows with an embedded quote; nothing is random (seed recorded as "none").
"""
import csv
import io
import json
import os
import sys

from fixture_util import FIXTURES, versions

data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shared", "data")
out_dir = os.path.join(FIXTURES, "data")
os.makedirs(out_dir, exist_ok=True)


def write_bytes(name, data):
    path = os.path.join(out_dir, name)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    print(f"wrote {path} ({len(data)} bytes)")


def csv_records(data, **kw):
    """Records as Python's csv module reads them, with the 1-based line each starts on."""
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), **kw)
    out = []
    start = 1
    for row in reader:
        if row:
            out.append({"line": start, "fields": row})
        start = reader.line_num + 1
    return out


expected = {}

# 1. Rotten tomatoes: header, first 30 rows, then the first 10 later rows with a quote inside.
with open(os.path.join(data_dir, "sentiment-en/rotten_tomatoes_train.csv"), "rb") as f:
    lines = f.read().split(b"\n")
header, rows = lines[0], [l for l in lines[1:] if l]
picked = rows[:30] + [l for l in rows[30:] if b'""' in l][:10]
rt = b"\n".join([header] + picked) + b"\n"
write_bytes("rotten_tomatoes_slice.csv", rt)
expected["rotten_tomatoes_slice.csv"] = csv_records(rt)

# 2. A CSV with every RFC 4180 feature: BOM, CRLF, quoted commas, newlines, doubled quotes,
#    an empty unquoted field elsewhere, a last line without a line break.
rows = [
    ["text", "label", "note"],
    ["plain text", "pos", ""],
    ["has, a comma", "neg", "x"],
    ["line one\nline two", "pos", "y"],
    ['she said "hi"', "neu", "z"],
    ["crlf\r\ninside", "neg", ""],
    ["  padded label  ", "  pos ", "w"],
    ["última línea, ünïcödé 中文", "neg", "end"],
]
buf = io.StringIO(newline="")
w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
for r in rows:
    w.writerow(r)
tricky = ("\ufeff" + buf.getvalue()).encode("utf-8")
tricky = tricky[: -2]  # no line break after the last record
write_bytes("tricky.csv", tricky)
expected["tricky.csv"] = csv_records(tricky)

# 3. MSRA: the first 40 sentences.
with open(os.path.join(data_dir, "ner-zh/msra_train.bio"), "rb") as f:
    blocks = f.read().decode("utf-8").split("\n\n")[:40]
msra = ("\n\n".join(blocks) + "\n").encode("utf-8")
write_bytes("msra_slice.bio", msra)
sentences = []
line = 1
for b in blocks:
    toks, tags = zip(*(l.split("\t") for l in b.split("\n")))
    sentences.append({"line": line, "tokens": list(toks), "tags": list(tags)})
    line += len(toks) + 1
expected["msra_slice.bio"] = sentences

meta = {"script": os.path.basename(sys.argv[0]), "seed": "none"}
meta.update({k: str(v) for k, v in versions().items()})
path = os.path.join(out_dir, "expected.json")
with open(path + ".tmp", "w") as f:
    json.dump({"meta": meta, "files": expected}, f, ensure_ascii=False, indent=0)
    f.write("\n")
os.replace(path + ".tmp", path)
print(f"wrote {path}")
