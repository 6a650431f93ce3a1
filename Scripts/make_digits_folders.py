"""scikit-learn's bundled digits (1,797 8x8 images, values 0-16) as PNG folders in torchvision's
ImageFolder layout, for `finch train image` and Benchmarks/vision/.

Run: /tmp/ref/bin/python Scripts/make_digits_folders.py --out .build/digits
     /tmp/ref/bin/python Scripts/make_digits_folders.py --fixture

--out DIR   writes DIR/train/<digit>/<index>.png and DIR/test/<digit>/<index>.png: a stratified
            80/20 split (sklearn.model_selection.train_test_split, random_state=SEED), pixels
            scaled to 0-255 as round(v * 255 / 16), 8-bit gray; DIR/README.txt records the
            versions and seed.
--fixture   writes a tiny slice into Tests/Fixtures/images/digits-tiny/ (classes 0, 1, 7;
            8 training and 4 development images each, the first of each class in the split)
            plus a CSV list of the development images (dev.csv, path,label).
"""
import argparse
import os
import platform
import shutil

import numpy as np
import PIL
import sklearn
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 0
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def split():
    digits = load_digits()
    pixels = np.rint(digits.images * 255.0 / 16.0).astype(np.uint8)
    index = np.arange(len(pixels))
    train, test = train_test_split(index, test_size=0.2, random_state=SEED, stratify=digits.target)
    return pixels, digits.target, np.sort(train), np.sort(test)


def write(folder, pixels, targets, indices):
    for i in indices:
        d = os.path.join(folder, str(targets[i]))
        os.makedirs(d, exist_ok=True)
        Image.fromarray(pixels[i], "L").save(os.path.join(d, f"{i:04d}.png"))


def provenance():
    return (f"scikit-learn {sklearn.__version__} load_digits(), Pillow {PIL.__version__}, numpy {np.__version__}, "
            f"python {platform.python_version()}; train_test_split(test_size=0.2, stratify, random_state={SEED}); "
            f"pixels round(v*255/16); script Scripts/make_digits_folders.py\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out")
    parser.add_argument("--fixture", action="store_true")
    args = parser.parse_args()
    pixels, targets, train, test = split()
    if args.out:
        if os.path.exists(args.out):
            shutil.rmtree(args.out)
        write(os.path.join(args.out, "train"), pixels, targets, train)
        write(os.path.join(args.out, "test"), pixels, targets, test)
        with open(os.path.join(args.out, "README.txt"), "w") as f:
            f.write(provenance())
        print(f"wrote {len(train)} training and {len(test)} test images into {args.out}")
    if args.fixture:
        out = os.path.join(ROOT, "Tests", "Fixtures", "images", "digits-tiny")
        if os.path.exists(out):
            shutil.rmtree(out)
        rows = []
        for c in (0, 1, 7):
            tr = [i for i in train if targets[i] == c][:8]
            dv = [i for i in test if targets[i] == c][:4]
            write(os.path.join(out, "train"), pixels, targets, tr)
            write(os.path.join(out, "dev"), pixels, targets, dv)
            rows += [(f"dev/{c}/{i:04d}.png", str(c)) for i in dv]
        with open(os.path.join(out, "dev.csv"), "w") as f:
            f.write("path,label\n")
            f.writelines(f"{p},{label}\n" for p, label in rows)
        with open(os.path.join(out, "README.txt"), "w") as f:
            f.write(provenance())
        print(f"wrote the fixture slice into {out}")


if __name__ == "__main__":
    main()
