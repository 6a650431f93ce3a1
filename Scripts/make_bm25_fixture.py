#!/usr/bin/env python3
"""BM25 reference scores from rank_bm25's BM25Okapi (its defaults: k1=1.5,
b=0.75, epsilon=0.25, negative idfs floored to epsilon * mean idf), for
FinchApps' BM25 tests.

Writes Tests/Fixtures/assistant/bm25_okapi.json: English and Chinese FAQ
texts, the terms of each (by the tokenizer rule restated below, which
LexicalTokenizer in Sources/FinchApps/Assistant implements: lower-cased words
of letters/digits/marks/apostrophes; Han characters one by one plus each pair
of neighbours), queries with their terms, and every document's score for each
query. Some terms occur in more than half of the documents, so the negative-idf
floor is exercised; some query terms occur nowhere.

    /tmp/ref/bin/pip install rank_bm25
    /tmp/ref/bin/python Scripts/make_bm25_fixture.py
"""
import json
import os
import platform
import unicodedata
from importlib.metadata import version

from rank_bm25 import BM25Okapi

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "assistant", "bm25_okapi.json")


def is_han(c):
    v = ord(c)
    return 0x3400 <= v <= 0x4DBF or 0x4E00 <= v <= 0x9FFF or 0xF900 <= v <= 0xFAFF or 0x20000 <= v <= 0x2FA1F


def is_word(c):
    return c in "'\u2019" or c.isalpha() or c.isnumeric() or unicodedata.category(c) == "Mn"


def terms(text):
    out, word, han = [], [], []

    def flush_word():
        w = "".join(word).strip("'\u2019")
        if w:
            out.append(w)
        word.clear()

    def flush_han():
        for i, c in enumerate(han):
            out.append(c)
            if i + 1 < len(han):
                out.append(c + han[i + 1])
        han.clear()

    for c in text.lower():
        if is_han(c):
            flush_word()
            han.append(c)
        elif is_word(c):
            flush_han()
            word.append(c)
        else:
            flush_word()
            flush_han()
    flush_word()
    flush_han()
    return out


ENGLISH = [
    "How do I reset my password?",
    "I forgot my password, what do I do?",
    "How do I change the email address on my account?",
    "Do you ship to Canada?",
    "How long does shipping take?",
    "What is your refund policy?",
    "How long do refunds take to arrive?",
    "Can I pay with PayPal or a credit card?",
    "Where is my order? It hasn't arrived.",
    "Do you offer gift cards?",
    "How do I delete my account?",
    "Is my data shared with third parties?",
]
CHINESE = [
    "我忘记了密码怎么办",
    "如何修改我的密码",
    "你们支持哪些付款方式",
    "退款需要多长时间",
    "我的订单什么时候发货",
    "可以寄到国外吗",
    "如何注销我的账户",
    "人工智能是什么",
    "我想和人工客服说话",
]
QUERIES = {
    "english": ["password reset", "how long", "refund my order", "shipping to canada takes how long", "pizza recipe",
                "do do do account"],
    "chinese": ["密码忘了", "退款多久", "付款方式有哪些", "天气怎么样", "账户注销"],
}


def main():
    out = {
        "meta": {
            "script": os.path.basename(__file__),
            "rank_bm25": version("rank_bm25"),
            "python": platform.python_version(),
            "parameters": "BM25Okapi defaults k1=1.5 b=0.75 epsilon=0.25",
        },
        "corpora": {},
    }
    for name, texts in [("english", ENGLISH), ("chinese", CHINESE)]:
        docs = [terms(t) for t in texts]
        bm25 = BM25Okapi(docs)
        assert (bm25.k1, bm25.b, bm25.epsilon) == (1.5, 0.75, 0.25)
        floored = sorted(w for w, n in bm25.idf.items() if abs(n - bm25.epsilon * bm25.average_idf) < 1e-15)
        queries = []
        for q in QUERIES[name]:
            qt = terms(q)
            queries.append({"text": q, "terms": qt, "scores": [float(s) for s in bm25.get_scores(qt)]})
        out["corpora"][name] = {
            "documents": texts,
            "terms": docs,
            "idf": bm25.idf,
            "floored_terms": floored,
            "queries": queries,
        }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {OUT}")
    for name, c in out["corpora"].items():
        print(name, "floored:", c["floored_terms"])


if __name__ == "__main__":
    main()
