"""Reference for a sequence classifier on a checkpoint saved without a pooler.

Run: /tmp/ref/bin/python Scripts/make_pooler_init_fixture.py
Saves the tiny random BERT of Tests/Fixtures/tiny-bert without its pooler (as sentence-transformers
checkpoints such as multilingual-e5 ship), loads it with `BertForSequenceClassification.from_pretrained`
(3 labels), which initializes the missing pooler and classifier with `_init_weights`
(normal(0, initializer_range²) weights, zero biases), and writes Tests/Fixtures/pooler_init.json:
those four initialized tensors, the logits and cross-entropy loss on one padded batch (eval mode,
no dropout), and the gradients of the pooler and classifier weights. torch's generator cannot be
reproduced from Swift, so the Swift test loads these initialized tensors to check the architecture
and checks Finch's own draw by its distribution.
"""
import os
import shutil
import tempfile

import torch
from transformers import BertForSequenceClassification, BertModel

from fixture_util import FIXTURES, write_fixture

SEED = 314
IDS = [[2, 45, 17, 88, 3, 61, 9, 98, 33, 70, 3], [2, 5, 77, 3, 14, 3], [2, 3]]
TYPES = [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1], [0, 0]]
LABELS = [2, 0, 1]


def main():
    tiny = os.path.join(FIXTURES, "tiny-bert")
    work = tempfile.mkdtemp(prefix="finch-nopooler-")
    try:
        encoder = BertModel.from_pretrained(tiny, add_pooling_layer=False)
        encoder.save_pretrained(work)
        torch.manual_seed(SEED)
        model, info = BertForSequenceClassification.from_pretrained(
            work, num_labels=3, output_loading_info=True, attn_implementation="eager")
    finally:
        shutil.rmtree(work)
    missing = sorted(info["missing_keys"])
    assert missing == ["bert.pooler.dense.bias", "bert.pooler.dense.weight", "classifier.bias", "classifier.weight"], missing
    model.eval()
    s = max(len(r) for r in IDS)
    ids = torch.tensor([r + [0] * (s - len(r)) for r in IDS])
    types = torch.tensor([r + [0] * (s - len(r)) for r in TYPES])
    mask = torch.tensor([[1] * len(r) + [0] * (s - len(r)) for r in IDS])
    logits = model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(LABELS))
    loss.backward()
    out = {
        "pooler.dense.weight": model.bert.pooler.dense.weight, "pooler.dense.bias": model.bert.pooler.dense.bias,
        "classifier.weight": model.classifier.weight, "classifier.bias": model.classifier.bias,
        "logits": logits, "loss": loss.reshape(1),
        "grad.pooler.dense.weight": model.bert.pooler.dense.weight.grad,
        "grad.classifier.weight": model.classifier.weight.grad,
    }
    write_fixture("pooler_init.json", out, SEED, {
        "initializer_range": model.config.initializer_range, "missing_keys": " ".join(missing)})


if __name__ == "__main__":
    main()
