"""Reference group-fairness numbers (Fairlearn) for FinchTrain's audit tests.

Run: /tmp/ref/bin/python Scripts/make_fairness_fixtures.py
Writes Tests/Fixtures/fairness/fairlearn.json: for each case the true labels,
predictions and groups, Fairlearn's MetricFrame by group and overall
(accuracy on the labels as given; precision, recall, selection rate, false
positive and false negative rates with the positive label as 1 and every
other label as 0, zero_division=0), and demographic_parity_difference,
demographic_parity_ratio and equalized_odds_difference (between groups).
NaN is written as null. "meta" records the script, seed and versions.
"""
import functools
import json
import math
import os
import warnings
from importlib.metadata import version

import numpy as np
from fairlearn.metrics import (MetricFrame, demographic_parity_difference, demographic_parity_ratio,
                               equalized_odds_difference, false_negative_rate, false_positive_rate, selection_rate)
from sklearn.metrics import accuracy_score, precision_score, recall_score

from fixture_util import FIXTURES, versions

SEED = 20261203
rng = np.random.default_rng(SEED)
warnings.filterwarnings("ignore")


def number(x):
    x = float(x)
    return None if math.isnan(x) else x


def case(name, labels, predictions, groups, positive):
    y = np.array([1 if v == positive else 0 for v in labels])
    p = np.array([1 if v == positive else 0 for v in predictions])
    g = np.array(groups)
    binary = {
        "precision": functools.partial(precision_score, zero_division=0),
        "recall": functools.partial(recall_score, zero_division=0),
        "selection_rate": selection_rate,
        "false_positive_rate": false_positive_rate,
        "false_negative_rate": false_negative_rate,
    }
    frame = MetricFrame(metrics=binary, y_true=y, y_pred=p, sensitive_features=g)
    accuracy = MetricFrame(metrics=accuracy_score, y_true=np.array(labels), y_pred=np.array(predictions), sensitive_features=g)
    by_group = {m: {str(k): number(v) for k, v in frame.by_group[m].items()} for m in binary}
    by_group["accuracy"] = {str(k): number(v) for k, v in accuracy.by_group.items()}
    overall = {m: number(frame.overall[m]) for m in binary}
    overall["accuracy"] = number(accuracy.overall)
    return {
        "name": name, "positive_label": positive, "labels": list(labels), "predictions": list(predictions), "groups": list(groups),
        "counts": {str(k): int(v) for k, v in zip(*np.unique(g, return_counts=True))},
        "by_group": by_group, "overall": overall,
        "demographic_parity_difference": number(demographic_parity_difference(y, p, sensitive_features=g)),
        "demographic_parity_ratio": number(demographic_parity_ratio(y, p, sensitive_features=g)),
        "equalized_odds_difference": number(equalized_odds_difference(y, p, sensitive_features=g)),
    }


cases = []
# Random binary predictions over three age bands plus a band with a single member.
n = 60
bands = list(rng.choice(["18-29", "30-44", "45-64"], size=n - 1)) + ["65+"]
labels = list(rng.choice(["no", "yes"], size=n))
predictions = [l if rng.random() < 0.7 else ("yes" if l == "no" else "no") for l in labels]
cases.append(case("random_bands_with_singleton", labels, predictions, bands, "yes"))
# A group with no true positives and a group whose single member is a false positive.
cases.append(case(
    "no_positives_in_a_group",
    ["pos", "neg", "pos", "neg", "neg", "neg", "neg"],
    ["pos", "pos", "neg", "neg", "neg", "pos", "pos"],
    ["a", "a", "a", "a", "b", "b", "c"], "pos"))
# Three labels: accuracy over all labels, rates for "positive" against the rest.
cases.append(case(
    "three_labels",
    ["positive", "neutral", "negative", "positive", "negative", "neutral", "positive", "negative"],
    ["positive", "negative", "negative", "neutral", "positive", "neutral", "positive", "negative"],
    ["f", "f", "f", "m", "m", "m", "x", "x"], "positive"))
# Nobody selected: the parity ratio is 0/0.
cases.append(case("nobody_selected", ["1", "0", "1", "0"], ["0", "0", "0", "0"], ["a", "a", "b", "b"], "1"))

meta = {"script": "make_fairness_fixtures.py", "seed": str(SEED), "fairlearn": version("fairlearn")}
meta.update({k: str(v) for k, v in versions().items()})
path = os.path.join(FIXTURES, "fairness", "fairlearn.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote", path)
