"""Checks that classifiers and taggers fine-tuned by Finch load in Hugging Face `transformers`
with the same outputs, and records the result in Tests/Fixtures/finch_heads_in_transformers.json.

Run after building Finch: /tmp/ref/bin/python Scripts/check_finch_heads_in_transformers.py [path/to/finch]
It fine-tunes the tiny WordPiece BERT fixture with `finch train classify` and `finch train ner`,
loads each output directory with BertForSequenceClassification / BertForTokenClassification and
compares the class probabilities with `finch predict` on the same inputs.
"""
import json
import os
import subprocess
import sys
import tempfile

import torch
from transformers import AutoTokenizer, BertForSequenceClassification, BertForTokenClassification

from fixture_util import FIXTURES, ROOT, versions

finch = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "finch")
model = os.path.join(FIXTURES, "tiny-bert-wordpiece")
work = tempfile.mkdtemp(prefix="finch-heads-")
result = {"meta": {"script": os.path.basename(__file__), **{k: str(v) for k, v in versions().items()}}}


def run(args, stdin=""):
    p = subprocess.run([finch] + args, input=stdin, capture_output=True, text=True, check=True)
    return p.stdout


# Sequence classification.
out = os.path.join(work, "cls")
run(["train", "classify", "--model", model, "--train", os.path.join(FIXTURES, "tiny-sentiment.csv"), "--out", out,
     "--epochs", "6", "--batch-size", "8", "--lr", "1e-2", "--max-length", "16"])
texts = ["the movie was very good", "the plot was awful", "a fun story"]
finch_scores = [json.loads(line)["scores"] for line in run(["predict", "--model", out], "\n".join(texts) + "\n").splitlines()]
hf = BertForSequenceClassification.from_pretrained(out).eval()
tok = AutoTokenizer.from_pretrained(out)
with torch.no_grad():
    probs = torch.softmax(hf(**tok(texts, return_tensors="pt", padding=True)).logits, -1)
labels = [hf.config.id2label[i] for i in range(probs.shape[1])]
diff = max(abs(probs[r, j].item() - finch_scores[r][labels[j]]) for r in range(len(texts)) for j in range(len(labels)))
result["sequence_classification"] = {"labels": labels, "max_abs_probability_difference": diff, "ok": diff < 1e-5}

# Token classification: the tag probabilities of each word's first piece.
out = os.path.join(work, "ner")
run(["train", "ner", "--model", model, "--train", os.path.join(FIXTURES, "tiny-ner.bio"), "--out", out,
     "--epochs", "8", "--batch-size", "8", "--lr", "1e-2", "--max-length", "24"])
sentence = "Mary visited Paris ."
entities = json.loads(run(["predict", "--model", out], sentence + "\n"))["entities"]
hf = BertForTokenClassification.from_pretrained(out).eval()
tok = AutoTokenizer.from_pretrained(out)
enc = tok(sentence.split(), is_split_into_words=True, return_tensors="pt")
with torch.no_grad():
    probs = torch.softmax(hf(**enc).logits[0], -1)
words = enc.word_ids()
first = {w: i for i, w in reversed(list(enumerate(words))) if w is not None}
hf_tags = [hf.config.id2label[int(probs[first[w]].argmax())] for w in range(len(sentence.split()))]
finch_words = {e["text"]: (e["label"], e["score"]) for e in entities}
hf_entities = {sentence.split()[w]: (t[2:], probs[first[w]].max().item()) for w, t in enumerate(hf_tags) if t != "O"}
same = set(finch_words) == set(hf_entities) and all(
    finch_words[k][0] == hf_entities[k][0] and abs(finch_words[k][1] - hf_entities[k][1]) < 1e-5 for k in finch_words)
result["token_classification"] = {"finch_entities": entities, "transformers_tags": hf_tags, "ok": same}

path = os.path.join(FIXTURES, "finch_heads_in_transformers.json")
with open(path, "w") as f:
    json.dump(result, f, indent=1, sort_keys=True)
    f.write("\n")
print(json.dumps(result, indent=1))
if not (result["sequence_classification"]["ok"] and result["token_classification"]["ok"]):
    sys.exit(1)
