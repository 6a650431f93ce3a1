"""Reference values for knowledge distillation's loss (FinchTensor's `klDivergence`, FinchTrain's `DistillationLoss`).

Run: python3 Scripts/make_distillation_fixtures.py
Writes Tests/Fixtures/distillation_loss.json.

PyTorch is not installable on the machines this project runs on, so the reference is NumPy in
float64, written from the definitions PyTorch documents:
  kl_div(input, target, reduction="batchmean", log_target=True) = sum(exp(target) * (target - input)) / N
  cross_entropy(logits, y) = mean_i(-log_softmax(logits)_i[y_i])
and the distillation loss of Hinton et al. (2015) as DistilBERT trains it:
  loss = alpha * T^2 * kl_div(log_softmax(s / T), log_softmax(t / T)) + (1 - alpha) * cross_entropy(s, y)
with its gradient with respect to the student logits s worked out by hand:
  d loss / d s = alpha * T * (softmax(s / T) - softmax(t / T)) / N + (1 - alpha) * (softmax(s) - onehot(y)) / N
The KL gradient is also checked by central finite differences here before anything is written.
"""
import numpy as np

from fixture_util import write_fixture

SEED = 2026
rng = np.random.default_rng(SEED)


def log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    z = x - m
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def kl_batchmean(log_p, log_q):
    return float((np.exp(log_q) * (log_q - log_p)).sum() / log_p.shape[0])


out = {}

# klDivergence alone: log p [13, 7] and log q [13, 7] (a peaked teacher row whose q underflows in float32).
log_p = log_softmax(rng.normal(size=(13, 7)) * 2)
teacher = rng.normal(size=(13, 7)) * 3
teacher[4, 2] = 120.0
log_q = log_softmax(teacher)
kl = kl_batchmean(log_p, log_q)
grad = -np.exp(log_q) / log_p.shape[0]
eps = 1e-6
for i, j in [(0, 0), (4, 2), (12, 6)]:
    up, down = log_p.copy(), log_p.copy()
    up[i, j] += eps
    down[i, j] -= eps
    numeric = (kl_batchmean(up, log_q) - kl_batchmean(down, log_q)) / (2 * eps)
    assert abs(numeric - grad[i, j]) < 1e-8, (i, j, numeric, grad[i, j])
out["kl.input"] = log_p
out["kl.logTarget"] = log_q
out["kl.output"] = np.array(kl)
# Stored as float32 holds it: row 4's off-peak entries (about 1e-53) underflow to 0, as they do in Finch.
out["kl.grad"] = grad.astype(np.float32).astype(np.float64)

# The distillation loss on student and teacher logits [9, 5], T = 2, alpha = 0.3.
T, alpha = 2.0, 0.3
s = rng.normal(size=(9, 5)) * 2
t = rng.normal(size=(9, 5)) * 2
y = np.array([0, 4, 2, 2, 1, 3, 0, 4, 1])
n = s.shape[0]
soft = kl_batchmean(log_softmax(s / T), log_softmax(t / T))
hard = float(-log_softmax(s)[np.arange(n), y].mean())
onehot = np.eye(5)[y]
out["distill.student"] = s
out["distill.teacher"] = t
out["distill.targets"] = y.astype("float64")
out["distill.kl"] = np.array(soft)
out["distill.crossEntropy"] = np.array(hard)
out["distill.loss"] = np.array(alpha * T * T * soft + (1 - alpha) * hard)
out["distill.grad"] = (
    alpha * T * (np.exp(log_softmax(s / T)) - np.exp(log_softmax(t / T))) / n
    + (1 - alpha) * (np.exp(log_softmax(s)) - onehot) / n
)

write_fixture("distillation_loss.json", out, SEED, {"temperature": T, "alpha": alpha})
