"""Recomputes `finch audit classify` on the women's clothing reviews with Fairlearn, from the same predictions.

Run (after run_audits.sh): /tmp/ref/bin/python Benchmarks/audits/fairlearn_check.py [OUT_DIR] [FINCH]
Predicts reviews_test.csv with `finch predict`, bands age as `--bands 30,40,50,60` does, computes Fairlearn's
MetricFrame (accuracy, precision, recall, selection rate, false positive and negative rates) and its
demographic parity difference/ratio and equalized odds difference, and prints the largest absolute
difference to reviews-model/fairness_audit.json.
"""
import json
import os
import subprocess
import sys

import fairlearn
import numpy as np
import pandas as pd
import sklearn
from fairlearn.metrics import (MetricFrame, demographic_parity_difference, demographic_parity_ratio,
                               equalized_odds_difference, false_negative_rate, false_positive_rate, selection_rate)
from sklearn.metrics import accuracy_score, precision_score, recall_score

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/finch-audits"
finch = sys.argv[2] if len(sys.argv) > 2 else ".build/release/finch"
test = pd.read_csv(os.path.join(out, "reviews_test.csv"))
lines = "\n".join(json.dumps({"text": t}) for t in test.text) + "\n"
predicted = subprocess.run([finch, "predict", "--model", os.path.join(out, "reviews-model"), "--format", "jsonl"],
                           input=lines, capture_output=True, text=True, check=True).stdout.splitlines()
y_pred = np.array([int(json.loads(p)["label"]) for p in predicted])
y_true = test.recommended.to_numpy()
band = pd.cut(test.age, [-np.inf, 30, 40, 50, 60, np.inf], right=False, labels=["<30", "30-39", "40-49", "50-59", "60+"]).astype(str)
metrics = {"accuracy": accuracy_score,
           "precision": lambda t, p: precision_score(t, p, zero_division=0),
           "recall": lambda t, p: recall_score(t, p, zero_division=0),
           "selection_rate": selection_rate, "false_positive_rate": false_positive_rate,
           "false_negative_rate": false_negative_rate}
frame = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=band)
finch_audit = json.load(open(os.path.join(out, "reviews-model", "fairness_audit.json")))
worst = 0.0
for g in finch_audit["groups"]:
    for name in metrics:
        worst = max(worst, abs(g[name] - frame.by_group.loc[g["group"], name]))
for name in metrics:
    worst = max(worst, abs(finch_audit["overall"][name] - frame.overall[name]))
gaps = {"demographic_parity_difference": demographic_parity_difference(y_true, y_pred, sensitive_features=band),
        "demographic_parity_ratio": demographic_parity_ratio(y_true, y_pred, sensitive_features=band),
        "equalized_odds_difference": equalized_odds_difference(y_true, y_pred, sensitive_features=band)}
for name, value in gaps.items():
    worst = max(worst, abs(finch_audit[name] - value))
print(frame.by_group.round(4).to_string())
print({k: round(v, 4) for k, v in gaps.items()})
print(f"largest |finch - fairlearn| over every group metric and gap: {worst:.2e}"
      f" (fairlearn {fairlearn.__version__}, scikit-learn {sklearn.__version__}, {len(y_pred)} predictions)")
