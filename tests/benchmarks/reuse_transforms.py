"""More ways a post is reused inside another picture, for `reuse_recall.py` (after `transforms.PARTIAL_TRANSFORMS`).

Every transform is `ReuseTransform = Callable[[Image.Image, random.Random, list[Image.Image]], Image.Image]`: the
post (RGB), an rng (`transforms.seeded_rng`) and a few *other* pictures (other originals, logged or not), of which
the transforms that show more than one picture (`pixiv_page`, `grid_collage`) draw the first `OTHERS[name]`. The
caller knows which of those are logged, so a match of one of them is neither a hit nor a false positive.

    x_dark          dark-mode X/Twitter timeline, the post at 30-50 % of the screen width, rounded corners
    story           a phone story: blurred backdrop, the picture across the screen, stickers and big text over it
    discord         a Discord channel, the post as a small embed (18-25 % of the width), rounded corners
    pixiv_page      an artwork page: the post large, a row of 'related works' thumbnails (other pictures)
    shot50_jpeg60   a desktop screenshot scaled to 50 % and saved as JPEG quality 60
    cut30_letterbox 25-35 % cut off one side, then letterboxed onto a 16:9, 1:1 or 9:16 canvas
    frame_sign      a coloured frame (and mat) around the picture, a signature written over its corner
    grid_collage    a 2x2 or 3x3 grid with thin white borders, the post in one cell, other pictures in the rest
    nested          a screenshot of a screenshot: a phone screenshot of the post, shown in a desktop screenshot
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageOps
from transforms import (
    _NAMES,
    _WORDS,
    _decode,
    _filler_picture,
    _fit,
    _font,
    _rgb,
    _text_lines,
    screenshot_desktop,
    screenshot_phone,
)

ReuseTransform = Callable[[Image.Image, random.Random, list[Image.Image]], Image.Image]
Colour = tuple[int, int, int]


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    _rgb(image).save(buffer, format="JPEG", quality=quality)
    return _decode(buffer.getvalue())


def _rounded(post: Image.Image, radius: int, behind: Colour) -> Image.Image:
    """`post` with its corners rounded off onto `behind`."""
    mask = Image.new("L", post.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, post.width - 1, post.height - 1), radius=radius, fill=255)
    out = Image.new("RGB", post.size, behind)
    out.paste(post, (0, 0), mask)
    return out


def _fit_box(image: Image.Image, width: int, height: int) -> Image.Image:
    """`image` scaled to fit inside width x height, its aspect ratio kept."""
    w, h = image.size
    scale = min(width / w, height / h)
    return _rgb(image).resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS)


def _square(image: Image.Image, side: int) -> Image.Image:
    """The centre square of `image`, `side` pixels (how sites and grids crop thumbnails)."""
    return ImageOps.fit(_rgb(image), (side, side), Image.Resampling.LANCZOS)


def x_dark(image: Image.Image, rng: random.Random, others: list[Image.Image]) -> Image.Image:
    """A dark-mode X timeline: side menu, the post's author line and text, the picture with rounded corners at 30-50 %
    of the screen width, action icons, the next post's text; PNG or JPEG."""
    sw, sh = rng.choice(((1920, 1080), (1440, 900), (2560, 1440), (1536, 864)))
    bg: Colour = rng.choice(((0, 0, 0), (21, 32, 43)))
    ink, dim, line = (231, 233, 234), (113, 118, 123), (47, 51, 54)
    canvas = Image.new("RGB", (sw, sh), bg)
    draw = ImageDraw.Draw(canvas)
    fraction = rng.uniform(0.3, 0.5)
    col_w = round(sw * fraction) + round(sw * 0.06)
    col_x = round((sw - col_w) * rng.uniform(0.35, 0.5))
    draw.line((col_x, 0, col_x, sh), fill=line, width=1)
    draw.line((col_x + col_w, 0, col_x + col_w, sh), fill=line, width=1)
    size = max(13, round(sw * 0.008))
    for k in range(8):  # the side menu
        draw.text((col_x - round(sw * 0.12), 40 + k * size * 3), rng.choice(_WORDS).title(), font=_font(size), fill=ink)
    y = rng.randint(10, 60)
    avatar = size * 3
    draw.ellipse((col_x + 16, y, col_x + 16 + avatar, y + avatar), fill=tuple(rng.randrange(256) for _ in range(3)))
    left = col_x + 24 + avatar
    draw.text(
        (left, y), f"{rng.choice(_NAMES)} @{rng.choice(_NAMES)} · {rng.randint(2, 23)}h", font=_font(size), fill=ink
    )
    _text_lines(draw, (left, y + size * 2, col_x + col_w - 16, y + size * 5), rng, size, ink)
    top = y + size * 6
    post = _fit(image, col_x + col_w - 16 - left)
    if post.height > sh - top - size * 4:  # a tall picture is shown shorter (X crops it in the timeline)
        post = _fit_box(image, post.width, sh - top - size * 4)
    canvas.paste(_rounded(post, max(8, round(sw * 0.008)), bg), (left, top))
    y = top + post.height + size
    for k in range(4):
        draw.text((left + k * post.width // 4, y), f"{rng.randint(1, 999)}", font=_font(size), fill=dim)
    y += size * 3
    draw.line((col_x, y, col_x + col_w, y), fill=line, width=1)
    _text_lines(draw, (left, y + size, col_x + col_w - 16, sh), rng, size, ink)
    _text_lines(draw, (col_x + col_w + 30, 40, sw - 20, sh // 2), rng, size, ink)  # trends
    return canvas if rng.random() < 0.6 else _jpeg(canvas, rng.randint(75, 92))


def story(image: Image.Image, rng: random.Random, others: list[Image.Image]) -> Image.Image:
    """A phone story (Instagram-like): the picture blurred as the backdrop, the picture across 85-100 % of the
    width, progress bars and a user line, 2-4 stickers and a line of big outlined text drawn over the picture; JPEG."""
    pw, ph = rng.choice(((1080, 1920), (720, 1280), (1170, 2079)))
    canvas = ImageOps.fit(_rgb(image), (pw, ph)).filter(ImageFilter.GaussianBlur(pw / 25))
    post = _fit(image, round(pw * rng.uniform(0.85, 1.0)))
    if post.height > ph * 0.75:
        post = _fit_box(image, pw, round(ph * 0.75))
    px, py = (pw - post.width) // 2, round((ph - post.height) * rng.uniform(0.35, 0.55))
    canvas.paste(post, (px, py))
    draw = ImageDraw.Draw(canvas)
    for k in range(3):  # progress bars
        draw.rounded_rectangle(
            (20 + k * (pw - 40) // 3, 20, 10 + (k + 1) * (pw - 40) // 3, 26), 3, fill=(235, 235, 235)
        )
    draw.text((80, 50), rng.choice(_NAMES), font=_font(pw // 30), fill=(255, 255, 255))
    for _ in range(rng.randint(2, 4)):  # stickers over the picture, partly off it
        sw_, sh_ = round(pw * rng.uniform(0.12, 0.28)), round(pw * rng.uniform(0.06, 0.14))
        x = rng.randint(px - sw_ // 3, px + post.width - 2 * sw_ // 3)
        y = rng.randint(py - sh_ // 3, py + post.height - 2 * sh_ // 3)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.rounded_rectangle((x, y, x + sw_, y + sh_), radius=sh_ // 3, fill=(255, 255, 255))
            draw.text((x + sh_ // 4, y + sh_ // 4), f"@{rng.choice(_NAMES)}", font=_font(sh_ // 2), fill=colour)
        else:
            draw.ellipse((x, y, x + sh_, y + sh_), fill=colour, outline=(255, 255, 255), width=4)
    size = round(pw * rng.uniform(0.06, 0.09))
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 3)))
    tx, ty = rng.randint(20, pw // 4), rng.randint(py, py + max(1, post.height - size))
    draw.text((tx, ty), words, font=_font(size), fill=(255, 255, 255), stroke_width=max(2, size // 12), stroke_fill=0)
    return _jpeg(canvas, rng.randint(70, 90))


def discord(image: Image.Image, rng: random.Random, others: list[Image.Image]) -> Image.Image:
    """A Discord channel: server and channel lists, messages, one with an embed (coloured bar, title, text) whose
    picture is 18-25 % of the screenshot's width with rounded corners; PNG."""
    sw, sh = rng.choice(((1920, 1080), (1440, 900), (1280, 720)))
    bg, panel, dark = (49, 51, 56), (43, 45, 49), (30, 31, 34)
    ink, dim = (219, 222, 225), (148, 155, 164)
    canvas = Image.new("RGB", (sw, sh), bg)
    draw = ImageDraw.Draw(canvas)
    servers, channels = 72, round(sw * 0.12)
    draw.rectangle((0, 0, servers, sh), fill=dark)
    for k in range(8):
        draw.ellipse((12, 12 + k * 60, 60, 60 + k * 60), fill=tuple(rng.randrange(60, 200) for _ in range(3)))
    draw.rectangle((servers, 0, servers + channels, sh), fill=panel)
    size = max(13, round(sw * 0.008))
    _text_lines(draw, (servers + 12, 50, servers + channels - 8, sh - 60), rng, size, dim)
    left = servers + channels + 20
    y = rng.randint(40, sh // 5)
    _text_lines(draw, (left + 56, 20, sw - 40, y - 10), rng, size, ink)
    draw.ellipse((left, y, left + 40, y + 40), fill=tuple(rng.randrange(256) for _ in range(3)))
    draw.text(
        (left + 56, y),
        f"{rng.choice(_NAMES)}  Today at {rng.randint(1, 12)}:{rng.randint(10, 59)}",
        font=_font(size),
        fill=ink,
    )
    ex, ey = left + 56, y + size * 2
    post = _fit(image, round(sw * rng.uniform(0.18, 0.25)))
    if post.height > sh * 0.55:
        post = _fit_box(image, post.width, round(sh * 0.55))
    ew = max(post.width + 32, round(sw * 0.3))
    eh = size * 5 + post.height + 16
    draw.rounded_rectangle((ex, ey, ex + ew, ey + eh), radius=4, fill=panel)
    draw.rectangle((ex, ey, ex + 4, ey + eh), fill=tuple(rng.randrange(256) for _ in range(3)))
    draw.text(
        (ex + 16, ey + 10),
        f"{rng.choice(_WORDS).title()} by {rng.choice(_NAMES)}",
        font=_font(size),
        fill=(0, 168, 252),
    )
    _text_lines(draw, (ex + 16, ey + 10 + size * 2, ex + ew - 10, ey + size * 4 + 10), rng, size, ink)
    canvas.paste(_rounded(post, rng.randint(3, 8), panel), (ex + 16, ey + size * 5))
    _text_lines(draw, (left + 56, ey + eh + 20, sw - 40, sh - 70), rng, size, ink)
    draw.rounded_rectangle((left, sh - 60, sw - 20, sh - 16), radius=8, fill=(56, 58, 64))
    return canvas


def pixiv_page(image: Image.Image, rng: random.Random, others: list[Image.Image]) -> Image.Image:
    """An artwork page: the post at up to 45 % of the width and 60 % of the height, title, tags and author beside it,
    then a row of 6-8 square 'related works' thumbnails with rounded corners: `others` (other originals) and generated
    pictures; PNG or JPEG."""
    sw, sh = rng.choice(((1920, 1080), (1440, 900), (2560, 1440)))
    bg, ink = (255, 255, 255), (31, 31, 31)
    canvas = Image.new("RGB", (sw, sh), bg)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, sw, 64), fill=(245, 245, 245))
    draw.text((24, 20), "pixiv", font=_font(26), fill=(0, 150, 250))
    post = _fit_box(image, round(sw * 0.45), round(sh * 0.6))
    px, py = round(sw * 0.08), 90
    draw.rectangle((px - 20, py - 10, px + round(sw * 0.45) + 20, py + post.height + 10), fill=(250, 250, 250))
    canvas.paste(post, (px + (round(sw * 0.45) - post.width) // 2, py))
    size = max(13, round(sw * 0.009))
    right = px + round(sw * 0.45) + 60
    draw.text((right, py), rng.choice(_WORDS).title(), font=_font(size * 2), fill=ink)
    _text_lines(draw, (right, py + size * 4, sw - 40, py + post.height), rng, size, (0, 120, 200))
    y = py + post.height + 30
    draw.text((px, y), "Related works", font=_font(size + 4), fill=ink)
    y += size * 2 + 10
    count = rng.randint(6, 8)
    gap = 12
    thumb = min((sw - 2 * px - (count - 1) * gap) // count, sh - y - 10)
    pictures: list[Image.Image] = list(others)
    while len(pictures) < count:
        pictures.insert(rng.randrange(len(pictures) + 1), _filler_picture((thumb, thumb), rng))
    for k, picture in enumerate(pictures[:count]):
        canvas.paste(_rounded(_square(picture, thumb), 8, bg), (px + k * (thumb + gap), y))
    return canvas if rng.random() < 0.5 else _jpeg(canvas, rng.randint(80, 92))


def shot50_jpeg60(image: Image.Image, rng: random.Random, others: list[Image.Image]) -> Image.Image:
    """A desktop screenshot (`transforms.screenshot_desktop`) scaled to 50 % and saved as JPEG quality 60."""
    shot = screenshot_desktop(image, rng)
    half = shot.resize((shot.width // 2, shot.height // 2), Image.Resampling.BICUBIC)
    return _jpeg(half, 60)


def cut30_letterbox(image: Image.Image, rng: random.Random, others: list[Image.Image]) -> Image.Image:
    """25-35 % cut off one side (left, right, top or bottom), then letterboxed onto a 16:9, 1:1 or 9:16 canvas of
    black, white or the picture blurred."""
    w, h = image.size
    cut = rng.uniform(0.25, 0.35)
    side = rng.choice(("left", "right", "top", "bottom"))
    box = {
        "left": (round(w * cut), 0, w, h),
        "right": (0, 0, round(w * (1 - cut)), h),
        "top": (0, round(h * cut), w, h),
        "bottom": (0, 0, w, round(h * (1 - cut))),
    }[side]
    cropped = _rgb(image).crop(box)
    aspect = rng.choice((16 / 9, 1.0, 9 / 16))
    long_side = rng.choice((720, 1080, 1280))
    cw, ch = (long_side, round(long_side / aspect)) if aspect >= 1 else (round(long_side * aspect), long_side)
    fill = rng.random()
    if fill < 0.35:
        canvas = Image.new("RGB", (cw, ch), (0, 0, 0))
    elif fill < 0.6:
        canvas = Image.new("RGB", (cw, ch), (255, 255, 255))
    else:
        canvas = ImageOps.fit(cropped, (cw, ch)).filter(ImageFilter.GaussianBlur(cw / 30))
    inner = _fit_box(cropped, cw, ch)
    canvas.paste(inner, ((cw - inner.width) // 2, (ch - inner.height) // 2))
    return canvas if rng.random() < 0.5 else _jpeg(canvas, rng.randint(75, 92))


def frame_sign(image: Image.Image, rng: random.Random, others: list[Image.Image]) -> Image.Image:
    """A coloured frame 4-10 % of the side wide (sometimes with a light mat inside it), and a signature written over
    the picture's lower corner; PNG or JPEG."""
    picture = _rgb(image).copy()
    w, h = picture.size
    draw = ImageDraw.Draw(picture)
    size = max(12, round(min(w, h) * rng.uniform(0.04, 0.07)))
    name = rng.choice(_NAMES)
    colour = rng.choice(((255, 255, 255), (20, 20, 20), (200, 30, 60)))
    x = rng.choice((round(w * 0.04), round(w * 0.96) - size * len(name) // 2 - size))
    draw.text((x, round(h * 0.95) - size), f"~{name}", font=_font(size), fill=colour)
    frame = max(4, round(max(w, h) * rng.uniform(0.04, 0.1)))
    if rng.random() < 0.4:
        picture = ImageOps.expand(picture, border=max(2, frame // 3), fill=(240, 236, 228))
    framed = ImageOps.expand(picture, border=frame, fill=tuple(rng.randrange(256) for _ in range(3)))
    ImageDraw.Draw(framed).text(
        (frame, framed.height - frame + 2), f"{name} 2026", font=_font(max(8, frame // 2)), fill=(250, 250, 250)
    )
    return framed if rng.random() < 0.5 else _jpeg(framed, rng.randint(80, 92))


def grid_collage(image: Image.Image, rng: random.Random, others: list[Image.Image]) -> Image.Image:
    """A 2x2 or 3x3 grid of square cells with thin white borders (2-8 px): the post in a random cell, `others`
    (other originals) and generated pictures in the rest; PNG or JPEG."""
    n = 2 if rng.random() < 0.5 else 3
    cell = rng.choice((300, 400, 540)) if n == 3 else rng.choice((400, 540, 720))
    border = rng.randint(2, 8)
    side = n * cell + (n + 1) * border
    canvas = Image.new("RGB", (side, side), (255, 255, 255))
    pictures: list[Image.Image] = list(others[: n * n - 1])
    while len(pictures) < n * n - 1:
        pictures.insert(rng.randrange(len(pictures) + 1), _filler_picture((cell, cell), rng))
    pictures.insert(rng.randrange(n * n), image)
    for k, picture in enumerate(pictures):
        r, c = divmod(k, n)
        canvas.paste(_square(picture, cell), (border + c * (cell + border), border + r * (cell + border)))
    return canvas if rng.random() < 0.5 else _jpeg(canvas, rng.randint(80, 92))


def nested(image: Image.Image, rng: random.Random, others: list[Image.Image]) -> Image.Image:
    """A screenshot of a screenshot: a phone screenshot of the post (`transforms.screenshot_phone`) shown in a
    desktop screenshot (`transforms.screenshot_desktop`), the post a tenth to a quarter of the width."""
    return screenshot_desktop(screenshot_phone(image, rng), rng)


REUSE_TRANSFORMS: dict[str, ReuseTransform] = {
    "x_dark": x_dark,
    "story": story,
    "discord": discord,
    "pixiv_page": pixiv_page,
    "shot50_jpeg60": shot50_jpeg60,
    "cut30_letterbox": cut30_letterbox,
    "frame_sign": frame_sign,
    "grid_collage": grid_collage,
    "nested": nested,
}
OTHERS: dict[str, int] = {"pixiv_page": 4, "grid_collage": 5}
"""How many other originals a transform shows (the rest of its row or grid is generated pictures)."""
