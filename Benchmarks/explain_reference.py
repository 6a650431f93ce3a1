"""Integrated gradients speed, the reference side: Captum's LayerIntegratedGradients on PyTorch.

Used by Benchmarks/run_explain.sh:
  explain_reference.py prepare --minilm DIR --out DIR   # the model folder and the 128-token text
  explain_reference.py run --model DIR --text FILE --steps 50 --batch 50 --runs 5

`prepare` puts a classification head (2 labels, randomly initialized with torch.manual_seed(0), the
pooler as stored in the MiniLM checkpoint) on all-MiniLM-L6-v2, saves it in Hugging Face layout with
MiniLM's tokenizer files, and picks the first review of the women's clothing reviews whose leading
words tokenize to exactly 128 tokens ([CLS] and [SEP] included). Both sides load that folder and read
that text, so weights, tokens, baseline ([PAD] at every non-special position), steps and internal
batch size are the same. `run` prints one JSON line: wall and CPU seconds of each timed call of
`attribute` (after one warm-up), the convergence delta and the token count.
"""
import argparse
import csv
import json
import os
import shutil
import sys
import time


def prepare(args):
    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification
    torch.manual_seed(0)
    model = BertForSequenceClassification.from_pretrained(args.minilm, num_labels=2)
    model.config.id2label = {0: "negative", 1: "positive"}
    model.config.label2id = {"negative": 0, "positive": 1}
    os.makedirs(args.out, exist_ok=True)
    model.save_pretrained(args.out, safe_serialization=True)
    for name in ["tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"]:
        shutil.copy(os.path.join(args.minilm, name), os.path.join(args.out, name))
    tokenizer = AutoTokenizer.from_pretrained(args.out)
    csv.field_size_limit(1 << 24)
    with open(args.data, newline="") as f:
        for row in csv.DictReader(f):
            words = (row.get("text") or row.get("review_text") or row.get("Review Text") or "").split()
            for n in range(1, len(words) + 1):
                count = len(tokenizer(" ".join(words[:n]))["input_ids"])
                if count == 128:
                    text = " ".join(words[:n])
                    with open(os.path.join(args.out, "text.txt"), "w") as out:
                        out.write(text)
                    print(f"prepared {args.out}: {count} tokens", file=sys.stderr)
                    return
                if count > 128:
                    break
    sys.exit("no review gives exactly 128 tokens")


def run(args):
    import torch
    from captum.attr import LayerIntegratedGradients
    from transformers import AutoTokenizer, BertForSequenceClassification
    torch.set_num_threads(args.threads)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = BertForSequenceClassification.from_pretrained(args.model, attn_implementation="eager").eval()
    for p in model.parameters():
        p.requires_grad_(False)
    text = open(args.text).read()
    enc = tokenizer(text, return_special_tokens_mask=True, return_tensors="pt")
    ids, types, mask = enc["input_ids"], enc["token_type_ids"], enc["attention_mask"]
    special = enc["special_tokens_mask"].bool()
    base = torch.where(special, ids, torch.full_like(ids, tokenizer.pad_token_id))
    with torch.no_grad():
        label = int(model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits.argmax(-1))

    def forward(i, t, m):
        return torch.softmax(model(input_ids=i, token_type_ids=t, attention_mask=m).logits, dim=-1)

    lig = LayerIntegratedGradients(forward, model.bert.embeddings.word_embeddings)

    def once():
        return lig.attribute(inputs=ids, baselines=base, additional_forward_args=(types, mask), target=label,
                             n_steps=args.steps, method="gausslegendre", internal_batch_size=args.batch,
                             return_convergence_delta=True)

    once()
    walls, cpus, delta = [], [], None
    for _ in range(args.runs):
        w0, c0 = time.perf_counter(), time.process_time()
        _, d = once()
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
        delta = float(d[0])
    import captum
    print(json.dumps({"impl": "captum", "steps": args.steps, "batch": args.batch, "tokens": int(ids.shape[1]),
                      "wall": walls, "cpu": cpus, "delta": delta, "threads": args.threads,
                      "versions": {"torch": torch.__version__, "captum": captum.__version__}}))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("prepare")
    a.add_argument("--minilm", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--data", default="/work/shared/data/reviews-en/womens_clothing_reviews_train.csv")
    b = sub.add_parser("run")
    b.add_argument("--model", required=True)
    b.add_argument("--text", required=True)
    b.add_argument("--steps", type=int, default=50)
    b.add_argument("--batch", type=int, default=50)
    b.add_argument("--runs", type=int, default=5)
    b.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    prepare(args) if args.cmd == "prepare" else run(args)
