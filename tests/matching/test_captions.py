"""A post with a white background, shown between white caption bars (a meme) or side bars, is found.

Nothing steps between the bars and the post's own white edges, so no edge bounds it; the bars' text and
the post's inked part say where it must be. Every picture is drawn here: coloured shapes on white.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from PIL import Image, ImageDraw, ImageFont

from tracker.matching import screenshots


def on_white(seed: int, size: tuple[int, int] = (800, 800)) -> Image.Image:
    """A figure on a white background, as much AI art is: textured blobs, white margins on every side."""
    rng = np.random.default_rng(seed)
    w, h = size
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for _ in range(6):
        cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.35, 0.7) * h
        rx, ry = rng.uniform(0.08, 0.2) * w, rng.uniform(0.1, 0.22) * h
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
    picture = Image.new("RGB", size, "white")
    picture.paste(drawing(seed, size), mask=mask)
    return picture


def meme(post: Image.Image, path: Path, turned: bool = False) -> Path:
    """The post at 800x800 between 150-pixel white bars with black text (above and below it, or left and right
    of it when `turned`), saved as JPEG quality 85."""
    size = (1100, 800) if turned else (800, 1100)
    canvas = Image.new("RGB", size, "white")
    canvas.paste(post.resize((800, 800)), (150, 0) if turned else (0, 150))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=44)
    if turned:
        for y in (250, 330, 410):
            draw.text((12, y), "WAIT", font=font, fill="black")
            draw.text((962, y), "WHAT", font=font, fill="black")
    else:
        draw.text((60, 50), "WHEN THE RENDER", font=font, fill="black")
        draw.text((60, 990), "FINALLY WORKS", font=font, fill="black")
    canvas.save(path, quality=85)
    return path


@pytest.mark.db
@pytest.mark.parametrize("turned", [False, True], ids=["caption-bars", "side-bars"])
def test_a_white_background_post_between_white_caption_bars_is_found(
    tracker: Tracker, tmp_path: Path, turned: bool
) -> None:
    posted = tmp_path / "post.png"
    on_white(41).save(posted)
    tracker("log", posted, "--url", "https://www.pixiv.net/artworks/200000041", "--persona", "moth")
    on_white(42).save(tmp_path / "other.png")
    tracker("log", tmp_path / "other.png", "--url", "https://www.pixiv.net/artworks/200000042", "--persona", "moth")

    results = tracker.json("match", str(meme(Image.open(posted), tmp_path / "meme.jpg", turned)))
    assert [r["original_name"] for r in results] == ["post.png"]
    best = results[0]
    assert best["score"] >= 0.5 and best["confidence"] in ("certain", "high")
    said = "the post is shown inside the picture at "
    assert best["reason"].startswith(said) and best["reason"].endswith(" % of its width")
    width = int(best["reason"][len(said) :].split()[0])  # the post is 800 of 1100 pixels wide when turned
    assert 70 <= width <= 75 if turned else width == 100
    assert best["pixel_check"] > 0.75


@pytest.mark.db
@pytest.mark.parametrize("turned", [False, True], ids=["caption-bars", "side-bars"])
def test_an_unlogged_white_background_picture_between_caption_bars_is_not_reported(
    tracker: Tracker, tmp_path: Path, turned: bool
) -> None:
    for seed in (41, 42):
        on_white(seed).save(tmp_path / f"{seed}.png")
        tracker(
            "log",
            tmp_path / f"{seed}.png",
            "--url",
            f"https://www.pixiv.net/artworks/2000000{seed}",
            "--persona",
            "moth",
        )
    assert tracker.json("match", str(meme(on_white(43), tmp_path / "meme.jpg", turned))) == []


def test_caption_windows_hold_the_post_and_a_picture_without_bars_gets_none(tmp_path: Path) -> None:
    """The windows tried between the bars include the post's own to 2 % of the image; a white-background picture
    alone, with no caption beyond its margins, adds no window to search."""
    query = Image.open(meme(on_white(41), tmp_path / "meme.jpg"))
    boxes = screenshots.caption_bands(screenshots.small_rgb(query))
    post = (0.0, 150 / 1100, 1.0, 950 / 1100)
    assert 0 < len(boxes) <= 98
    assert min(max(abs(a - b) for a, b in zip(box, post, strict=True)) for box in boxes) < 0.02
    assert screenshots.caption_bands(screenshots.small_rgb(on_white(41))) == []
