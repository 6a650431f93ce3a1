"""Reference forward and backward values for FinchTensor's ops, from PyTorch.

Run: /tmp/ref/bin/python Scripts/make_tensor_fixtures.py
Writes Tests/Fixtures/tensor_ops.json. Each op's loss is sum(op(x) * R) with a
fixed random R, so the stored input gradient checks every output element.
"""
import math

import torch

from fixture_util import write_fixture

SEED = 1234
torch.manual_seed(SEED)
g = torch.Generator().manual_seed(SEED)


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).float()


out = {}


def record(name, inputs, fn):
    leaves = [x.clone().requires_grad_(True) for x in inputs]
    y = fn(*leaves)
    r = randn(*y.shape) if y.dim() > 0 else torch.tensor(1.0)
    (y * r).sum().backward()
    for i, x in enumerate(inputs):
        out[f"{name}.input{i}"] = x
        out[f"{name}.grad{i}"] = leaves[i].grad
    out[f"{name}.output"] = y
    out[f"{name}.r"] = r


record("softmax", [randn(13, 37, scale=3)], lambda x: torch.softmax(x, -1))
record("logSoftmax", [randn(5, 7, 9, scale=3)], lambda x: torch.log_softmax(x, -1))
record("layerNorm", [randn(13, 7, 37), randn(37), randn(37)],
       lambda x, w, b: torch.nn.functional.layer_norm(x, (37,), w, b, eps=1e-12))
record("gelu", [randn(13, 37, scale=3)], lambda x: torch.nn.functional.gelu(x))
record("geluTanh", [randn(13, 37, scale=3)], lambda x: torch.nn.functional.gelu(x, approximate="tanh"))

targets = torch.tensor([0, 4, -100, 2, 2, 1, -100, 3, 0, 4, 1])
weights = torch.tensor([0.5, 2.0, 1.0, 0.3, 1.7])
out["crossEntropy.targets"] = targets.float()
out["crossEntropy.weights"] = weights
record("crossEntropy", [randn(11, 5, scale=2)],
       lambda x: torch.nn.functional.cross_entropy(x, targets, ignore_index=-100))
record("crossEntropyWeighted", [randn(11, 5, scale=2)],
       lambda x: torch.nn.functional.cross_entropy(x, targets, weight=weights, ignore_index=-100))
record("logSoftmaxNLL", [randn(11, 5, scale=2)],
       lambda x: torch.nn.functional.nll_loss(torch.log_softmax(x, -1), targets, ignore_index=-100))
bce_target = (randn(6, 5) > 0).float()
out["bce.target"] = bce_target
record("bce", [randn(6, 5, scale=3)],
       lambda x: torch.nn.functional.binary_cross_entropy_with_logits(x, bce_target))

# A small attention block: [batch 2, seq 5, hidden 12], 3 heads, padding mask on the 2nd sequence.
B, S, H, NH = 2, 5, 12, 3
D = H // NH
mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.float32)
out["attention.mask"] = mask


def attention(x, wq, bq, wk, bk, wv, bv):
    def heads(t):
        return t.view(B, S, NH, D).permute(0, 2, 1, 3)
    q = heads(x @ wq.T + bq)
    k = heads(x @ wk.T + bk)
    v = heads(x @ wv.T + bv)
    scores = q @ k.transpose(-1, -2) / math.sqrt(D)
    scores = scores + (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
    probs = torch.softmax(scores, -1)
    ctx = probs @ v
    return ctx.permute(0, 2, 1, 3).reshape(B, S, H)


record("attention", [randn(B, S, H), randn(H, H, scale=0.3), randn(H), randn(H, H, scale=0.3), randn(H),
                     randn(H, H, scale=0.3), randn(H)], attention)

write_fixture("tensor_ops.json", out, SEED)
