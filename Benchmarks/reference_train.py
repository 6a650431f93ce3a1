#!/usr/bin/env python3
"""Hugging Face reference side of Finch's fine-tuning benchmarks (issue 4, "Quality and speed").

Three modes, each printing ONE JSON object on stdout (progress goes to stderr):

  classify   BertForSequenceClassification fine-tuned with transformers.Trainer on a CSV
             (text column + string label column). Reports held-out accuracy, macro-F1,
             weighted-F1, per-label precision/recall/F1, training wall time and s/step.
  ner        BertForTokenClassification fine-tuned with transformers.Trainer on a CoNLL/BIO file
             (`token<TAB>tag`, blank line between sentences). Reports seqeval entity-level
             precision/recall/F1 (default, lenient mode) on the held-out sentences.
  step-time  Times plain training steps (forward, backward, clip, AdamW, schedule) for a fixed
             batch of B x L tokens (padded/truncated to exactly L) and reports the median s/step
             and the peak resident set size of the process.

Held-out split (shared with Finch's side so both evaluate on the same rows)
  rows (CSV records, header excluded) or sentences are numbered 0..N-1 in file order;
  order = numpy.random.default_rng(SEED).permutation(N); the first ceil(FRACTION * N) entries of
  `order` are held out, the rest are trained on (in file order; the Trainer shuffles them).
  `--split-out FILE` writes the held-out indices, sorted ascending, as a JSON array of ints,
  so a non-Python implementation can read the split instead of re-implementing numpy's PCG64.

Labels get ids in sorted (Python string order) label order over the training part.

Word alignment for NER (`--alignment`)
  huggingface     tokenizer(words, is_split_into_words=True): label on the first sub-token of each
                  word, -100 on the others and on special tokens.
  same-character  as above, but the first sub-token of every word is rewritten first: a bare
                  word-boundary piece "\u2581" is dropped when the word has further pieces, and a
                  first piece "\u2581x" becomes "x" when "x" is in the vocabulary. For text written
                  without spaces (one Chinese character per line) a Metaspace/SentencePiece
                  tokenizer otherwise puts the same bare "\u2581" before every character and the
                  label lands on it; with this rule each character is one token carrying its label.
  auto (default)  same-character when no word contains whitespace and the tokenizer's vocabulary
                  has the "\u2581" piece (SentencePiece/Metaspace), else huggingface.
  Words cut off by truncation to --max-length are left out of both gold and predicted sequences
  (the JSON reports how many words that was).

Recipe defaults equal the Hugging Face Trainer's where it has the option: AdamW (torch) with
betas 0.9/0.999, eps 1e-8, weight decay on all parameters except biases and LayerNorm weights,
linear warmup (ceil(warmup_ratio * total steps)) then linear decay to 0, gradient-norm clipping
at 1.0, dropout from the model config, dynamic padding per batch, random sampling seeded by --seed.

Examples (BENCHMARKS.md has the runs and their results):
  python reference_train.py classify --model MINILM_DIR \
      --data ../shared/data/sentiment-en/rotten_tomatoes_train.csv --split-out rt_heldout.json
  python reference_train.py ner --model E5_DIR --data ../shared/data/ner-zh/msra_train.bio \
      --max-sentences 3000 --split-out msra_heldout.json
  python reference_train.py step-time --model MINILM_DIR \
      --data ../shared/data/sentiment-en/rotten_tomatoes_train.csv

Needs: torch, transformers (+ accelerate for Trainer), numpy, scikit-learn, seqeval.
"""
import argparse
import csv
import json
import math
import os
import platform
import resource
import statistics
import sys
import tempfile
import time

import numpy as np

BOUNDARY = "\u2581"  # SentencePiece / Metaspace word-boundary marker


def log(message):
    """Progress line on stderr (stdout carries only the result JSON)."""
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

def heldout_split(count, fraction, seed):
    """Returns (train_indices, heldout_indices), both sorted ascending (see module docstring)."""
    order = np.random.default_rng(seed).permutation(count)
    held = math.ceil(fraction * count)
    return sorted(int(i) for i in order[held:]), sorted(int(i) for i in order[:held])


def write_split(path, heldout):
    """Writes the held-out indices as one JSON array of ints (atomically: temp file + rename)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".split-")
    with os.fdopen(fd, "w") as f:
        json.dump(heldout, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, path)


def read_csv(path, text_column, label_column):
    """Reads (texts, labels) from a CSV with a header; fails on a missing column or empty field."""
    texts, labels = [], []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for column in (text_column, label_column):
            if column not in (reader.fieldnames or []):
                sys.exit(f"{path}: no column '{column}' in header {reader.fieldnames}")
        for record, row in enumerate(reader):
            text, label = row[text_column], row[label_column]
            if not text or not label:
                sys.exit(f"{path}: record {record} (line {reader.line_num}): empty text or label")
            texts.append(text)
            labels.append(label)
    return texts, labels


def read_bio(path, limit):
    """Reads up to `limit` sentences from a `token<TAB>tag` file; returns [(words, tags)]."""
    sentences, words, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    sentences.append((words, tags))
                    words, tags = [], []
                    if limit and len(sentences) == limit:
                        return sentences
                continue
            fields = line.split("\t")
            if len(fields) != 2 or not fields[0] or not fields[1]:
                sys.exit(f"{path}:{number}: expected 'token<TAB>tag', got {line!r}")
            words.append(fields[0])
            tags.append(fields[1])
    if words and (not limit or len(sentences) < limit):
        sentences.append((words, tags))
    return sentences


class ListDataset:
    """A list of feature dicts, the minimal map-style dataset the Trainer needs."""

    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]


# ---------------------------------------------------------------------------------------------
# NER alignment
# ---------------------------------------------------------------------------------------------

def resolve_alignment(requested, tokenizer, sentences):
    """Chooses the alignment for `auto` (see module docstring)."""
    if requested != "auto":
        return requested
    spaceless = all(not any(c.isspace() for c in w) for words, _ in sentences for w in words)
    return "same-character" if spaceless and BOUNDARY in tokenizer.get_vocab() else "huggingface"


def align_sentence(tokenizer, vocab, words, tag_ids, alignment, max_length, stats):
    """Token ids and labels for one sentence; returns (features, number of words kept).

    Each word's pieces come from tokenizer(words, is_split_into_words=True). With
    `same-character` the word's first piece is rewritten as the module docstring says. The
    label goes on the (rewritten) first piece of each word, -100 on other pieces and specials.
    """
    encoding = tokenizer(words, is_split_into_words=True, add_special_tokens=False)
    pieces_per_word = [[] for _ in words]
    for piece_id, word in zip(encoding["input_ids"], encoding.word_ids()):
        pieces_per_word[word].append(piece_id)
    budget = max_length - 2  # room for the two special tokens
    ids, labels, kept = [], [], 0
    for word_index, pieces in enumerate(pieces_per_word):
        if not pieces:  # a word the tokenizer erased entirely: give it the unknown token
            pieces = [tokenizer.unk_token_id]
            stats["empty_words"] += 1
        if alignment == "same-character":
            first = tokenizer.convert_ids_to_tokens(pieces[0])
            if first == BOUNDARY and len(pieces) > 1:
                pieces = pieces[1:]
                stats["bare_boundary_dropped"] += 1
            elif first.startswith(BOUNDARY) and len(first) > 1 and first[1:] in vocab:
                pieces = [vocab[first[1:]]] + pieces[1:]
                stats["boundary_prefix_removed"] += 1
        if len(ids) + len(pieces) > budget:
            break
        ids.extend(pieces)
        labels.extend([tag_ids[word_index]] + [-100] * (len(pieces) - 1))
        stats["multi_piece_words"] += len(pieces) > 1
        kept += 1
    stats["truncated_words"] += len(words) - kept
    ids = [tokenizer.cls_token_id] + ids + [tokenizer.sep_token_id]
    labels = [-100] + labels + [-100]
    stats["tokens"] += len(ids)
    return {"input_ids": ids, "attention_mask": [1] * len(ids), "labels": labels}, kept


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------

def make_progress_callback(every):
    """A TrainerCallback that records per-step wall times and logs progress to stderr."""
    from transformers import TrainerCallback

    class StepTimer(TrainerCallback):
        def __init__(self):
            self.step_times, self.start, self.step_start, self.last_loss = [], None, None, None

        def on_train_begin(self, args, state, control, **kwargs):
            self.start = time.perf_counter()

        def on_step_begin(self, args, state, control, **kwargs):
            self.step_start = time.perf_counter()

        def on_step_end(self, args, state, control, **kwargs):
            self.step_times.append(time.perf_counter() - self.step_start)
            step, total = state.global_step, state.max_steps
            if step % every == 0 or step == total:
                elapsed = time.perf_counter() - self.start
                eta = elapsed / step * (total - step)
                log(f"step {step}/{total}  loss {self.last_loss}  elapsed {elapsed:.0f}s  "
                    f"eta {eta:.0f}s  last {self.step_times[-1]:.2f}s/step")

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and "loss" in logs:
                self.last_loss = round(float(logs["loss"]), 4)

    return StepTimer()


def training_arguments(args, output_dir):
    """TrainingArguments for the recipe; evaluation happens once, after training."""
    from transformers import TrainingArguments
    return TrainingArguments(
        output_dir=output_dir, num_train_epochs=args.epochs,
        per_device_train_batch_size=args.batch_size, per_device_eval_batch_size=64,
        learning_rate=args.lr, weight_decay=args.weight_decay,
        warmup_steps=args.warmup_ratio,  # a float < 1 is a ratio: ceil(ratio * total steps)
        lr_scheduler_type="linear", optim="adamw_torch", adam_beta1=0.9, adam_beta2=0.999,
        adam_epsilon=1e-8, max_grad_norm=1.0, seed=args.seed, use_cpu=True,
        eval_strategy="no", save_strategy="no", report_to="none", logging_steps=args.log_every,
        disable_tqdm=True, dataloader_num_workers=0)


def balanced_class_weights(label_lists, count):
    """scikit-learn's "balanced" weights n / (classes * count_c) over the labels that enter the
    loss (-100 excluded); a class never seen gets weight 1. Finch's `--class-weights auto`."""
    counts = np.zeros(count)
    for labels in label_lists:
        for label in labels:
            if label >= 0:
                counts[label] += 1
    total = counts.sum()
    return [float(total / (count * c)) if c > 0 else 1.0 for c in counts]


def weighted_trainer_class(weights):
    """A Trainer whose loss is cross-entropy with per-class weights (PyTorch's weighted mean)."""
    import torch
    from transformers import Trainer

    class WeightedTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
            labels = inputs.pop("labels")
            outputs = model(**inputs)
            logits = outputs.logits
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), labels.reshape(-1),
                weight=torch.tensor(weights, dtype=logits.dtype), ignore_index=-100)
            return (loss, outputs) if return_outputs else loss

    return WeightedTrainer


def train(args, model, train_set, collator, class_weights=None):
    """Runs Trainer.train(); returns (trainer, timing dict)."""
    from transformers import Trainer
    trainer_class = weighted_trainer_class(class_weights) if class_weights else Trainer
    if args.freeze_embeddings:
        for parameter in model.base_model.embeddings.parameters():
            parameter.requires_grad = False
    callback = make_progress_callback(args.log_every)
    with tempfile.TemporaryDirectory(prefix="reference-train-") as output_dir:
        trainer = trainer_class(model=model, args=training_arguments(args, output_dir),
                                train_dataset=train_set, data_collator=collator, callbacks=[callback])
        start = time.perf_counter()
        result = trainer.train()
        wall = time.perf_counter() - start
    steps = result.global_step
    timing = {"train_wall_s": round(wall, 2), "steps": steps,
              "mean_s_per_step": round(wall / steps, 4),
              "median_step_s": round(statistics.median(callback.step_times), 4),
              "train_loss": round(float(result.training_loss), 5),
              "warmup_steps": math.ceil(args.warmup_ratio * steps)}
    return trainer, timing


def run_classify(args, tokenizer):
    import torch
    from sklearn.metrics import accuracy_score, classification_report, f1_score
    from transformers import AutoModelForSequenceClassification, DataCollatorWithPadding, set_seed

    texts, labels = read_csv(args.data, args.text_column, args.label_column)
    train_idx, held_idx = heldout_split(len(texts), args.heldout_fraction, args.split_seed)
    if args.split_out:
        write_split(args.split_out, held_idx)
    label_names = sorted({labels[i] for i in train_idx})
    label_id = {name: i for i, name in enumerate(label_names)}
    unseen = {labels[i] for i in held_idx} - set(label_names)
    if unseen:
        sys.exit(f"{args.data}: held-out labels never seen in training: {sorted(unseen)}")

    def encode(indices):
        enc = tokenizer([texts[i] for i in indices], truncation=True, max_length=args.max_length)
        return ListDataset([dict({k: enc[k][n] for k in enc}, labels=label_id[labels[i]])
                            for n, i in enumerate(indices)])

    train_set, held_set = encode(train_idx), encode(held_idx)
    set_seed(args.seed)  # the fresh classifier head is drawn from this seed
    model = AutoModelForSequenceClassification.from_pretrained(
        args.model, num_labels=len(label_names), id2label=dict(enumerate(label_names)),
        label2id=label_id)
    trainer, timing = train(args, model, train_set, DataCollatorWithPadding(tokenizer))
    start = time.perf_counter()
    logits = trainer.predict(held_set).predictions
    eval_s = time.perf_counter() - start
    predicted = np.argmax(logits, axis=-1).tolist()
    gold = [label_id[labels[i]] for i in held_idx]
    report = classification_report(gold, predicted, labels=list(range(len(label_names))),
                                   target_names=label_names, output_dict=True, zero_division=0)
    return {
        "labels": label_names,
        "split": {"rows": len(texts), "train": len(train_idx), "heldout": len(held_idx)},
        "metrics": {
            "accuracy": round(accuracy_score(gold, predicted), 5),
            "macro_f1": round(f1_score(gold, predicted, average="macro", zero_division=0), 5),
            "weighted_f1": round(f1_score(gold, predicted, average="weighted", zero_division=0), 5),
            "per_label": {name: {k: int(v) if k == "support" else round(v, 5)
                                 for k, v in report[name].items()} for name in label_names}},
        "timing": dict(timing, eval_s=round(eval_s, 2)),
        "model_class": type(model).__name__,
        "torch_threads": torch.get_num_threads(),
    }


def run_ner(args, tokenizer):
    import torch
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
    from transformers import AutoModelForTokenClassification, DataCollatorForTokenClassification
    from transformers import set_seed

    sentences = read_bio(args.data, args.max_sentences)
    train_idx, held_idx = heldout_split(len(sentences), args.heldout_fraction, args.split_seed)
    if args.split_out:
        write_split(args.split_out, held_idx)
    label_names = sorted({t for i in train_idx for t in sentences[i][1]})
    label_id = {name: i for i, name in enumerate(label_names)}
    unseen = {t for i in held_idx for t in sentences[i][1]} - set(label_names)
    if unseen:
        sys.exit(f"{args.data}: held-out tags never seen in training: {sorted(unseen)}")
    alignment = resolve_alignment(args.alignment, tokenizer, sentences)
    vocab = tokenizer.get_vocab()
    stats = dict.fromkeys(["bare_boundary_dropped", "boundary_prefix_removed", "multi_piece_words",
                           "empty_words", "truncated_words", "tokens"], 0)

    def encode(indices):
        items, kept = [], []
        for i in indices:
            words, tags = sentences[i]
            features, n = align_sentence(tokenizer, vocab, words, [label_id[t] for t in tags],
                                         alignment, args.max_length, stats)
            items.append(features)
            kept.append(n)
        return ListDataset(items), kept

    train_set, _ = encode(train_idx)
    held_set, held_kept = encode(held_idx)
    set_seed(args.seed)
    model = AutoModelForTokenClassification.from_pretrained(
        args.model, num_labels=len(label_names), id2label=dict(enumerate(label_names)),
        label2id=label_id)
    weights = None
    if args.class_weights == "auto":
        weights = balanced_class_weights([item["labels"] for item in train_set.items], len(label_names))
    trainer, timing = train(args, model, train_set, DataCollatorForTokenClassification(tokenizer),
                            class_weights=weights)
    start = time.perf_counter()
    output = trainer.predict(held_set)
    eval_s = time.perf_counter() - start
    predicted_ids = np.argmax(output.predictions, axis=-1)
    gold, predicted = [], []
    for row, (i, kept) in enumerate(zip(held_idx, held_kept)):
        positions = [p for p, l in enumerate(held_set[row]["labels"]) if l != -100]
        assert len(positions) == kept
        gold.append(sentences[i][1][:kept])
        predicted.append([label_names[predicted_ids[row][p]] for p in positions])
    report = classification_report(gold, predicted, output_dict=True, zero_division=0)
    entity_types = sorted(k for k in report if not k.endswith(" avg"))
    return {
        "labels": label_names,
        "alignment": alignment,
        "alignment_stats": stats,
        "split": {"sentences": len(sentences), "train": len(train_idx), "heldout": len(held_idx)},
        "metrics": {
            "precision": round(precision_score(gold, predicted), 5),
            "recall": round(recall_score(gold, predicted), 5),
            "f1": round(f1_score(gold, predicted), 5),
            "per_type": {t: {k: round(float(v), 5) if k != "support" else int(v)
                             for k, v in report[t].items()} for t in entity_types},
            "seqeval_mode": "default"},
        "timing": dict(timing, eval_s=round(eval_s, 2)),
        "model_class": type(model).__name__,
        "torch_threads": torch.get_num_threads(),
    }


def current_rss_bytes():
    """Resident set size now, from /proc/self/status (Linux)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return None


def run_step_time(args, tokenizer):
    """Times training steps like the Trainer's inner loop on one fixed-shape batch per step."""
    import torch
    from transformers import AutoModelForSequenceClassification, get_linear_schedule_with_warmup
    from transformers import set_seed

    texts, labels = read_csv(args.data, args.text_column, args.label_column)
    label_names = sorted(set(labels))
    total = args.warmup_steps + args.steps
    needed = total * args.batch_size
    batches = []
    for step in range(total):
        rows = [(step * args.batch_size + k) % len(texts) for k in range(args.batch_size)]
        enc = tokenizer([texts[r] for r in rows], padding="max_length", truncation=True,
                        max_length=args.max_length, return_tensors="pt")
        enc["labels"] = torch.tensor([label_names.index(labels[r]) for r in rows])
        batches.append(enc)
    set_seed(args.seed)
    model = AutoModelForSequenceClassification.from_pretrained(args.model,
                                                               num_labels=len(label_names))
    model.train()
    no_decay = [n for n, p in model.named_parameters() if "bias" in n or "LayerNorm" in n]
    groups = [{"params": [p for n, p in model.named_parameters() if n not in no_decay],
               "weight_decay": args.weight_decay},
              {"params": [p for n, p in model.named_parameters() if n in no_decay],
               "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    schedule = get_linear_schedule_with_warmup(optimizer, math.ceil(args.warmup_ratio * total),
                                               total)
    rss_loaded = current_rss_bytes()
    times = []
    for step, batch in enumerate(batches):
        start = time.perf_counter()
        loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        elapsed = time.perf_counter() - start
        if step >= args.warmup_steps:
            times.append(elapsed)
        log(f"step {step + 1}/{total}  loss {loss.item():.4f}  {elapsed:.3f}s"
            + ("  (warmup, not timed)" if step < args.warmup_steps else ""))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    return {
        "shape": {"batch": args.batch_size, "tokens": args.max_length, "sequences_used": needed},
        "timing": {"median_s_per_step": round(statistics.median(times), 4),
                   "mean_s_per_step": round(statistics.mean(times), 4),
                   "min_s_per_step": round(min(times), 4), "max_s_per_step": round(max(times), 4),
                   "timed_steps": len(times), "untimed_warmup_steps": args.warmup_steps,
                   "step_times_s": [round(t, 4) for t in times]},
        "memory": {"peak_rss_bytes": peak, "peak_rss_gib": round(peak / 2**30, 3),
                   "rss_after_load_bytes": rss_loaded},
        "model_class": type(model).__name__,
        "attention": model.config._attn_implementation,
        "torch_threads": torch.get_num_threads(),
    }


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

def versions():
    import sklearn
    import tokenizers
    import torch
    import transformers
    found = {"python": platform.python_version(), "torch": torch.__version__,
             "transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
             "numpy": np.__version__, "scikit-learn": sklearn.__version__}
    try:
        from importlib.metadata import version
        found["seqeval"] = version("seqeval")
        found["accelerate"] = version("accelerate")
    except Exception:  # metadata missing: versions are informative only
        pass
    return found


def parse_arguments():
    parser = argparse.ArgumentParser(
        description="Hugging Face reference runs for Finch's fine-tuning benchmarks; prints one "
                    "JSON object on stdout.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("task", choices=["classify", "ner", "step-time"])
    parser.add_argument("--model", required=True, help="Hugging Face BERT folder")
    parser.add_argument("--data", required=True, help="CSV (classify, step-time) or BIO (ner)")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--max-sentences", type=int, default=3000,
                        help="ner: use only the first N sentences of the file (0 = all)")
    parser.add_argument("--alignment", default="auto",
                        choices=["auto", "same-character", "huggingface"])
    parser.add_argument("--heldout-fraction", type=float, default=0.1)
    parser.add_argument("--split-seed", type=int, default=42)
    parser.add_argument("--split-out", help="write the held-out indices here (JSON array)")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--warmup-ratio", type=float, default=0.1)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=42, help="Trainer / head-initialisation seed")
    parser.add_argument("--class-weights", choices=["auto"],
                        help="ner: weight the loss per tag, inverse frequency (Finch's auto)")
    parser.add_argument("--freeze-embeddings", action="store_true",
                        help="do not train the embedding layer (Finch's --freeze-embeddings)")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--log-every", type=int, default=20, help="progress every N steps")
    parser.add_argument("--steps", type=int, default=10, help="step-time: timed steps")
    parser.add_argument("--warmup-steps", type=int, default=3,
                        help="step-time: untimed steps before timing")
    parser.add_argument("--json-out", help="also write the result JSON to this file")
    return parser.parse_args()


def main():
    args = parse_arguments()
    import torch
    from transformers import AutoTokenizer
    torch.set_num_threads(args.threads)
    result_stream = sys.stdout
    sys.stdout = sys.stderr  # the Trainer prints its logs on stdout: keep stdout for the result
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    started = time.time()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    runner = {"classify": run_classify, "ner": run_ner, "step-time": run_step_time}[args.task]
    result = {"task": args.task, "model": os.path.abspath(args.model),
              "data": os.path.abspath(args.data),
              "recipe": {k: getattr(args, k) for k in (
                  "epochs", "batch_size", "lr", "max_length", "warmup_ratio", "weight_decay",
                  "seed", "heldout_fraction", "split_seed", "threads")},
              "recipe_fixed": {"optimizer": "torch.optim.AdamW", "betas": [0.9, 0.999],
                               "eps": 1e-8, "no_decay": "biases and LayerNorm weights",
                               "schedule": "linear warmup then linear decay to 0",
                               "max_grad_norm": 1.0, "dropout": "model config",
                               "padding": "dynamic per batch" if args.task != "step-time"
                               else f"fixed {args.max_length}"}}
    if args.task == "ner":
        result["recipe"]["max_sentences"] = args.max_sentences
    result.update(runner(args, tokenizer))
    if args.split_out and args.task != "step-time":
        result["split"]["heldout_indices_file"] = os.path.abspath(args.split_out)
    result["process_peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result["versions"] = versions()
    result["machine"] = {"cpus": os.cpu_count(), "platform": platform.platform(),
                         "load_average_1_5_15_at_start": load_at_start,
                         "load_average_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()]}
    result["started_unix"] = int(started)
    text = json.dumps(result, ensure_ascii=False)
    print(text, file=result_stream, flush=True)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
