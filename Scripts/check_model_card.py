"""Checks Finch's model card against huggingface_hub's parser.

Run: /tmp/ref/bin/python Scripts/check_model_card.py
Reads Tests/Fixtures/model-card/README.md (the card `finch card` writes for the folder's
config.json, finch_task.json, metrics.jsonl and the run record finch_run.json; ModelCardTests keeps
the two equal), parses it with
huggingface_hub's ModelCard and writes Tests/Fixtures/model-card/hf_check.json: the card data,
the evaluation results huggingface_hub reads from model-index, and the versions.
"""
import json
import os
from importlib.metadata import version

from huggingface_hub import ModelCard

from fixture_util import FIXTURES

folder = os.path.join(FIXTURES, "model-card")
card = ModelCard.load(os.path.join(folder, "README.md"))
data = card.data.to_dict()
results = [{"task_type": r.task_type, "dataset_name": r.dataset_name, "dataset_type": r.dataset_type, "metric_type": r.metric_type,
            "metric_value": r.metric_value} for r in (card.data.eval_results or [])]
out = {"meta": {"script": "check_model_card.py", "huggingface_hub": version("huggingface_hub")},
       "data": data, "eval_results": results, "text_starts_with": card.text.strip().split("\n")[0]}
with open(os.path.join(folder, "hf_check.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
print(json.dumps(out, indent=1, sort_keys=True))
