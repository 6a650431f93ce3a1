"""Reference fixtures for the BERT task heads and their training trajectory.

Run: /tmp/ref/bin/python Scripts/make_head_fixtures.py
Reads the tiny random BERT in Tests/Fixtures/tiny-bert (made by make_bert_fixtures.py), puts a
BertForSequenceClassification (3 labels) and a BertForTokenClassification (5 labels) on it with
dropout off, saves both in Hugging Face layout (Tests/Fixtures/tiny-bert-seqcls, -tokcls) and writes
Tests/Fixtures/head_trajectories.json: logits, loss and every gradient at step 0, then the loss
at each of 10 AdamW steps (Hugging Face's no-decay groups, linear warmup of 3 steps, gradient
clipping at 1.0) on one fixed padded batch.
"""
import os

import torch
from transformers import (BertForSequenceClassification, BertForTokenClassification,
                          get_linear_schedule_with_warmup)

from fixture_util import FIXTURES, write_fixture

SEED = 77
IDS = [[2, 45, 17, 88, 3, 61, 9, 98, 33, 70, 3], [2, 5, 77, 3, 14, 3], [2, 3]]
TYPES = [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1], [0, 0]]
SEQ_LABELS = [2, 0, 1]
TOK_LABELS = [[-100, 1, 2, 4, -100, 0, 3, 3, 1, 0, -100], [-100, 4, 4, 0, 2, -100], [-100, -100]]
STEPS, WARMUP, LR, WD = 10, 3, 5e-3, 0.01


def batch():
    s = max(len(r) for r in IDS)
    pad = lambda rows, v: [r + [v] * (s - len(r)) for r in rows]
    mask = [[1] * len(r) + [0] * (s - len(r)) for r in IDS]
    return torch.tensor(pad(IDS, 0)), torch.tensor(pad(TYPES, 0)), torch.tensor(mask), pad(TOK_LABELS, -100)


def no_decay(name):
    return "bias" in name or "LayerNorm" in name


def trajectory(model, loss_fn, prefix, out):
    named = list(model.named_parameters())
    groups = [{"params": [p for n, p in named if not no_decay(n)], "weight_decay": WD},
              {"params": [p for n, p in named if no_decay(n)], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=LR)
    sched = get_linear_schedule_with_warmup(opt, WARMUP, STEPS)
    losses = []
    for step in range(STEPS):
        opt.zero_grad()
        logits, loss = loss_fn()
        loss.backward()
        if step == 0:
            out[prefix + ".logits"] = logits.detach().clone()
            for n, p in named:
                out[prefix + ".grad." + n] = p.grad.clone()  # clipping below scales grads in place
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(loss.item())
    out[prefix + ".losses"] = torch.tensor(losses)


def main():
    base = os.path.join(FIXTURES, "tiny-bert")
    ids, types, mask, tok_labels = batch()
    out = {}
    torch.manual_seed(SEED)
    kw = dict(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, attn_implementation="eager")
    seq = BertForSequenceClassification.from_pretrained(base, num_labels=3, **kw)
    seq.config.id2label = {0: "negative", 1: "neutral", 2: "positive"}
    seq.config.label2id = {v: k for k, v in seq.config.id2label.items()}
    with torch.no_grad():  # a classifier large enough to matter
        seq.classifier.weight.normal_(0, 0.5)
    seq.save_pretrained(os.path.join(FIXTURES, "tiny-bert-seqcls"), safe_serialization=True)
    seq.train()
    y = torch.tensor(SEQ_LABELS)

    def seq_loss():
        logits = seq(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
        return logits, torch.nn.functional.cross_entropy(logits, y)
    trajectory(seq, seq_loss, "seq", out)

    torch.manual_seed(SEED + 1)
    tok = BertForTokenClassification.from_pretrained(base, num_labels=5, **kw)
    tok.config.id2label = {i: t for i, t in enumerate(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])}
    tok.config.label2id = {v: k for k, v in tok.config.id2label.items()}
    with torch.no_grad():
        tok.classifier.weight.normal_(0, 0.5)
    tok.save_pretrained(os.path.join(FIXTURES, "tiny-bert-tokcls"), safe_serialization=True)
    tok.train()
    t = torch.tensor(tok_labels)

    def tok_loss():
        logits = tok(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
        return logits, torch.nn.functional.cross_entropy(logits.reshape(-1, 5), t.reshape(-1), ignore_index=-100)
    trajectory(tok, tok_loss, "tok", out)
    write_fixture("head_trajectories.json", out, SEED, {"steps": STEPS, "warmup": WARMUP, "lr": LR, "weight_decay": WD})


if __name__ == "__main__":
    main()
