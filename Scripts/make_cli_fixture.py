"""A tiny BERT with Hugging Face's default initialization and a 99-token WordPiece vocabulary,
for end-to-end tests of `finch train`, `evaluate` and `predict` (seconds, not minutes).

Run: /tmp/ref/bin/python Scripts/make_cli_fixture.py
Writes Tests/Fixtures/tiny-bert-wordpiece/{config.json, model.safetensors} next to the hand-written
vocab.txt and tokenizer_config.json there.
"""
import os

import torch
from transformers import BertConfig, BertModel

from fixture_util import FIXTURES

SEED = 5
torch.manual_seed(SEED)
out = os.path.join(FIXTURES, "tiny-bert-wordpiece")
config = BertConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
                    max_position_embeddings=64, type_vocab_size=2, hidden_dropout_prob=0.1,
                    attention_probs_dropout_prob=0.1, pad_token_id=0)
BertModel(config).save_pretrained(out, safe_serialization=True)
print("wrote", out, "seed", SEED)
