"""The PyTorch side of the digits benchmark: the same LeNet (torch.nn, as FinchVision's LeNet is
written: conv 5x5 pad 2 -> relu -> maxpool 2 -> conv 5x5 pad 2 -> relu -> maxpool 2 -> 3 linear
layers), the same data (PNG folders from Scripts/make_digits_folders.py, decoded with Pillow,
scaled to [0, 1], normalised with the training images' mean and population std) and the same
recipe as `finch train image` in Benchmarks/vision/run.sh: AdamW (lr 1e-3, weight decay 0, betas
0.9/0.999), batch 32 shuffled each epoch, constant learning rate, no clipping, no augmentation.

Prints one JSON line per seed: held-out accuracy, training seconds per epoch (the loop only),
inference images/s (eval mode, batches of 256, no_grad).
Run: /tmp/ref/bin/python Benchmarks/vision/lenet_reference.py --data .build/digits --epochs 20 --seeds 1 2 3
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from PIL import Image
from torch import nn


def load(folder):
    classes = sorted(e.name for e in os.scandir(folder) if e.is_dir())
    xs, ys = [], []
    for c, name in enumerate(classes):
        for f in sorted(os.listdir(os.path.join(folder, name))):
            xs.append(np.asarray(Image.open(os.path.join(folder, name, f)).convert("L"), dtype=np.float32) / 255.0)
            ys.append(c)
    return torch.from_numpy(np.stack(xs))[:, None], torch.tensor(ys), classes


class LeNet(nn.Module):
    def __init__(self, channels, size, classes, padding=2):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 6, 5, padding=padding)
        self.conv2 = nn.Conv2d(6, 16, 5, padding=padding)
        s1 = size + 2 * padding - 4
        f = (s1 // 2 + 2 * padding - 4) // 2
        self.fc1 = nn.Linear(16 * f * f, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seeds", type=int, nargs="+", default=[1])
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    xtr, ytr, classes = load(os.path.join(a.data, "train"))
    xte, yte, _ = load(os.path.join(a.data, "test"))
    mean, std = xtr.mean().item(), xtr.std(unbiased=False).item()
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    for seed in a.seeds:
        torch.manual_seed(seed)
        model = LeNet(1, xtr.shape[-1], len(classes))
        opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.0)
        g = torch.Generator().manual_seed(seed)
        seconds = []
        for _ in range(a.epochs):
            model.train()
            start = time.perf_counter()
            order = torch.randperm(len(xtr), generator=g)
            for i in range(0, len(order), a.batch_size):
                idx = order[i:i + a.batch_size]
                loss = nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
            seconds.append(time.perf_counter() - start)
        model.eval()
        with torch.no_grad():
            accuracy = (model(xte).argmax(1) == yte).float().mean().item()
            rounds, start = 0, time.perf_counter()
            while time.perf_counter() - start < 2.0:
                for i in range(0, len(xte), 256):
                    model(xte[i:i + 256])
                rounds += 1
            rate = rounds * len(xte) / (time.perf_counter() - start)
        print(json.dumps({"impl": "pytorch", "seed": seed, "accuracy": accuracy,
                          "seconds_per_epoch": float(np.median(seconds)), "images_per_second": rate,
                          "torch": torch.__version__, "threads": a.threads}), flush=True)


if __name__ == "__main__":
    main()
