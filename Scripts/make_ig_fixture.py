"""Integrated-gradients reference: Captum's LayerIntegratedGradients on the tiny random BERT heads.

Run: /tmp/ref/bin/python Scripts/make_ig_fixture.py
Reads the classifier Tests/Fixtures/tiny-bert-seqcls and the tagger Tests/Fixtures/tiny-bert-tokcls
(made by make_head_fixtures.py) with the WordPiece vocabulary of Tests/Fixtures/tiny-bert-wordpiece,
and writes Tests/Fixtures/explain/ig_captum.json.

What Finch's `IntegratedGradients` must reproduce, and how this script sets it up:
- the layer is `bert.embeddings.word_embeddings` (its output is interpolated; position and token-type
  embeddings are not), `method="gausslegendre"`, `multiply_by_inputs=True` (Captum's defaults);
- the baseline is the input ids with [PAD] (id 0) at every position that is not a special token
  ([CLS], [SEP] kept), passed to Captum as `baselines=` so it embeds them itself;
- the classifier's F is the softmax probability of a class (or its logit, one case); the tagger's F is
  the sum of the logits at fixed (position, label) terms;
- attributions are summed over the hidden dimension per token; `delta` is Captum's convergence delta.
The model runs in eval mode with eager attention, float32, on the CPU; nothing here is random, the
seed is recorded for the record only.
"""
import json
import os

import captum
import torch
from captum.attr import LayerIntegratedGradients
from transformers import BertForSequenceClassification, BertForTokenClassification, BertTokenizer

from fixture_util import FIXTURES, versions

SEED = 0
torch.manual_seed(SEED)
torch.set_num_threads(1)
tokenizer = BertTokenizer(os.path.join(FIXTURES, "tiny-bert-wordpiece", "vocab.txt"), do_lower_case=True)
seq = BertForSequenceClassification.from_pretrained(os.path.join(FIXTURES, "tiny-bert-seqcls"), attn_implementation="eager").eval()
tok = BertForTokenClassification.from_pretrained(os.path.join(FIXTURES, "tiny-bert-tokcls"), attn_implementation="eager").eval()

# (name, model kind, text, pair, steps, internal batch size, output, tagger terms [(position, label)])
CASES = [
    ("single_prob_50", "classifier", "the movie was very good and fun", None, 50, 16, "probability", None),
    ("single_prob_7", "classifier", "john hated the boring plot.", None, 7, None, "probability", None),
    ("pair_prob_20", "classifier", "the film is great", "mary loved the story", 20, 8, "probability", None),
    ("single_logit_30", "classifier", "awful actor, bad film", None, 30, None, "logit", None),
    ("tagger_entity_25", "tagger", "john smith visited paris", None, 25, 10, "token_logits", [(1, 1), (2, 2)]),
]
DELTA_STEPS = [2, 4, 8, 16, 32, 64]  # the delta at several step counts for the first case


def encode(text, pair):
    enc = tokenizer(text, pair, return_special_tokens_mask=True, return_token_type_ids=True)
    ids = enc["input_ids"]
    special = enc["special_tokens_mask"]
    base = [i if s else tokenizer.pad_token_id for i, s in zip(ids, special)]
    return ids, enc["token_type_ids"], special, base


def forward_for(kind, output, label, terms):
    def classifier(ids, types, mask):
        logits = seq(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
        return torch.softmax(logits, dim=-1) if output == "probability" else logits

    def tagger(ids, types, mask):
        logits = tok(input_ids=ids, token_type_ids=types, attention_mask=mask).logits  # [B, S, labels]
        return sum(logits[:, p, l] for p, l in terms)

    return (classifier, label) if kind == "classifier" else (tagger, None)


def run(kind, ids, types, base, steps, batch, output, terms):
    model = seq if kind == "classifier" else tok
    t_ids, t_types, t_base = torch.tensor([ids]), torch.tensor([types]), torch.tensor([base])
    mask = torch.ones_like(t_ids)
    label = None
    if kind == "classifier":
        with torch.no_grad():
            label = int(seq(input_ids=t_ids, token_type_ids=t_types, attention_mask=mask).logits.argmax(-1))
    forward, target = forward_for(kind, output, label, terms)
    lig = LayerIntegratedGradients(forward, model.bert.embeddings.word_embeddings)
    attr, delta = lig.attribute(
        inputs=t_ids, baselines=t_base, additional_forward_args=(t_types, mask), target=target, n_steps=steps,
        method="gausslegendre", internal_batch_size=batch, return_convergence_delta=True)
    with torch.no_grad():
        f_in = forward(t_ids, t_types, mask)
        f_base = forward(t_base, t_types, mask)
        if target is not None:
            f_in, f_base = f_in[:, target], f_base[:, target]
    return label, attr.sum(-1)[0].tolist(), float(delta[0]), float(f_in[0]), float(f_base[0])


cases = []
for name, kind, text, pair, steps, batch, output, terms in CASES:
    ids, types, special, base = encode(text, pair)
    label, tokens, delta, f_in, f_base = run(kind, ids, types, base, steps, batch, output, terms)
    case = {"name": name, "model": kind, "text": text, "pair": pair, "steps": steps, "internal_batch_size": batch,
            "output": output, "label": label, "terms": [list(t) for t in terms] if terms else None,
            "ids": ids, "type_ids": types, "special": special, "baseline_ids": base,
            "token_attributions": [float(f"{v:.9g}") for v in tokens], "delta": delta, "f_input": f_in,
            "f_baseline": f_base}
    if name == "single_prob_50":
        case["deltas_by_steps"] = {str(n): run(kind, ids, types, base, n, None, output, terms)[2] for n in DELTA_STEPS}
    cases.append(case)
    print(f"{name}: label {label} F {f_in:.6f} - {f_base:.6f}, sum {sum(tokens):.6f}, delta {delta:.3e}")

meta = {"script": os.path.basename(__file__), "seed": str(SEED), "captum": captum.__version__}
meta.update({k: str(v) for k, v in versions().items()})
path = os.path.join(FIXTURES, "explain", "ig_captum.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path + ".tmp", "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
    f.write("\n")
os.replace(path + ".tmp", path)
print("wrote", path, os.path.getsize(path), "bytes")
