"""Deterministic image transforms for the perceptual-hash matching benchmark.

    PYTHONPATH=. python tests/benchmarks/transforms.py [--sheet OUT.png]   # self-check (+ contact sheet)

Every transform is `Transform = Callable[[Image.Image, random.Random], Image.Image]`: it takes an RGB
image (the caller flattens alpha first) and an rng, and returns a new RGB image. All randomness
comes from the rng, so `TRANSFORMS[name](image, seeded_rng(key, name))` is reproducible.

    TRANSFORMS: resize50 resize25 jpeg70 jpeg40 webp60 crop10 crop25 center50 border5 watermark
                hflip rotate3 bright20 gray collage rcrop50      (in this order; rcrop50 is the extra)
    seeded_rng(image_key, transform) -> random.Random   # seed: sha256("trackerbench-v1:<key>:<name>")
    encoded_bytes(name, image) -> (bytes, ext)          # the file as a platform would serve it
    materialize(name, image, rng) -> (image, bytes, ext)  # transform + served bytes, one call

jpeg70 / jpeg40 / webp60 are "encode with Pillow, decode again": their output is the decoded RGB
image, and `encoded_bytes(name, original)` gives exactly the bytes that decode to it.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable
from functools import partial

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

Transform = Callable[[Image.Image, random.Random], Image.Image]

SEED_PREFIX = "trackerbench-v1"
# name -> (Pillow format, quality, file extension) of the transforms that are an encode/decode.
LOSSY: dict[str, tuple[str, int, str]] = {
    "jpeg70": ("JPEG", 70, "jpg"),
    "jpeg40": ("JPEG", 40, "jpg"),
    "webp60": ("WEBP", 60, "webp"),
}
PNG_COMPRESS_LEVEL = 1
_NAMES = ("mira", "kestrel", "artbyjun", "n0va", "lumen", "sable", "oriel", "pixelfox", "tamsin", "quill")
_WORDS = ("dream", "neon", "forest", "study", "portrait", "city", "storm", "garden", "glass", "echo", "velvet")


def seeded_rng(image_key: str, transform: str) -> random.Random:
    """An rng seeded from sha256(f"trackerbench-v1:{image_key}:{transform}") - stable across runs."""
    digest = hashlib.sha256(f"{SEED_PREFIX}:{image_key}:{transform}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _rgb(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGB" else image.convert("RGB")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font at `size` px (Pillow >= 10.1 with FreeType; else the fixed bitmap font)."""
    return ImageFont.load_default(size=max(1, size))


# --- scale, encode ------------------------------------------------------------------------------


def resize(image: Image.Image, rng: random.Random, factor: float) -> Image.Image:
    """Bicubic downscale of both sides by `factor`."""
    w, h = image.size
    return _rgb(image).resize((max(1, round(w * factor)), max(1, round(h * factor))), Image.Resampling.BICUBIC)


def _encode(image: Image.Image, name: str) -> bytes:
    fmt, quality, _ = LOSSY[name]
    buffer = io.BytesIO()
    _rgb(image).save(buffer, format=fmt, quality=quality)
    return buffer.getvalue()


def _decode(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        return _rgb(opened)


def lossy(image: Image.Image, rng: random.Random, name: str) -> Image.Image:
    """Encode with the codec/quality of `name` (jpeg70, jpeg40, webp60), return the decoded RGB image."""
    return _decode(_encode(image, name))


# --- geometry -----------------------------------------------------------------------------------


def _window(image: Image.Image, keep: float, x_frac: float, y_frac: float) -> Image.Image:
    """The (keep*w) x (keep*h) window whose free margin is split x_frac / y_frac before it."""
    w, h = image.size
    cw, ch = max(1, round(w * keep)), max(1, round(h * keep))
    x0, y0 = round((w - cw) * x_frac), round((h - ch) * y_frac)
    return _rgb(image).crop((x0, y0, x0 + cw, y0 + ch))


def random_crop(image: Image.Image, rng: random.Random, keep: float) -> Image.Image:
    """Keep `keep` of the width and of the height, at a random offset."""
    w, h = image.size
    cw, ch = max(1, round(w * keep)), max(1, round(h * keep))
    x0, y0 = rng.randint(0, w - cw), rng.randint(0, h - ch)
    return _rgb(image).crop((x0, y0, x0 + cw, y0 + ch))


def center50(image: Image.Image, rng: random.Random) -> Image.Image:
    """The central 50% x 50%."""
    return _window(image, 0.5, 0.5, 0.5)


def border5(image: Image.Image, rng: random.Random) -> Image.Image:
    """Pad 5% of the width left and right and 5% of the height top and bottom (black, white or random)."""
    w, h = image.size
    px, py = max(1, round(0.05 * w)), max(1, round(0.05 * h))
    kind = rng.choice(("black", "white", "random"))
    colour = {"black": (0, 0, 0), "white": (255, 255, 255)}.get(kind) or tuple(rng.randrange(256) for _ in range(3))
    canvas = Image.new("RGB", (w + 2 * px, h + 2 * py), colour)
    canvas.paste(_rgb(image), (px, py))
    return canvas


def hflip(image: Image.Image, rng: random.Random) -> Image.Image:
    """Left-right mirror."""
    return ImageOps.mirror(_rgb(image))


def rotate3(image: Image.Image, rng: random.Random) -> Image.Image:
    """Rotate 3 degrees counter-clockwise about the centre, same canvas, black corners, bicubic."""
    return _rgb(image).rotate(3, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(0, 0, 0))


# --- colour -------------------------------------------------------------------------------------


def bright20(image: Image.Image, rng: random.Random) -> Image.Image:
    """ImageEnhance.Brightness x1.2."""
    return ImageEnhance.Brightness(_rgb(image)).enhance(1.2)


def gray(image: Image.Image, rng: random.Random) -> Image.Image:
    """To greyscale (L) and back to RGB."""
    return _rgb(image).convert("L").convert("RGB")


# --- overlays / composites ----------------------------------------------------------------------


def _fit_font(
    draw: ImageDraw.ImageDraw, text: str, width: int, height: int
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The largest bundled-font size (by a first guess + one correction) whose text fits width x height."""
    size = max(8, height)
    box = draw.textbbox((0, 0), text, font=_font(size))
    text_w, text_h = max(1, box[2] - box[0]), max(1, box[3] - box[1])
    size = max(8, int(size * min(width / text_w, height / text_h)))
    return _font(size)


def watermark(image: Image.Image, rng: random.Random) -> Image.Image:
    """Semi-transparent "(c) name 2026" across the centre (~80% of the width) plus a small corner URL."""
    base = _rgb(image).convert("RGBA")
    w, h = base.size
    name = rng.choice(_NAMES)
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)

    text = f"\u00a9 {name} 2026"
    font = _fit_font(draw, text, int(w * rng.uniform(0.7, 0.9)), int(h * 0.25))
    box = draw.textbbox((0, 0), text, font=font)
    tx = (w - (box[2] - box[0])) // 2 - box[0]
    ty = (h - (box[3] - box[1])) // 2 - box[1]
    light = rng.random() < 0.5
    fill = (255, 255, 255, rng.randint(96, 140)) if light else (0, 0, 0, rng.randint(96, 140))
    stroke = (0, 0, 0, 80) if light else (255, 255, 255, 80)
    stroke_width = max(1, getattr(font, "size", 10) // 25)
    draw.text((tx, ty), text, font=font, fill=fill, stroke_width=stroke_width, stroke_fill=stroke)

    url = f"https://{name}.example/art/{rng.randrange(10_000, 99_999)}"
    small = _font(max(10, round(min(w, h) * 0.03)))
    ubox = draw.textbbox((0, 0), url, font=small)
    margin = max(4, round(min(w, h) * 0.02))
    ux = w - (ubox[2] - ubox[0]) - margin - ubox[0] if rng.random() < 0.5 else margin - ubox[0]
    uy = h - (ubox[3] - ubox[1]) - margin - ubox[1]
    draw.text((ux, uy), url, font=small, fill=(255, 255, 255, 200), stroke_width=1, stroke_fill=(0, 0, 0, 160))
    return Image.alpha_composite(base, overlay).convert("RGB")


def _gradient(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A linear gradient between two random colours in a random direction."""
    w, h = size
    angle = rng.uniform(0, 2 * np.pi)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    t = x * np.cos(angle) + y * np.sin(angle)
    t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    c0 = np.array([rng.randrange(256) for _ in range(3)], dtype=np.float32)
    c1 = np.array([rng.randrange(256) for _ in range(3)], dtype=np.float32)
    pixels = c0 + (c1 - c0) * t[..., None]
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def collage(image: Image.Image, rng: random.Random) -> Image.Image:
    """The image at 60% size pasted at a random spot onto a synthetic canvas of the original size."""
    w, h = image.size
    canvas = _gradient((w, h), rng)
    draw = ImageDraw.Draw(canvas)
    for _ in range(rng.randint(6, 14)):
        colour = tuple(rng.randrange(256) for _ in range(3))
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1, y1 = x0 + rng.randint(w // 20 + 1, w // 3 + 2), y0 + rng.randint(h // 20 + 1, h // 3 + 2)
        kind = rng.choice(("rect", "ellipse", "polygon"))
        if kind == "rect":
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        elif kind == "ellipse":
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            points = [(rng.randint(x0, x1), rng.randint(y0, y1)) for _ in range(rng.randint(3, 6))]
            draw.polygon(points, fill=colour)
    for _ in range(rng.randint(1, 3)):
        line = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 5)))
        font = _font(max(10, round(min(w, h) * rng.uniform(0.04, 0.09))))
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.text((rng.randrange(max(1, w // 2)), rng.randrange(max(1, h - h // 10))), line, font=font, fill=colour)
    small = resize(image, rng, 0.6)
    sw, sh = small.size
    canvas.paste(small, (rng.randint(0, w - sw), rng.randint(0, h - sh)))
    return canvas


TRANSFORMS: dict[str, Transform] = {
    "resize50": partial(resize, factor=0.5),
    "resize25": partial(resize, factor=0.25),
    "jpeg70": partial(lossy, name="jpeg70"),
    "jpeg40": partial(lossy, name="jpeg40"),
    "webp60": partial(lossy, name="webp60"),
    "crop10": partial(random_crop, keep=0.9),
    "crop25": partial(random_crop, keep=0.75),
    "center50": center50,
    "border5": border5,
    "watermark": watermark,
    "hflip": hflip,
    "rotate3": rotate3,
    "bright20": bright20,
    "gray": gray,
    "collage": collage,
    "rcrop50": partial(random_crop, keep=0.5),
}


# --- partial reuse: screenshots, off-centre crops, collages (issue 19) ----------------------------


def _filler_picture(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Another picture (an unlogged one): a gradient with a few shapes, for feeds and collages."""
    w, h = max(2, size[0]), max(2, size[1])
    canvas = _gradient((w, h), rng)
    draw = ImageDraw.Draw(canvas)
    for _ in range(rng.randint(3, 8)):
        colour = tuple(rng.randrange(256) for _ in range(3))
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1, y1 = x0 + rng.randint(1, w // 2 + 1), y0 + rng.randint(1, h // 2 + 1)
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    return canvas


def _text_lines(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random, size: int, colour: tuple[int, ...]
) -> None:
    """Random words in lines filling `box` (x0, y0, x1, y1), like captions and comments."""
    x0, y0, x1, y1 = box
    font = _font(size)
    y = y0
    while y + size <= y1:
        words: list[str] = []
        for _ in range(rng.randint(2, 14)):
            longer = " ".join([*words, rng.choice(_WORDS + _NAMES)])
            if x0 + draw.textlength(longer, font=font) > x1:
                break
            words = longer.split(" ")
        draw.text((x0, y), " ".join(words), font=font, fill=colour)
        y += int(size * rng.uniform(1.4, 2.2))


def _theme(rng: random.Random) -> tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]:
    """(background, panel, text) colours of a light or dark interface."""
    if rng.random() < 0.6:
        base = rng.randint(238, 255)
        return (base, base, base), (base - 14, base - 12, base - 10), (20, 20, 25)
    base = rng.randint(10, 40)
    return (base, base, base + 4), (base + 18, base + 18, base + 22), (225, 225, 230)


def _fit(image: Image.Image, width: int) -> Image.Image:
    w, h = image.size
    return _rgb(image).resize((max(1, width), max(1, round(h * width / w))), Image.Resampling.LANCZOS)


def _save_as_screenshot(canvas: Image.Image, rng: random.Random) -> Image.Image:
    """Screenshots travel as PNG, or as JPEG when they were forwarded by a messenger."""
    if rng.random() < 0.4:
        buffer = io.BytesIO()
        canvas.save(buffer, format="JPEG", quality=rng.randint(75, 92))
        return _decode(buffer.getvalue())
    return canvas


def screenshot_desktop(image: Image.Image, rng: random.Random) -> Image.Image:
    """A browser window showing the post at 25-50 % of the screen width, with page text, a sidebar and other thumbnails."""
    sw, sh = rng.choice(((1920, 1080), (1440, 900), (1366, 768), (2560, 1440), (1536, 864)))
    bg, panel, ink = _theme(rng)
    canvas = Image.new("RGB", (sw, sh), bg)
    draw = ImageDraw.Draw(canvas)
    chrome = round(sh * rng.uniform(0.06, 0.1))
    draw.rectangle((0, 0, sw, chrome), fill=panel)  # tabs and address bar
    draw.rounded_rectangle((sw * 0.1, chrome * 0.55, sw * 0.7, chrome * 0.9), radius=8, fill=bg)
    draw.text(
        (sw * 0.12, chrome * 0.6),
        f"https://{rng.choice(_NAMES)}.example/posts/{rng.randrange(10**6)}",
        font=_font(max(10, chrome // 4)),
        fill=ink,
    )
    size = max(11, round(sw * rng.uniform(0.008, 0.012)))
    side = round(sw * rng.uniform(0.12, 0.2))
    draw.rectangle((0, chrome, side, sh), fill=panel)
    _text_lines(draw, (12, chrome + 20, side - 10, sh - 10), rng, size, ink)
    fraction = rng.uniform(0.25, 0.5)
    post = _fit(image, round(sw * fraction))
    top = chrome + round(sh * rng.uniform(0.04, 0.1))
    if post.height > sh - top - 20:  # a tall post: the browser is scrolled, the bottom may be cut off
        post = _fit(image, max(round(sw * 0.25), round(post.width * (sh - top - 20) / post.height)))
    left = rng.randint(side + 20, max(side + 20, sw - post.width - round(sw * 0.22)))
    draw.text((left, top - size * 2), f"@{rng.choice(_NAMES)} - {rng.randint(2, 59)} min", font=_font(size), fill=ink)
    canvas.paste(post, (left, top))
    right = left + post.width + 30
    _text_lines(draw, (left, min(sh, top + post.height + 16), left + post.width, sh), rng, size, ink)
    for _ in range(rng.randint(0, 3)):  # other posts' thumbnails to the right
        tw = round(sw * rng.uniform(0.06, 0.12))
        tx, ty = rng.randint(right, max(right, sw - tw - 10)), rng.randint(chrome + 10, max(chrome + 10, sh - tw))
        canvas.paste(_filler_picture((tw, tw), rng), (tx, ty))
    _text_lines(draw, (right, chrome + 20, sw - 10, sh - 10), rng, size, ink)
    return _save_as_screenshot(canvas, rng)


def screenshot_phone(image: Image.Image, rng: random.Random) -> Image.Image:
    """A phone screen: status bar, app bar, author line, the post across the width, actions and comments."""
    pw, ph = rng.choice(((1080, 2340), (1170, 2532), (720, 1600), (1080, 1920)))
    bg, panel, ink = _theme(rng)
    canvas = Image.new("RGB", (pw, ph), bg)
    draw = ImageDraw.Draw(canvas)
    status, bar = round(ph * 0.03), round(ph * rng.uniform(0.04, 0.06))
    draw.text((30, status * 0.2), f"{rng.randint(7, 23)}:{rng.randint(10, 59)}", font=_font(status // 2 + 4), fill=ink)
    draw.rectangle((0, status, pw, status + bar), fill=panel)
    draw.text((40, status + bar // 4), rng.choice(_WORDS).title(), font=_font(bar // 2), fill=ink)
    size = max(12, round(pw * rng.uniform(0.03, 0.04)))
    top = status + bar + round(ph * rng.uniform(0.01, 0.05))
    draw.ellipse((30, top, 30 + size * 2, top + size * 2), fill=tuple(rng.randrange(256) for _ in range(3)))
    draw.text((40 + size * 2, top + size // 2), rng.choice(_NAMES), font=_font(size), fill=ink)
    top += size * 3
    margin = 0 if rng.random() < 0.6 else round(pw * rng.uniform(0.02, 0.05))
    post = _fit(image, pw - 2 * margin)
    if post.height > 0.7 * ph:  # a tall post is shown narrower, with margins
        post = _fit(image, round(post.width * 0.7 * ph / post.height))
        margin = (pw - post.width) // 2
    canvas.paste(post, (margin, top))
    y = top + post.height + size
    for k in range(4):
        draw.ellipse((30 + k * size * 3, y, 30 + k * size * 3 + size * 2, y + size * 2), outline=ink, width=3)
    _text_lines(draw, (30, y + size * 3, pw - 30, ph), rng, size, ink)
    return _save_as_screenshot(canvas, rng)


def offcentre_crop(image: Image.Image, rng: random.Random) -> Image.Image:
    """An off-centre crop keeping 40-85 % of the area, its aspect ratio changed by up to 2x either way."""
    w, h = image.size
    for _ in range(100):
        area, stretch = rng.uniform(0.4, 0.85), float(np.exp(rng.uniform(-np.log(2.0), np.log(2.0))))
        fw, fh = np.sqrt(area * stretch), np.sqrt(area / stretch)
        if fw <= 1.0 and fh <= 1.0:
            break
    else:  # pragma: no cover - 100 misses in a row do not happen
        fw = fh = 0.7
    cw, ch = max(1, round(w * fw)), max(1, round(h * fh))
    x0, y0 = rng.randint(0, w - cw), rng.randint(0, h - ch)
    return _rgb(image).crop((x0, y0, x0 + cw, y0 + ch))


def mirrored_crop(image: Image.Image, rng: random.Random) -> Image.Image:
    """A mirrored copy cropped off-centre as `offcentre_crop` crops (40-85 % of the area, aspect ratio changed)."""
    return offcentre_crop(ImageOps.mirror(_rgb(image)), rng)


def crop_resize_jpeg(image: Image.Image, rng: random.Random) -> Image.Image:
    """A random crop keeping 70-90 % of each side, shrunk to 40-80 %, saved as JPEG at quality 55-85."""
    cropped = random_crop(image, rng, rng.uniform(0.7, 0.9))
    small = resize(cropped, rng, rng.uniform(0.4, 0.8))
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=rng.randint(55, 85))
    return _decode(buffer.getvalue())


def busy_collage(image: Image.Image, rng: random.Random) -> Image.Image:
    """The post at half the canvas width in a busy collage of other pictures, shapes and text (any canvas shape)."""
    w, h = image.size
    aspect = rng.choice((1.0, 4 / 3, 3 / 4, 16 / 9, 9 / 16, 3 / 2))
    long_side = round(max(w, h) * rng.uniform(1.0, 1.4))
    cw, ch = (long_side, round(long_side / aspect)) if aspect >= 1 else (round(long_side * aspect), long_side)
    canvas = collage(Image.new("RGB", (cw, ch)), rng)  # busy background: gradient, shapes, text
    for _ in range(rng.randint(2, 5)):  # other pictures, some overlapping each other
        fw, fh = round(cw * rng.uniform(0.2, 0.5)), round(ch * rng.uniform(0.2, 0.5))
        canvas.paste(_filler_picture((fw, fh), rng), (rng.randint(0, cw - fw), rng.randint(0, ch - fh)))
    post = _fit(image, round(cw * 0.5))
    if post.height > ch:
        post = _fit(image, max(1, round(post.width * ch / post.height)))
    canvas.paste(post, (rng.randint(0, max(0, cw - post.width)), rng.randint(0, max(0, ch - post.height))))
    return canvas


PARTIAL_TRANSFORMS: dict[str, Transform] = {
    "screen_desktop": screenshot_desktop,
    "screen_phone": screenshot_phone,
    "offcrop": offcentre_crop,
    "mirror_crop": mirrored_crop,
    "crop_resize_jpeg": crop_resize_jpeg,
    "collage_half": busy_collage,
}
"""The partial-reuse transforms of `matching.py` (issue 19); not part of `TRANSFORMS`."""


def encoded_bytes(name: str, image: Image.Image) -> tuple[bytes, str]:
    """The bytes and file extension of `image` as a platform would serve a `name` copy.

    For jpeg70 / jpeg40 / webp60 pass the ORIGINAL: the result is its lossy encoding, which decodes
    to exactly `TRANSFORMS[name](image, rng)` (encoding is the transform). For every other name
    pass the already transformed image: the result is a fast lossless PNG (compress_level=1).
    `materialize` does both steps right for any name.
    """
    if name in LOSSY:
        return _encode(image, name), LOSSY[name][2]
    if name not in TRANSFORMS and name not in PARTIAL_TRANSFORMS:
        raise KeyError(f"unknown transform {name!r}")
    buffer = io.BytesIO()
    _rgb(image).save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue(), "png"


def materialize(name: str, image: Image.Image, rng: random.Random) -> tuple[Image.Image, bytes, str]:
    """Apply transform `name` to the original `image`: (transformed RGB image, served bytes, ext).

    The returned image is what decoding the bytes gives (bit-exact for all names), without
    encoding a lossy copy twice.
    """
    if name in LOSSY:
        data, ext = encoded_bytes(name, image)
        return _decode(data), data, ext
    out = (TRANSFORMS.get(name) or PARTIAL_TRANSFORMS[name])(image, rng)
    data, ext = encoded_bytes(name, out)
    return out, data, ext


# --- self-check ---------------------------------------------------------------------------------


def _sheet(rows: list[tuple[str, list[tuple[str, Image.Image]]]], cell: int = 200) -> Image.Image:
    """A contact sheet: one row per source image, one column per transform."""
    columns = max(len(cells) for _, cells in rows)
    sheet = Image.new("RGB", (columns * (cell + 4), len(rows) * (cell + 18)), (40, 40, 40))
    draw = ImageDraw.Draw(sheet)
    font = _font(12)
    for r, (_, cells) in enumerate(rows):
        for c, (label, img) in enumerate(cells):
            thumb = img.copy()
            thumb.thumbnail((cell, cell))
            x, y = c * (cell + 4), r * (cell + 18)
            sheet.paste(thumb, (x + (cell - thumb.width) // 2, y + 16 + (cell - thumb.height) // 2))
            draw.text((x + 2, y + 1), label, font=font, fill=(230, 230, 230))
    return sheet


def main() -> None:
    """Determinism, sizes, mode and byte round-trip of every transform on a few synthetic images."""
    import argparse
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import synthetic_images

    parser = argparse.ArgumentParser(description="transforms self-check")
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet PNG here")
    parser.add_argument("--n", type=int, default=3, help="synthetic images (default 3)")
    args = parser.parse_args()

    timings: dict[str, float] = dict.fromkeys(TRANSFORMS, 0.0)
    rows: list[tuple[str, list[tuple[str, Image.Image]]]] = []
    problems: list[str] = []
    for key, original in synthetic_images(args.n, seed=7):
        cells = [("original", original)]
        w, h = original.size
        for name, transform in TRANSFORMS.items():
            start = time.perf_counter()
            out = transform(original, seeded_rng(key, name))
            timings[name] += time.perf_counter() - start
            again = transform(original, seeded_rng(key, name))
            if out.mode != "RGB" or out.tobytes() != again.tobytes():
                problems.append(f"{key}/{name}: mode {out.mode} or not deterministic")
            expected = {
                "resize50": (round(w * 0.5), round(h * 0.5)),
                "resize25": (round(w * 0.25), round(h * 0.25)),
                "crop10": (round(w * 0.9), round(h * 0.9)),
                "crop25": (round(w * 0.75), round(h * 0.75)),
                "center50": (round(w * 0.5), round(h * 0.5)),
                "rcrop50": (round(w * 0.5), round(h * 0.5)),
                "border5": (w + 2 * round(w * 0.05), h + 2 * round(h * 0.05)),
            }.get(name, (w, h))
            if out.size != expected:
                problems.append(f"{key}/{name}: size {out.size}, expected {expected}")
            img, data, ext = materialize(name, original, seeded_rng(key, name))
            if _decode(data).tobytes() != out.tobytes() or img.tobytes() != out.tobytes():
                problems.append(f"{key}/{name}: served bytes ({ext}) do not decode to the transform output")
            cells.append((name, out))
        rows.append((key, cells))
        print(f"{key}: {w}x{h} ok")
    print("ms per image: " + ", ".join(f"{n} {1000 * t / args.n:.0f}" for n, t in timings.items()))
    if args.sheet:
        _sheet(rows).save(args.sheet)
        print(f"contact sheet: {args.sheet}")
    if problems:
        raise SystemExit("FAILED:\n" + "\n".join(problems))
    print(f"{len(TRANSFORMS)} transforms: deterministic, RGB, expected sizes, bytes round-trip")


if __name__ == "__main__":
    main()
