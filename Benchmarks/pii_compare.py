"""Per-type precision and recall of Finch (`finch redact --format jsonl` output) and of
Presidio's pattern recognizers on the labelled set from Benchmarks/pii_dataset.py.

Run: /tmp/ref/bin/python Benchmarks/pii_compare.py DATA.jsonl FINCH_OUT.jsonl
Presidio runs without an NLP engine (no spaCy model can be downloaded here): each
predefined pattern recognizer's analyze(text, entities, nlp_artifacts=None) is called
directly, so context words do not raise scores; every result counts (score
threshold 0, as AnalyzerEngine's default). Recognizers: EmailRecognizer,
PhoneRecognizer (default regions; a second row adds "CN"), CreditCardRecognizer,
IbanRecognizer, UsSsnRecognizer, IpRecognizer, UrlRecognizer, DateRecognizer.
A prediction is correct when it overlaps an unmatched gold span of the same type
(each gold span matched once); "exact" counts only identical spans.
tldextract uses its bundled public suffix list (no network here).
Presidio has no CN_RESIDENT_ID; its DATE_TIME means any date, while the set labels
only dates of birth, so its DATE_TIME precision is not like for like.
"""
import json
import sys
import time
from collections import defaultdict
from importlib.metadata import version

import tldextract

# Presidio's e-mail validation asks tldextract for the public suffix list over the network; this
# machine is offline, so use the snapshot tldextract ships (the same list, without the failed fetch).
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, DateRecognizer, EmailRecognizer, IbanRecognizer,
                                                      IpRecognizer, PhoneRecognizer, UrlRecognizer, UsSsnRecognizer)

data = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
finch = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(data) == len(finch), "one Finch output line per input"

default_phone = PhoneRecognizer()
recognizers = [EmailRecognizer(), default_phone, CreditCardRecognizer(), IbanRecognizer(), UsSsnRecognizer(), IpRecognizer(),
               UrlRecognizer(), DateRecognizer()]
cn_phone = PhoneRecognizer(supported_regions=list(default_phone.supported_regions) + ["CN"])

start = time.perf_counter()
presidio, presidio_cn = [], []
for record in data:
    found = []
    for r in recognizers:
        found += [(x.entity_type, x.start, x.end) for x in r.analyze(record["text"], r.supported_entities, None)]
    presidio.append(found)
    presidio_cn.append([f for f in found if f[0] != "PHONE_NUMBER"]
                       + [(x.entity_type, x.start, x.end) for x in cn_phone.analyze(record["text"], ["PHONE_NUMBER"], None)])
presidio_seconds = time.perf_counter() - start


def score(predictions, restrict=None):
    """(type -> [tp, predicted, gold matched, gold, exact tp]) over the records `restrict` selects."""
    table = defaultdict(lambda: [0, 0, 0, 0, 0])
    for record, predicted in zip(data, predictions):
        if restrict and not restrict(record):
            continue
        gold = [(e["type"], e["start"], e["end"]) for e in record["entities"]]
        matched = set()
        for t, s, e in gold:
            table[t][3] += 1
        for t, s, e in sorted(set(predicted), key=lambda x: (x[1], x[2])):
            table[t][1] += 1
            for i, (gt, gs, ge) in enumerate(gold):
                if i not in matched and gt == t and s < ge and gs < e:
                    matched.add(i)
                    table[t][0] += 1
                    if (gs, ge) == (s, e):
                        table[t][4] += 1
                    break
        for i in matched:
            table[gold[i][0]][2] += 1
    return table


def fmt(tp, n):
    return f"{tp / n:.3f}" if n else "—"


finch_predictions = [[(e["type"], e["start"], e["end"]) for e in out["entities"]] for out in finch]
systems = [("Finch", finch_predictions), ("Presidio", presidio), ("Presidio+CN phone", presidio_cn)]
print(f"texts: {len(data)} ({sum(r['locale'] == 'en_US' for r in data)} en_US, {sum(r['locale'] == 'zh_CN' for r in data)} zh_CN), "
      f"gold entities: {sum(len(r['entities']) for r in data)}; presidio-analyzer {version('presidio_analyzer')}, "
      f"phonenumbers {version('phonenumbers')}, faker {version('faker')}; Presidio took {presidio_seconds:.2f} s")
print()
print("| type | gold | Finch P | Finch R | Finch exact R | Presidio P | Presidio R | Presidio exact R |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
tables = {name: score(p) for name, p in systems}
types = sorted({t for r in data for t in (e["type"] for e in r["entities"])})
for t in types:
    f, p = tables["Finch"][t], tables["Presidio"][t]
    print(f"| {t} | {f[3]} | {fmt(f[0], f[1])} | {fmt(f[2], f[3])} | {fmt(f[4], f[3])} | {fmt(p[0], p[1])} | {fmt(p[2], p[3])} | {fmt(p[4], p[3])} |")
print()
print("Chinese texts only (zh_CN):")
print()
print("| type | gold | Finch P | Finch R | Presidio P | Presidio R | Presidio+CN P | Presidio+CN R |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
zh = {name: score(p, lambda r: r["locale"] == "zh_CN") for name, p in systems}
for t in ["PHONE_NUMBER", "CN_RESIDENT_ID", "EMAIL_ADDRESS", "DATE_TIME"]:
    f, p, c = zh["Finch"][t], zh["Presidio"][t], zh["Presidio+CN phone"][t]
    print(f"| {t} | {f[3]} | {fmt(f[0], f[1])} | {fmt(f[2], f[3])} | {fmt(p[0], p[1])} | {fmt(p[2], p[3])} | {fmt(c[0], c[1])} | {fmt(c[2], c[3])} |")
print()
# Targets: recall >= Presidio's and precision no more than 2 points below, on the pattern types both support.
missed = []
for t in ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "URL"]:
    f, p = tables["Finch"][t], tables["Presidio"][t]
    fr, pr = f[2] / max(f[3], 1), p[2] / max(p[3], 1)
    fp_, pp = f[0] / max(f[1], 1), p[0] / max(p[1], 1)
    if fr < pr:
        missed.append(f"{t} recall {fr:.3f} < Presidio {pr:.3f}")
    if fp_ < pp - 0.02:
        missed.append(f"{t} precision {fp_:.3f} more than 2 points below Presidio {pp:.3f}")
for t in ["PHONE_NUMBER", "CN_RESIDENT_ID"]:
    f = zh["Finch"][t]
    for label, value in [("precision", f[0] / max(f[1], 1)), ("recall", f[2] / max(f[3], 1))]:
        if value < 0.99:
            missed.append(f"zh_CN {t} {label} {value:.3f} < 0.99")
print("targets missed: " + ("; ".join(missed) if missed else "none"))
