"""Images and transforms for FinchVision's decoding and transform tests, decoded by Pillow and
transformed by torchvision.

Run: /tmp/ref/bin/python Scripts/make_image_fixtures.py
(torchvision is not in /tmp/ref; the script also looks in /tmp/tvlib, where
`/tmp/ref/bin/pip install --no-deps --target /tmp/tvlib torchvision` puts it.)

Writes into Tests/Fixtures/images/:
  *.png, *.jpg            small images of every PNG color type and bit depth (written by a
                          minimal PNG encoder below, so 1/2/4/16-bit and gray+alpha are covered)
                          and JPEGs written by Pillow (RGB 4:2:0, RGB 4:4:4, gray)
  bad-*.{png,jpg,bin}     corrupt files: truncated, bad CRC, unknown signature, empty
  decoded.json            {"meta", "tensors"}: "<file>.L" and "<file>.RGB" are Pillow's
                          numpy.asarray(Image.open(f).convert(mode)), shape [h, w] or [h, w, 3];
                          "<file>.native" the file's own mode (L for gray files, else RGB)
  transforms.json         torchvision.transforms.v2.functional on float tensors: resize
                          (bilinear, antialias off), center crop, horizontal flip, normalize,
                          ToTensor (transforms.functional.to_tensor: divide by 255), and one whole
                          eval pipeline on a decoded PNG

Deliberate difference: for 16-bit gray PNGs Pillow (mode I;16) clips to 255 in convert("L");
Finch keeps the high byte, as Pillow itself does for 16-bit RGB; the expected arrays for those
files are numpy.asarray(image) >> 8, noted in meta.
"""
import io
import json
import os
import platform
import struct
import sys
import zlib

import numpy as np
import PIL
from PIL import Image

if os.path.isdir("/tmp/tvlib"):
    sys.path.append("/tmp/tvlib")
import torch  # noqa: E402
import torchvision  # noqa: E402
from torchvision.transforms import v2  # noqa: E402
from torchvision.transforms import functional as TF1  # noqa: E402
from torchvision.transforms.v2 import functional as TF  # noqa: E402

SEED = 19
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "images")


def chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_bytes(width, height, bit_depth, color_type, rows, palette=None, trns=None):
    """rows: list of bytes, each one scanline already packed at bit_depth."""
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0))
    if palette is not None:
        out += chunk(b"PLTE", bytes(palette))
    if trns is not None:
        out += chunk(b"tRNS", bytes(trns))
    raw = b"".join(b"\x00" + r for r in rows)
    out += chunk(b"IDAT", zlib.compress(raw, 9))
    out += chunk(b"IEND", b"")
    return out


def pack_bits(values, bits):
    per = 8 // bits
    out = bytearray()
    for i in range(0, len(values), per):
        group = list(values[i:i + per]) + [0] * (per - len(values[i:i + per]))
        byte = 0
        for v in group:
            byte = (byte << bits) | v
        out.append(byte)
    return bytes(out)


def make_pngs(rng):
    files = {}
    w, h = 7, 5
    for bits in (1, 2, 4, 8):
        vals = rng.integers(0, 2 ** bits, size=(h, w))
        rows = [pack_bits(r, bits) if bits < 8 else bytes(r.astype(np.uint8)) for r in vals]
        files[f"gray{bits}.png"] = png_bytes(w, h, bits, 0, rows)
    g16 = rng.integers(0, 65536, size=(h, w)).astype(">u2")
    files["gray16.png"] = png_bytes(w, h, 16, 0, [r.tobytes() for r in g16])
    rgb8 = rng.integers(0, 256, size=(h, w, 3)).astype(np.uint8)
    files["rgb8.png"] = png_bytes(w, h, 8, 2, [r.tobytes() for r in rgb8])
    rgb16 = rng.integers(0, 65536, size=(h, w, 3)).astype(">u2")
    files["rgb16.png"] = png_bytes(w, h, 16, 2, [r.tobytes() for r in rgb16])
    ga8 = rng.integers(0, 256, size=(h, w, 2)).astype(np.uint8)
    files["gray-alpha8.png"] = png_bytes(w, h, 8, 4, [r.tobytes() for r in ga8])
    ga16 = rng.integers(0, 65536, size=(h, w, 2)).astype(">u2")
    files["gray-alpha16.png"] = png_bytes(w, h, 16, 4, [r.tobytes() for r in ga16])
    rgba8 = rng.integers(0, 256, size=(h, w, 4)).astype(np.uint8)
    files["rgba8.png"] = png_bytes(w, h, 8, 6, [r.tobytes() for r in rgba8])
    rgba16 = rng.integers(0, 65536, size=(h, w, 4)).astype(">u2")
    files["rgba16.png"] = png_bytes(w, h, 16, 6, [r.tobytes() for r in rgba16])
    palette = rng.integers(0, 256, size=(16, 3)).astype(np.uint8)
    idx = rng.integers(0, 16, size=(h, w))
    files["palette8.png"] = png_bytes(w, h, 8, 3, [bytes(r.astype(np.uint8)) for r in idx], palette=palette.tobytes())
    files["palette4-trns.png"] = png_bytes(
        w, h, 4, 3, [pack_bits(r, 4) for r in idx], palette=palette.tobytes(), trns=list(range(0, 256, 32)))
    # A larger picture through Pillow's own encoder (a gradient with noise), 31x23.
    y, x = np.mgrid[0:23, 0:31]
    smooth = np.stack([x * 8, y * 11, (x + y) * 4], axis=-1) + rng.integers(0, 20, size=(23, 31, 3))
    photo = Image.fromarray(np.clip(smooth, 0, 255).astype(np.uint8), "RGB")
    buf = io.BytesIO()
    photo.save(buf, "PNG")
    files["photo.png"] = buf.getvalue()
    for name, kwargs, img in [
        ("photo420.jpg", {"quality": 90}, photo),
        ("photo444.jpg", {"quality": 85, "subsampling": 0}, photo),
        ("photo-gray.jpg", {"quality": 90}, photo.convert("L")),
        ("odd420.jpg", {"quality": 75}, photo.crop((0, 0, 13, 9))),
    ]:
        buf = io.BytesIO()
        img.save(buf, "JPEG", **kwargs)
        files[name] = buf.getvalue()
    return files


def make_bad(files):
    bad = {}
    bad["bad-truncated.png"] = files["photo.png"][: len(files["photo.png"]) // 2]
    crc = bytearray(files["rgb8.png"])
    idat_length = struct.unpack(">I", bytes(crc[33:37]))[0]
    crc[33 + 8 + idat_length] ^= 0xFF  # IDAT's data is intact, its CRC is not
    bad["bad-crc.png"] = bytes(crc)
    bad["bad-truncated.jpg"] = files["photo420.jpg"][: len(files["photo420.jpg"]) // 2]
    header = bytearray(files["photo420.jpg"][:200])
    bad["bad-header.jpg"] = bytes(header[:20]) + b"\x00" * 100
    bad["bad-signature.bin"] = b"GIF89a not an image"
    bad["bad-empty.png"] = b""
    return bad


def tensor_entry(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(f"{v:.9g}") for v in a.reshape(-1).tolist()]}


def write_json(name, tensors, meta):
    full = {"script": os.path.basename(sys.argv[0]), "seed": str(SEED), "python": platform.python_version(),
            "numpy": np.__version__, "Pillow": PIL.__version__, "torch": torch.__version__,
            "torchvision": torchvision.__version__}
    full.update({k: str(v) for k, v in meta.items()})
    path = os.path.join(OUT, name)
    with open(path + ".tmp", "w") as f:
        json.dump({"meta": full, "tensors": {k: tensor_entry(v) for k, v in tensors.items()}}, f, separators=(",", ":"))
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def decoded(files):
    tensors = {}
    for name, data in sorted(files.items()):
        img = Image.open(io.BytesIO(data))
        img.load()
        if img.mode in ("I;16", "I;16B"):
            high = (np.asarray(img).astype(np.uint32) >> 8).astype(np.uint8)
            tensors[f"{name}.L"] = high
            tensors[f"{name}.RGB"] = np.stack([high] * 3, axis=-1)
            tensors[f"{name}.native"] = high
            continue
        tensors[f"{name}.L"] = np.asarray(img.convert("L"))
        tensors[f"{name}.RGB"] = np.asarray(img.convert("RGB"))
        # The file's own mode: gray PNG color types (with or without alpha) and gray JPEGs.
        gray = name.startswith("gray") or name == "photo-gray.jpg"
        tensors[f"{name}.native"] = tensors[f"{name}.L" if gray else f"{name}.RGB"]
    return tensors


def transforms(files):
    g = torch.Generator().manual_seed(SEED)
    x = torch.rand(3, 13, 9, generator=g)
    t = {"input": x}
    t["resize.7x5"] = TF.resize(x, [7, 5], interpolation=v2.InterpolationMode.BILINEAR, antialias=False)
    t["resize.20x17"] = TF.resize(x, [20, 17], interpolation=v2.InterpolationMode.BILINEAR, antialias=False)
    t["resize.shorter6"] = TF.resize(x, [6], interpolation=v2.InterpolationMode.BILINEAR, antialias=False)
    t["resize.13x9"] = TF.resize(x, [13, 9], interpolation=v2.InterpolationMode.BILINEAR, antialias=False)
    t["center_crop.5x4"] = TF.center_crop(x, [5, 4])
    t["center_crop.8x6"] = TF.center_crop(x, [8, 6])
    t["center_crop.16x12"] = TF.center_crop(x, [16, 12])
    t["hflip"] = TF.horizontal_flip(x)
    t["normalize"] = TF.normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    t["pad.2"] = TF.pad(x, [2, 2, 2, 2], fill=0)
    img = Image.open(io.BytesIO(files["photo.png"])).convert("RGB")
    # torchvision's ToTensor divides by 255 (v2's ToDtype(scale=True) multiplies by 1/255, an ulp apart).
    t["photo.to_tensor"] = TF1.to_tensor(img)
    pipeline = v2.Compose([
        TF1.to_tensor,
        v2.Resize([16], interpolation=v2.InterpolationMode.BILINEAR, antialias=False),
        v2.CenterCrop([14, 14]), v2.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]),
    ])
    t["photo.pipeline"] = pipeline(img)
    return t


def main():
    rng = np.random.default_rng(SEED)
    os.makedirs(OUT, exist_ok=True)
    files = make_pngs(rng)
    bad = make_bad(files)
    for name, data in {**files, **bad}.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    # bad-crc.png is the exception: Pillow does not check IDAT's CRC and decodes it; libpng
    # (and so Finch) refuses a critical chunk whose CRC fails.
    for name in sorted(set(bad) - {"bad-crc.png"}):
        try:
            Image.open(io.BytesIO(bad[name])).load()
            raise SystemExit(f"Pillow accepted {name}; the bad fixtures must be bad")
        except (OSError, SyntaxError, Image.DecompressionBombError):
            pass
    jpeg_lib = PIL.features.version("libjpeg_turbo")
    write_json("decoded.json", decoded(files), {
        "libjpeg_turbo_in_pillow": jpeg_lib,
        "gray16": "Pillow clips I;16 in convert('L'); expected values are the high byte (>> 8)",
    })
    write_json("transforms.json", transforms(files), {
        "resize": "torchvision.transforms.v2.functional.resize on float32 tensors, bilinear, antialias=False",
    })


if __name__ == "__main__":
    import PIL.features  # noqa: F401
    main()
