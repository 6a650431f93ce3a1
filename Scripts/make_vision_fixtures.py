"""Reference values for FinchTensor's convolution, pooling and batch-norm ops and for
FinchVision's LeNet and ResNet, from PyTorch.

Run: /tmp/ref/bin/python Scripts/make_vision_fixtures.py            (writes the fixtures below)
     /tmp/ref/bin/python Scripts/make_vision_fixtures.py --check-finch   (after `swift build --build-tests`;
         runs the Swift test that saves Finch models into a temporary folder, loads those
          files into the same PyTorch modules strictly and writes finch_in_torch.json)

Writes into Tests/Fixtures/vision/:
  ops.json              inputs, outputs and input gradients of conv2d / max_pool2d / avg_pool2d /
                        adaptive_avg_pool2d / batch_norm on odd shapes; loss = sum(op(x) * R), R random
  models.json           logits of LeNet and ResNet-8 (eval and train mode) on fixed inputs, running
                        statistics after one training-mode forward
  torch_lenet.safetensors, torch_resnet8.safetensors   PyTorch state dicts of those models
  trajectory.json       a tiny CNN's initial weights, ten batches, step-0 gradients, the loss of each of
                        ten SGD (momentum) steps and the final weights and running statistics
  finch_in_torch.json   (--check-finch) the outputs PyTorch computes from Finch-saved files

The ResNet is written with torchvision's BasicBlock structure and names (torchvision itself is not
needed); its stem is the CIFAR one (3x3 conv, stride 1, no max pool), as Finch's.
"""
import json
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from fixture_util import FIXTURES, ROOT, tensor_entry, versions, write_fixture

SEED = 1919
torch.manual_seed(SEED)
g = torch.Generator().manual_seed(SEED)
VISION = os.path.join(FIXTURES, "vision")


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).float()


# ----------------------------------------------------------------------------- models


class LeNet(nn.Module):
    def __init__(self, in_channels=1, image_size=8, classes=10, padding=2):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 6, 5, padding=padding)
        self.conv2 = nn.Conv2d(6, 16, 5, padding=padding)
        s = ((image_size + 2 * padding - 4) // 2 + 2 * padding - 4) // 2
        self.fc1 = nn.Linear(16 * s * s, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class BasicBlock(nn.Module):  # torchvision.models.resnet.BasicBlock
    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class ResNet(nn.Module):  # torchvision.models.resnet.ResNet with the CIFAR stem
    def __init__(self, in_channels=3, classes=10, widths=(16, 32, 64), blocks=(1, 1, 1)):
        super().__init__()
        self.inplanes = widths[0]
        self.conv1 = nn.Conv2d(in_channels, widths[0], 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        for i, (w, n) in enumerate(zip(widths, blocks)):
            setattr(self, f"layer{i + 1}", self._make_layer(w, n, 1 if i == 0 else 2))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[-1], classes)
        self.stages = len(widths)

    def _make_layer(self, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))
        layers = [BasicBlock(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes
        layers += [BasicBlock(planes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        for i in range(self.stages):
            x = getattr(self, f"layer{i + 1}")(x)
        return self.fc(torch.flatten(self.avgpool(x), 1))


class TinyCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 5, 2, stride=1)
        self.fc = nn.Linear(20, 3)

    def forward(self, x):  # [N, 2, 7, 7]
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)  # [N, 4, 3, 3]
        x = F.relu(self.conv2(x))  # [N, 5, 2, 2]
        return self.fc(torch.flatten(x, 1))


def save_state(model, path):
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, path, metadata={"format": "pt"})


def randomize_batch_norm(model):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.weight.data = randn(n) * 0.5 + 1
            m.bias.data = randn(n) * 0.2
            m.running_mean.data = randn(n) * 0.3
            m.running_var.data = randn(n).abs() + 0.5
            m.num_batches_tracked.fill_(7)


# ----------------------------------------------------------------------------- ops


def make_ops():
    out = {}

    def record(name, inputs, fn):
        leaves = [x.clone().requires_grad_(True) for x in inputs]
        y = fn(*leaves)
        r = randn(*y.shape)
        (y * r).sum().backward()
        for i, x in enumerate(inputs):
            out[f"{name}.input{i}"] = x
            out[f"{name}.grad{i}"] = leaves[i].grad
        out[f"{name}.output"] = y
        out[f"{name}.r"] = r

    record("conv.odd", [randn(2, 3, 7, 5), randn(6, 1, 3, 3), randn(6)],
           lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, dilation=2, groups=3))
    record("conv.plain", [randn(3, 4, 9, 8), randn(5, 4, 3, 2), randn(5)], lambda x, w, b: F.conv2d(x, w, b))
    record("conv.asymmetric", [randn(2, 4, 11, 10), randn(6, 2, 3, 5)],
           lambda x, w: F.conv2d(x, w, None, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2))
    record("conv.pointwise", [randn(2, 5, 6, 7), randn(3, 5, 1, 1), randn(3)], lambda x, w, b: F.conv2d(x, w, b, stride=2))
    record("maxpool.k3s2p1", [randn(2, 3, 7, 5)], lambda x: F.max_pool2d(x, 3, 2, 1))
    record("maxpool.k2", [randn(2, 3, 9, 6)], lambda x: F.max_pool2d(x, 2))
    record("maxpool.asymmetric", [randn(1, 2, 7, 9)], lambda x: F.max_pool2d(x, (3, 2), (1, 2), (1, 0)))
    record("avgpool.include", [randn(2, 3, 7, 5)], lambda x: F.avg_pool2d(x, 3, 2, 1))
    record("avgpool.exclude", [randn(2, 3, 7, 5)], lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False))
    record("avgpool.k2", [randn(2, 3, 9, 6)], lambda x: F.avg_pool2d(x, 2))
    record("adaptive.3x2", [randn(2, 3, 7, 5)], lambda x: F.adaptive_avg_pool2d(x, (3, 2)))
    record("adaptive.1", [randn(2, 3, 7, 5)], lambda x: F.adaptive_avg_pool2d(x, 1))
    record("adaptive.up", [randn(1, 2, 3, 2)], lambda x: F.adaptive_avg_pool2d(x, (5, 4)))

    x, w, b = randn(4, 3, 5, 7, scale=2) + 0.5, randn(3), randn(3)
    rm, rv = randn(3) * 0.3, randn(3).abs() + 0.5
    out["bn.running_mean"], out["bn.running_var"] = rm, rv
    record("bn.train", [x, w, b], lambda x, w, b: F.batch_norm(x, rm.clone(), rv.clone(), w, b, training=True, momentum=0.1, eps=1e-5))
    rm2, rv2 = rm.clone(), rv.clone()
    F.batch_norm(x, rm2, rv2, w, b, training=True, momentum=0.1, eps=1e-5)
    out["bn.running_mean_after"], out["bn.running_var_after"] = rm2, rv2
    record("bn.eval", [x, w, b], lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False, eps=1e-5))
    write_fixture("vision/ops.json", out, SEED)


# ----------------------------------------------------------------------------- models


def make_models():
    out = {}
    lenet = LeNet(1, 8, 10).eval()
    x = randn(3, 1, 8, 8)
    out["lenet.input"] = x
    with torch.no_grad():
        out["lenet.output"] = lenet(x)
    save_state(lenet, os.path.join(VISION, "torch_lenet.safetensors"))

    resnet = ResNet(3, 10)
    randomize_batch_norm(resnet)
    x = randn(2, 3, 12, 12)
    out["resnet8.input"] = x
    resnet.eval()
    with torch.no_grad():
        out["resnet8.output_eval"] = resnet(x)
    save_state(resnet, os.path.join(VISION, "torch_resnet8.safetensors"))
    resnet.train()
    with torch.no_grad():
        out["resnet8.output_train"] = resnet(x)
    for k, v in resnet.state_dict().items():
        if "running" in k or "num_batches" in k:
            out[f"resnet8.after.{k}"] = v.float()
    write_fixture("vision/models.json", out, SEED)


# ----------------------------------------------------------------------------- trajectory


def make_trajectory():
    out = {}
    model = TinyCNN()
    for k, v in model.state_dict().items():
        out[f"initial.{k}"] = v.detach().clone().float()
    steps, lr, momentum = 10, 0.05, 0.9
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    losses = []
    for step in range(steps):
        x = randn(6, 2, 7, 7)
        y = torch.randint(0, 3, (6,), generator=g)
        out[f"batch{step}.x"], out[f"batch{step}.y"] = x, y.float()
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        if step == 0:
            for k, p in model.named_parameters():
                out[f"grad0.{k}"] = p.grad.detach().clone()
        opt.step()
        losses.append(loss.item())
    out["losses"] = torch.tensor(losses)
    for k, v in model.state_dict().items():
        out[f"final.{k}"] = v.float()
    write_fixture("vision/trajectory.json", out, SEED, {"lr": lr, "momentum": momentum, "steps": steps})


# ----------------------------------------------------------------------------- Finch-saved files in PyTorch


def check_finch():
    # The test fails until this script has written finch_in_torch.json for the files it exports,
    # so its exit status is not checked; the exported files are.
    work = tempfile.mkdtemp(prefix="finch-vision-")
    env = dict(os.environ, FINCH_VISION_EXPORT=work)
    subprocess.run(["swift", "test", "--skip-build", "--filter", "ModelsInteropTests"], cwd=ROOT, env=env, check=False, capture_output=True)
    exported = json.load(open(os.path.join(work, "finch_outputs.json")))
    result = {"meta": {"script": os.path.basename(__file__), **{k: str(v) for k, v in versions().items()}}}
    models = {"lenet": LeNet(1, 8, 10), "resnet8": ResNet(3, 10)}
    tensors = {}
    for name, model in models.items():
        state = load_file(os.path.join(work, f"finch_{name}.safetensors"))
        model.load_state_dict(state, strict=True)  # raises on any missing, unexpected or misshapen key
        model.eval()
        entry = exported[name]
        x = torch.tensor(entry["input"]["data"]).reshape(entry["input"]["shape"])
        finch_out = torch.tensor(entry["output"]["data"]).reshape(entry["output"]["shape"])
        with torch.no_grad():
            y = model(x)
        tensors[f"{name}.input"] = x
        tensors[f"{name}.torch_output"] = y
        result[f"{name}_max_abs_diff"] = float((y - finch_out).abs().max())
        result[f"{name}_keys"] = sorted(state.keys())
        result[f"{name}_num_batches_tracked_dtypes"] = sorted({str(v.dtype) for k, v in state.items() if k.endswith("num_batches_tracked")})
    result["tensors"] = {k: tensor_entry(v) for k, v in tensors.items()}
    path = os.path.join(VISION, "finch_in_torch.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {path}: lenet {result['lenet_max_abs_diff']:.3g}, resnet8 {result['resnet8_max_abs_diff']:.3g}")


if __name__ == "__main__":
    if "--check-finch" in sys.argv:
        check_finch()
    else:
        os.makedirs(VISION, exist_ok=True)
        make_ops()
        make_models()
        make_trajectory()
