"""Synthetic, varied RGB test images for the perceptual-hash matching benchmark.

    PYTHONPATH=. python tests/benchmarks/synthetic.py [--n 60] [--seed 0] [--save DIR]   # self-check

`synthetic_images(n, seed)` yields (key, image) pairs: key "synth<seed>-<i:04d>", image RGB, long
side 640-1024 px, aspect 1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 9:16 or 16:9. Each image is built from its
own rng (seeded by sha256 of seed and index), so image i is the same whatever n is. Content:
2-3 blended gradients (linear and radial), large and small polygons / ellipses / rectangles, noise
texture patches, a few lines of random text and 1-3 "character-like" figures (head, body, limbs,
eyes). The self-check asserts that unrelated images are far apart in pHash (> 10 bits).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEED_PREFIX = "trackerbench-synth-v1"
ASPECTS: tuple[tuple[int, int], ...] = ((1, 1), (2, 3), (3, 2), (3, 4), (4, 3), (4, 5), (9, 16), (16, 9))
_SYLLABLES = ("ka", "ri", "mo", "zen", "lu", "ta", "vi", "sha", "no", "el", "qua", "dor", "fi", "xo")

Colour = tuple[int, int, int]


def _rng_for(seed: int, index: int) -> random.Random:
    digest = hashlib.sha256(f"{SEED_PREFIX}:{seed}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _colour(rng: random.Random) -> Colour:
    """A random colour with a random lightness, so luminance (what the hashes see) varies widely."""
    level = rng.random()
    return (
        int(255 * min(1.0, max(0.0, level + rng.uniform(-0.35, 0.35)))),
        int(255 * min(1.0, max(0.0, level + rng.uniform(-0.35, 0.35)))),
        int(255 * min(1.0, max(0.0, level + rng.uniform(-0.35, 0.35)))),
    )


def _size(rng: random.Random) -> tuple[int, int]:
    a, b = rng.choice(ASPECTS)
    long_side = rng.randint(640, 1024)
    if a >= b:
        return long_side, max(1, round(long_side * b / a))
    return max(1, round(long_side * a / b)), long_side


def _background(w: int, h: int, rng: random.Random, nrng: np.random.Generator) -> np.ndarray:
    """2-3 layered gradients (linear or radial) blended with random weights; float (h, w, 3)."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    x /= w
    y /= h
    out = np.zeros((h, w, 3), dtype=np.float32)
    total = 0.0
    for _ in range(rng.randint(2, 3)):
        if rng.random() < 0.5:
            angle = rng.uniform(0, 2 * np.pi)
            t = x * np.cos(angle) + y * np.sin(angle)
        else:
            cx, cy = rng.uniform(-0.2, 1.2), rng.uniform(-0.2, 1.2)
            t = np.sqrt((x - cx) ** 2 + (y - cy) ** 2)
        t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
        t = t ** rng.uniform(0.5, 2.0)
        if rng.random() < 0.35:  # banded: a few soft stripes
            t = 0.5 + 0.5 * np.sin(t * np.pi * rng.uniform(1.5, 4.0) + rng.uniform(0, np.pi))
        c0, c1 = np.array(_colour(rng), np.float32), np.array(_colour(rng), np.float32)
        weight = rng.uniform(0.3, 1.0)
        out += weight * (c0 + (c1 - c0) * t[..., None])
        total += weight
    out /= total
    return out


def _noise_patch(canvas: Image.Image, rng: random.Random, nrng: np.random.Generator) -> None:
    """Paste a rectangle or ellipse of coarse or fine coloured noise texture."""
    w, h = canvas.size
    pw, ph = rng.randint(w // 8, w // 2), rng.randint(h // 8, h // 2)
    grain = rng.choice((1, 2, 4, 8, 16))
    small = nrng.integers(0, 256, size=(max(1, ph // grain), max(1, pw // grain), 3), dtype=np.uint8)
    tint = np.array(_colour(rng), dtype=np.float32)
    mix = rng.uniform(0.3, 0.8)
    small = (small.astype(np.float32) * (1 - mix) + tint * mix).clip(0, 255).astype(np.uint8)
    patch = Image.fromarray(small, "RGB").resize((pw, ph), Image.Resampling.NEAREST)
    if rng.random() < 0.4:
        patch = patch.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2.5)))
    mask = Image.new("L", (pw, ph), 0)
    shape = ImageDraw.Draw(mask)
    if rng.random() < 0.5:
        shape.rectangle((0, 0, pw, ph), fill=rng.randint(160, 255))
    else:
        shape.ellipse((0, 0, pw - 1, ph - 1), fill=rng.randint(160, 255))
    canvas.paste(patch, (rng.randint(-pw // 4, w - pw * 3 // 4), rng.randint(-ph // 4, h - ph * 3 // 4)), mask)


def _shapes(draw: ImageDraw.ImageDraw, w: int, h: int, rng: random.Random, count: int, scale: float) -> None:
    """Random translucent polygons, ellipses and rectangles of about `scale` of the image side."""
    for _ in range(count):
        cx, cy = rng.uniform(-0.1, 1.1) * w, rng.uniform(-0.1, 1.1) * h
        rx, ry = rng.uniform(0.3, 1.0) * scale * w, rng.uniform(0.3, 1.0) * scale * h
        fill = (*_colour(rng), rng.randint(120, 255))
        kind = rng.random()
        if kind < 0.4:
            n = rng.randint(3, 8)
            start = rng.uniform(0, 2 * np.pi)
            points = []
            for k in range(n):
                a = start + 2 * np.pi * k / n + rng.uniform(-0.4, 0.4)
                r = rng.uniform(0.4, 1.0)
                points.append((cx + r * rx * np.cos(a), cy + r * ry * np.sin(a)))
            draw.polygon(points, fill=fill)
        elif kind < 0.75:
            draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill)
        else:
            draw.rectangle((cx - rx, cy - ry / 2, cx + rx, cy + ry / 2), fill=fill)


def _character(draw: ImageDraw.ImageDraw, w: int, h: int, rng: random.Random) -> None:
    """A crude figure: body, head, arms, legs, eyes - a stand-in for the subject of a generated image."""
    height = rng.uniform(0.35, 0.8) * h
    cx = rng.uniform(0.15, 0.85) * w
    feet = rng.uniform(0.7, 1.05) * h
    head_r = height * rng.uniform(0.1, 0.16)
    body_w = height * rng.uniform(0.16, 0.3)
    top = feet - height
    skin = (*_colour(rng), 255)
    cloth = (*_colour(rng), 255)
    limb = max(2, int(body_w * rng.uniform(0.2, 0.35)))
    hip_y = top + 2 * head_r + height * 0.4
    for side in (-1, 1):  # legs, then arms
        draw.line(
            (cx + side * body_w * 0.25, hip_y, cx + side * body_w * rng.uniform(0.2, 0.8), feet), fill=cloth, width=limb
        )
        shoulder = (cx + side * body_w * 0.45, top + 2 * head_r + height * 0.05)
        hand = (shoulder[0] + side * rng.uniform(0.1, 0.45) * height, shoulder[1] + rng.uniform(-0.25, 0.35) * height)
        draw.line((*shoulder, *hand), fill=skin, width=limb)
    draw.ellipse((cx - body_w / 2, top + 1.8 * head_r, cx + body_w / 2, hip_y + body_w * 0.2), fill=cloth)
    draw.ellipse((cx - head_r, top, cx + head_r, top + 2 * head_r), fill=skin)
    hair = (*_colour(rng), 255)
    draw.chord((cx - head_r * 1.05, top - head_r * 0.1, cx + head_r * 1.05, top + 1.4 * head_r), 180, 360, fill=hair)
    eye = max(1.5, head_r * 0.14)
    eye_y = top + head_r * 1.05
    for side in (-1, 1):
        ex = cx + side * head_r * 0.4
        draw.ellipse((ex - eye, eye_y - eye, ex + eye, eye_y + eye), fill=(20, 20, 30, 255))


def _text(draw: ImageDraw.ImageDraw, w: int, h: int, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 4)):
        words = " ".join(
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 5))
        )
        font = ImageFont.load_default(size=max(10, round(min(w, h) * rng.uniform(0.03, 0.1))))
        xy = (rng.uniform(0, 0.7) * w, rng.uniform(0, 0.92) * h)
        draw.text(xy, words.title(), font=font, fill=(*_colour(rng), 255), stroke_width=rng.choice((0, 0, 1, 2)))


def synthetic_image(rng: random.Random) -> Image.Image:
    """One image from one rng (all randomness, numpy's included, comes from `rng`)."""
    nrng = np.random.default_rng(rng.getrandbits(64))
    w, h = _size(rng)
    canvas = Image.fromarray(_background(w, h, rng, nrng).clip(0, 255).astype(np.uint8), "RGB")
    canvas = canvas.convert("RGBA")
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    _shapes(ImageDraw.Draw(layer), w, h, rng, rng.randint(2, 5), scale=rng.uniform(0.2, 0.45))
    canvas = Image.alpha_composite(canvas, layer)
    rgb = canvas.convert("RGB")
    for _ in range(rng.randint(1, 3)):
        _noise_patch(rgb, rng, nrng)
    canvas = rgb.convert("RGBA")
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    _shapes(draw, w, h, rng, rng.randint(5, 15), scale=rng.uniform(0.03, 0.12))
    for _ in range(rng.randint(1, 3)):
        _character(draw, w, h, rng)
    _text(draw, w, h, rng)
    return Image.alpha_composite(canvas, layer).convert("RGB")


def synthetic_images(n: int, seed: int = 0) -> Iterator[tuple[str, Image.Image]]:
    """n deterministic synthetic RGB images as (key, image); image i does not depend on n."""
    for index in range(n):
        yield f"synth{seed}-{index:04d}", synthetic_image(_rng_for(seed, index))


def main() -> None:
    """Generate images, check determinism and the minimum pairwise pHash distance (> 10 bits)."""
    import argparse
    import time
    from pathlib import Path

    import imagehash

    parser = argparse.ArgumentParser(description="synthetic images self-check")
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=Path, help="also write the images as PNG into this folder")
    args = parser.parse_args()

    start = time.perf_counter()
    images = list(synthetic_images(args.n, args.seed))
    seconds = time.perf_counter() - start
    hashes = [imagehash.phash(img) for _, img in images]
    pairs = [(hashes[i] - hashes[j], images[i][0], images[j][0]) for i in range(len(images)) for j in range(i)]
    distance, a, b = min(pairs)
    again = next(iter(synthetic_images(1, args.seed)))[1]
    repeatable = again.tobytes() == images[0][1].tobytes()
    sizes = sorted({img.size for _, img in images})
    print(f"{args.n} images in {seconds:.1f} s ({1000 * seconds / max(1, args.n):.0f} ms each); sizes e.g. {sizes[:6]}")
    print(f"pHash pairwise distance: min {distance} ({a} vs {b}), mean {np.mean([p[0] for p in pairs]):.1f}")
    print(f"deterministic: {repeatable}")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for key, img in images:
            img.save(args.save / f"{key}.png", compress_level=1)
    if distance <= 10 or not repeatable:
        raise SystemExit("self-check FAILED")
    print("self-check ok")


if __name__ == "__main__":
    main()
