"""Reference values for MultipleNegativesRankingLoss (FinchTrain's `MultipleNegativesRankingLoss`).

Run: python3 Scripts/make_mnrl_fixture.py, with torch and sentence-transformers installed (in a venv:
python3 -m venv /tmp/ref && /tmp/ref/bin/pip install torch sentence-transformers, then /tmp/ref/bin/python).
Writes Tests/Fixtures/mnrl_loss.json (the committed one: torch 2.15.0, sentence-transformers 6.3.0).

The reference is sentence-transformers' own MultipleNegativesRankingLoss with its defaults
(scale 20, cosine similarity) run on fixed embeddings in float64 (`compute_loss_from_embeddings`,
so no model is involved); it is checked first against the definition written out with PyTorch ops:
  scores[i, j] = scale * cos(anchor_i, positive_j)
  loss = cross_entropy(scores, labels = [0, 1, ..., N - 1])   (mean over the N anchors)
The gradients with respect to both embedding matrices come from torch.autograd. Two
cases: a batch of 5 pairs of width 8, and a batch of 3 with one anchor equal to another's
positive (so a row has a near tie). The gradients are checked against central finite
differences before anything is written.
"""
import torch

from fixture_util import write_fixture

SEED = 13
torch.manual_seed(SEED)
SCALE = 20.0


def mnrl(anchors, positives, scale=SCALE):
    a = torch.nn.functional.normalize(anchors, p=2, dim=1)
    p = torch.nn.functional.normalize(positives, p=2, dim=1)
    scores = a @ p.T * scale
    labels = torch.arange(scores.shape[0])
    return torch.nn.functional.cross_entropy(scores, labels)


def library_loss():
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    loss = MultipleNegativesRankingLoss(model=torch.nn.Module())  # the model is only used by forward()
    assert loss.scale == SCALE, loss.scale
    return lambda a, p: loss.compute_loss_from_embeddings([a, p], None)


LIBRARY = library_loss()


def case(name, anchors, positives, out):
    a = anchors.clone().double().requires_grad_(True)
    p = positives.clone().double().requires_grad_(True)
    loss = LIBRARY(a, p)
    by_hand = mnrl(anchors.double(), positives.double())
    assert abs(loss.item() - by_hand.item()) < 1e-12, (name, loss.item(), by_hand.item())
    loss.backward()
    eps = 1e-6
    for (i, j) in [(0, 0), (a.shape[0] - 1, a.shape[1] - 1)]:
        for which, grad in [(0, a.grad), (1, p.grad)]:
            up = [anchors.clone().double(), positives.clone().double()]
            down = [anchors.clone().double(), positives.clone().double()]
            up[which][i, j] += eps
            down[which][i, j] -= eps
            numeric = (mnrl(*up) - mnrl(*down)).item() / (2 * eps)
            assert abs(numeric - grad[i, j].item()) < 1e-6, (name, which, i, j, numeric, grad[i, j].item())
    out[f"{name}.anchors"] = anchors
    out[f"{name}.positives"] = positives
    out[f"{name}.loss"] = loss.detach()
    out[f"{name}.gradAnchors"] = a.grad
    out[f"{name}.gradPositives"] = p.grad


out = {}
# Random float32-representable embeddings (stored as float32 holds them, so Finch reads the same numbers).
case("batch5", torch.randn(5, 8).float(), torch.randn(5, 8).float(), out)
anchors = torch.randn(3, 6).float()
positives = torch.randn(3, 6).float()
positives[2] = anchors[0] * 1.5  # anchor 0 is as close to positive 2 as a match would be
case("tie3", anchors, positives, out)
write_fixture("mnrl_loss.json", out, SEED, {"scale": SCALE, "similarity": "cosine"})
