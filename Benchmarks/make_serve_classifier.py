"""Writes the classifier both sides serve in Benchmarks/run_serve.sh: all-MiniLM-L6-v2's encoder with
a seeded, untrained two-label head (BertForSequenceClassification, Hugging Face layout). Speed does
not depend on what the head learned; Finch and transformers load the same folder.

    python make_serve_classifier.py MINILM_DIR OUT_DIR
"""

import sys

import torch
import transformers
from transformers import AutoModelForSequenceClassification, AutoTokenizer

source, out = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
model = AutoModelForSequenceClassification.from_pretrained(
    source, num_labels=2, id2label={0: "negative", 1: "positive"}, label2id={"negative": 0, "positive": 1}
)
model.save_pretrained(out, safe_serialization=True)
AutoTokenizer.from_pretrained(source).save_pretrained(out)
print(f"wrote {out} (transformers {transformers.__version__}, torch {torch.__version__}, seed 0)", file=sys.stderr)
