"""Reference classification reports (scikit-learn) and entity reports (seqeval)
for FinchTrain's metric tests: inputs, per-label numbers, average rows and the
exact report strings.

Run: /tmp/ref/bin/python Scripts/make_metric_fixtures.py
Writes Tests/Fixtures/metrics/classification.json, multilabel.json and
entities.json. Numbers are JSON floats written with repr (round-trip exact);
NaN is written as null. Each file's "meta" records the script, seed and
package versions.
"""
import json
import os
import sys
import warnings
from importlib.metadata import version

import numpy as np
from seqeval.metrics import classification_report as seq_report
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.metrics.sequence_labeling import precision_recall_fscore_support as seq_prfs
from sklearn.metrics import (accuracy_score, classification_report, confusion_matrix,
                             precision_recall_fscore_support)

from fixture_util import FIXTURES, versions

SEED = 20240611
rng = np.random.default_rng(SEED)
warnings.filterwarnings("ignore")  # zero-division warnings are expected in these cases


def num(x):
    x = float(x)
    return None if np.isnan(x) else x


def meta():
    m = {"script": os.path.basename(sys.argv[0]), "seed": str(SEED)}
    m.update({k: str(v) for k, v in versions().items()})
    m["seqeval"] = version("seqeval")
    m["scikit-learn"] = version("scikit-learn")
    return m


def write(name, payload):
    path = os.path.join(FIXTURES, "metrics", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(payload, f, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def noisy(truth, labels, error_rate, pred_labels=None):
    pred_labels = pred_labels or labels
    out = []
    for t in truth:
        if rng.random() < error_rate:
            out.append(str(rng.choice(pred_labels)))
        else:
            out.append(t)
    return out


# ---------------------------------------------------------------- classification
def zd_value(zd):
    return {"warn": "warn", "zero": 0.0, "one": 1.0, "nan": np.nan}[zd]


def class_case(name, y_true, y_pred, labels=None, digits=2, zd="warn"):
    z = zd_value(zd)
    report = classification_report(y_true, y_pred, labels=labels, digits=digits, zero_division=z)
    d = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=z)
    row_labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=row_labels, average=None, zero_division=z)
    rows = {}
    for key in ["micro avg", "macro avg", "weighted avg"]:
        if key in d:
            rows[key] = [num(d[key][h]) for h in ["precision", "recall", "f1-score"]] + [int(d[key]["support"])]
    if "accuracy" in d:
        rows["accuracy"] = num(d["accuracy"])
    return {
        "name": name, "y_true": list(y_true), "y_pred": list(y_pred),
        "labels": list(labels) if labels is not None else None,
        "digits": digits, "zero_division": "zero" if zd == "warn" else zd,
        "report": report,
        "row_labels": row_labels,
        "per_label": [[num(a), num(b), num(c), int(e)] for a, b, c, e in zip(p, r, f, s)],
        "rows": rows,
        "accuracy_score": float(accuracy_score(y_true, y_pred)),
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=row_labels).tolist(),
    }


cls = []
rt_labels = ["fresh", "rotten", "plot"]
truth = [str(x) for x in rng.choice(rt_labels, size=300, p=[0.53, 0.39, 0.08])]
cls.append(class_case("multiclass_rotten_tomatoes", truth, noisy(truth, rt_labels, 0.25)))
cls.append(class_case("multiclass_digits4", truth, noisy(truth, rt_labels, 0.4), digits=4))
truth = [str(x) for x in rng.choice(["pos", "neg"], size=57)]
cls.append(class_case("binary", truth, noisy(truth, ["pos", "neg"], 0.3)))
# A label that is only ever predicted (zero support), and one never predicted.
truth = [str(x) for x in rng.choice(["a", "b", "c"], size=40)]
pred = noisy(truth, ["a", "b", "spam"], 0.5)
pred = ["b" if x == "c" else x for x in pred]
cls.append(class_case("label_only_in_predictions", truth, pred))
cls.append(class_case("label_only_in_predictions_zd1", truth, pred, zd="one"))
cls.append(class_case("label_only_in_predictions_zdnan", truth, pred, zd="nan"))
# Labels given: one with zero support and zero predictions; and a subset (micro avg row).
cls.append(class_case("labels_with_unused", truth, pred, labels=["a", "b", "c", "spam", "unused"]))
cls.append(class_case("labels_with_unused_zdnan", truth, pred, labels=["unused", "c", "a", "b", "spam"], zd="nan"))
cls.append(class_case("labels_subset_micro_avg", truth, pred, labels=["b", "a"]))
cls.append(class_case("labels_subset_zd1", truth, pred, labels=["c", "spam"], zd="one"))
# Single class.
cls.append(class_case("single_class", ["x"] * 9, ["x"] * 9))
cls.append(class_case("single_class_truth", ["x"] * 6, ["x", "y", "x", "x", "y", "x"]))
cls.append(class_case("all_wrong", ["a", "a", "b", "b"], ["b", "b", "a", "a"]))
# Long and non-ASCII names (width in code points), numeric-looking strings.
truth = [str(x) for x in rng.choice(["正面", "负面", "a_very_long_label_name_indeed", "é"], size=50)]
cls.append(class_case("unicode_and_long_names", truth, noisy(truth, ["正面", "负面", "a_very_long_label_name_indeed", "é"], 0.3)))
truth = [str(x) for x in rng.choice(["0", "1", "2", "10"], size=60)]
cls.append(class_case("numeric_strings", truth, noisy(truth, ["0", "1", "2", "10"], 0.3), digits=3))
cls.append(class_case("digits0", truth, noisy(truth, ["0", "1", "2", "10"], 0.3), digits=0))
# Many labels: NumPy's pairwise summation (8-way blocks, halving above 128) decides the last bit.
for n_labels, n in [(9, 200), (23, 500), (150, 1200)]:
    names = [f"c{i:03d}" for i in range(n_labels)]
    weights = rng.random(n_labels) ** 3
    truth = [str(x) for x in rng.choice(names, size=n, p=weights / weights.sum())]
    cls.append(class_case(f"many_labels_{n_labels}", truth, noisy(truth, names, 0.35), digits=4))
# Ties at the rounding digit: 1/8, 3/8 and friends.
cls.append(class_case("rounding_ties", list("aaaaaaaabbbbbbbb"), list("abbbbbbbbaaaaaaa") , digits=2))
cls.append(class_case("rounding_ties_1digit", list("aaaaaaaabbbbbbbbcccccccc"), list("abbbbbbbaaaaaaabcccccccc"), digits=1))
# `finch evaluate` of a three-label model on a file whose truth and predictions hold two of its
# labels: scikit-learn's rows (and macro average) are the labels present in either, so the third
# label is no row with support 0 and does not pull the macro average down (1.00, not 0.67).
case = class_case("two_labels_of_a_three_label_model", ["a", "b", "a", "b", "a"], ["a", "b", "a", "b", "a"])
case["model_labels"] = ["a", "b", "c"]
cls.append(case)
write("classification.json", {"meta": meta(), "cases": cls})


# ---------------------------------------------------------------- multi-label
def multi_case(name, y_true, y_pred, names, digits=2, zd="warn"):
    z = zd_value(zd)
    yt, yp = np.array(y_true), np.array(y_pred)
    report = classification_report(yt, yp, target_names=names, digits=digits, zero_division=z)
    d = classification_report(yt, yp, target_names=names, output_dict=True, zero_division=z)
    p, r, f, s = precision_recall_fscore_support(yt, yp, average=None, zero_division=z)
    rows = {k: [num(d[k][h]) for h in ["precision", "recall", "f1-score"]] + [int(d[k]["support"])]
            for k in ["micro avg", "macro avg", "weighted avg", "samples avg"]}
    return {
        "name": name, "y_true": yt.tolist(), "y_pred": yp.tolist(), "labels": names, "digits": digits,
        "zero_division": "zero" if zd == "warn" else zd, "report": report,
        "per_label": [[num(a), num(b), num(c), int(e)] for a, b, c, e in zip(p, r, f, s)],
        "rows": rows, "accuracy_score": float(accuracy_score(yt, yp)),
    }


ml = []
names = ["action", "comedy", "drama", "horror", "never"]
yt = (rng.random((60, 5)) < [0.4, 0.3, 0.5, 0.1, 0.0]).astype(int)
yp = np.where(rng.random((60, 5)) < 0.2, 1 - yt, yt)
yp[:, 4] = 0  # a label neither true nor predicted
yt[3] = 0
yp[3] = 0  # an example with no labels on either side
yt[7] = 0  # an example with no true labels but some predicted
yp[7] = [1, 0, 1, 0, 0]
ml.append(multi_case("multilabel", yt.tolist(), yp.tolist(), names))
ml.append(multi_case("multilabel_zd1_digits3", yt.tolist(), yp.tolist(), names, digits=3, zd="one"))
ml.append(multi_case("multilabel_zdnan", yt.tolist(), yp.tolist(), names, zd="nan"))
write("multilabel.json", {"meta": meta(), "cases": ml})


# ---------------------------------------------------------------- entities (seqeval)
def ent_case(name, y_true, y_pred, digits=2, zd="warn", suffix=False):
    z = {"warn": "warn", "zero": 0, "one": 1}[zd]
    try:
        report, report_error = seq_report(y_true, y_pred, digits=digits, zero_division=z, suffix=suffix), None
    except ValueError as e:  # seqeval cannot lay out a report without any entity type
        report, report_error = None, f"{type(e).__name__}: {e}"
    p, r, f, s = seq_prfs(y_true, y_pred, average=None, zero_division=z, suffix=suffix)
    rows = {}
    for avg in ["micro", "macro", "weighted"]:
        ap, ar, af, asup = seq_prfs(y_true, y_pred, average=avg, zero_division=z, suffix=suffix)
        rows[avg + " avg"] = [num(ap), num(ar), num(af), int(asup)]
    types = sorted({t for t, _, _ in get_entities(y_true, suffix)} | {t for t, _, _ in get_entities(y_pred, suffix)})
    return {
        "name": name, "y_true": y_true, "y_pred": y_pred, "digits": digits,
        "zero_division": "zero" if zd == "warn" else zd, "suffix": suffix, "report": report, "report_error": report_error,
        "types": types,
        "per_type": [[num(a), num(b), num(c), int(e)] for a, b, c, e in zip(p, r, f, s)],
        "rows": rows,
        "entities_true": [list(e) for e in get_entities(y_true, suffix)],
        "entities_pred": [list(e) for e in get_entities(y_pred, suffix)],
    }


def random_iob2(n_sent, types, rng):
    out = []
    for _ in range(n_sent):
        length = int(rng.integers(1, 14))
        tags, i = [], 0
        while i < length:
            if rng.random() < 0.3:
                t = str(rng.choice(types))
                span = int(rng.integers(1, 4))
                for k in range(span):
                    if i < length:
                        tags.append(("B-" if k == 0 else "I-") + t)
                        i += 1
            else:
                tags.append("O")
                i += 1
        out.append(tags)
    return out


def corrupt(sentences, tagset, rate, rng):
    return [[str(rng.choice(tagset)) if rng.random() < rate else t for t in s] for s in sentences]


ents = []
ents.append(ent_case("seqeval_docs",
                     [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]],
                     [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]))
types = ["PER", "LOC", "ORG"]
tagset = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
yt = random_iob2(120, types, rng)
ents.append(ent_case("random_iob2", yt, corrupt(yt, tagset, 0.12, rng)))
ents.append(ent_case("random_iob2_digits4", yt, corrupt(yt, tagset, 0.3, rng), digits=4))
# IOB1 (entities start with I-, B- only between same-type neighbours), scored in default mode.
iob1_true = [["I-PER", "I-PER", "B-PER", "O", "I-LOC"], ["O", "I-ORG", "I-ORG", "I-LOC", "O"], ["I-MISC"]]
iob1_pred = [["I-PER", "I-PER", "I-PER", "O", "I-LOC"], ["O", "B-ORG", "I-ORG", "B-LOC", "O"], ["O"]]
ents.append(ent_case("iob1", iob1_true, iob1_pred))
# A type only in predictions, invalid transitions, bare B/I tags, IOBES tags, a '.'-free mix.
ents.append(ent_case("type_only_in_predictions_and_odd_tags",
                     [["B-PER", "I-LOC", "I-LOC", "O", "B", "I", "O"], ["S-ORG", "B-LOC", "E-LOC", "O"]],
                     [["B-PER", "I-PER", "B-DATE", "O", "B", "I", "I-X"], ["S-ORG", "B-LOC", "I-LOC", "E-LOC"]]))
ents.append(ent_case("type_only_in_predictions_zd1",
                     [["B-PER", "O", "O"]], [["B-PER", "B-DATE", "I-DATE"]], zd="one"))
# No true entities at all (seqeval's special weighted case), with and without predictions.
ents.append(ent_case("no_true_entities", [["O", "O", "O"]], [["B-PER", "O", "B-LOC"]]))
ents.append(ent_case("no_true_entities_zd1", [["O", "O", "O"]], [["B-PER", "O", "O"]], zd="one"))
ents.append(ent_case("no_predicted_entities", [["B-PER", "I-PER", "O"]], [["O", "O", "O"]]))
ents.append(ent_case("no_predicted_entities_zd1", [["B-PER", "I-PER", "O"]], [["O", "O", "O"]], zd="one"))
# Suffix style (PER-B) and a long, non-ASCII type name.
ents.append(ent_case("suffix", [["PER-B", "PER-I", "O", "LOC-B"]], [["PER-B", "PER-I", "O", "ORG-B"]], suffix=True))
ents.append(ent_case("unicode_types", [["B-人名", "I-人名", "O", "B-a_very_long_entity_type"]],
                     [["B-人名", "I-人名", "O", "B-地名"]], digits=3))
# Many types (pairwise-sum path of the macro and weighted averages).
many = [f"T{i}" for i in range(20)]
many_tags = ["O"] + [p + t for t in many for p in ("B-", "I-")]
yt = random_iob2(300, many, rng)
ents.append(ent_case("many_types", yt, corrupt(yt, many_tags, 0.15, rng), digits=4))
# No entities in the truth nor in the predictions: seqeval's report with no type rows.
ents.append(ent_case("no_entities_at_all", [["O", "O"]], [["O", "O"]]))
write("entities.json", {"meta": meta(), "cases": ents})
