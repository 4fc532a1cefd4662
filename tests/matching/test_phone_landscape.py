"""A post shown small in a portrait phone screenshot is found, whatever its own aspect ratio.

A phone screen is more than twice as tall as wide, so a landscape post at a quarter to a half of
its width is only 5-15 % of its height: the screenshot is still evidence of the post. Every
picture is drawn here: textured posts (`fixtures.drawings.draw_scene`), pasted into a dark or
light 1080x2340 phone screen with a status bar, an author line and captions, saved as JPEG.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import draw_scene
from PIL import Image, ImageDraw, ImageFont

from tracker.matching.hashing import image_hashes
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, MatchIndex, StoredHashes

SIZES = {1: (1216, 832), 2: (1344, 768), 3: (1536, 640), 4: (832, 1216), 5: (1024, 1024)}
"""Logged posts by image id: landscape 3:2, 7:4 and 12:5 (the widest common generation size), portrait, square."""
OTHERS = {10: (1216, 832), 11: (1536, 640), 12: (1024, 1024)}
"""More logged posts, of the same shapes, that the screenshots do not show."""


def post(image_id: int) -> Image.Image:
    size = SIZES.get(image_id) or OTHERS[image_id]
    return draw_scene(40 + image_id, size)


def phone(shown: Image.Image, fraction: float, dark: bool = True, jpeg: bool = True) -> Image.Image:
    """A 1080x2340 phone screen: status bar, author line, the post centred at `fraction` of the width, captions."""
    bg, bar, ink = (
        ((16, 16, 18), (30, 30, 34), (210, 210, 210)) if dark else ((255, 255, 255), (242, 242, 242), (40, 40, 40))
    )
    screen = Image.new("RGB", (1080, 2340), bg)
    draw = ImageDraw.Draw(screen)
    font = ImageFont.load_default(size=40)
    draw.rectangle((0, 0, 1080, 90), fill=bar)
    draw.text((40, 24), "22:14    LTE    87%", font=font, fill=ink)
    draw.text((40, 140), "@someone - 5 min", font=font, fill=ink)
    width = round(1080 * fraction)
    small = shown.resize((width, round(shown.height * width / shown.width)), Image.Resampling.LANCZOS)
    top = 230
    screen.paste(small, ((1080 - width) // 2, top))
    y = top + small.height + 30
    for line in ("some caption text below the post", "#aiart #illustration  1.2K likes", "reply: looks like mine"):
        draw.text((40, y), line, font=font, fill=ink)
        y += 60
    draw.rectangle((0, 2200, 1080, 2340), fill=bar)
    if not jpeg:
        return screen
    buffer = io.BytesIO()
    screen.save(buffer, format="JPEG", quality=85)
    decoded = Image.open(io.BytesIO(buffer.getvalue()))
    decoded.load()
    return decoded


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    return {i: post(i) for i in (*SIZES, *OTHERS)}


@pytest.fixture(scope="module")
def index(posts: dict[int, Image.Image]) -> MatchIndex:
    return MatchIndex(StoredHashes.from_rows([(i, image_hashes(p)) for i, p in posts.items()]))


def found(index: MatchIndex, posts: dict[int, Image.Image], query: Image.Image) -> list[tuple[int, str]]:
    return [(c.id, c.confidence) for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE]


@pytest.mark.parametrize("image_id", [1, 2, 3])
@pytest.mark.parametrize("fraction", [0.25, 0.4, 0.5])
def test_a_landscape_post_small_in_a_phone_screenshot_is_found(
    index: MatchIndex, posts: dict[int, Image.Image], image_id: int, fraction: float
) -> None:
    assert found(index, posts, phone(posts[image_id], fraction)) == [(image_id, "certain")]


@pytest.mark.parametrize("dark", [True, False])
def test_light_or_dark_and_lossless_screens_alike(index: MatchIndex, posts: dict[int, Image.Image], dark: bool) -> None:
    assert found(index, posts, phone(posts[1], 0.35, dark=dark, jpeg=False)) == [(1, "certain")]
    assert found(index, posts, phone(posts[3], 0.3, dark=dark)) == [(3, "certain")]


@pytest.mark.parametrize("image_id", [4, 5])
def test_portrait_and_square_posts_are_still_found(
    index: MatchIndex, posts: dict[int, Image.Image], image_id: int
) -> None:
    assert found(index, posts, phone(posts[image_id], 0.4)) == [(image_id, "certain")]


def test_an_unlogged_landscape_picture_in_a_phone_screenshot_reports_nothing(
    index: MatchIndex, posts: dict[int, Image.Image]
) -> None:
    for fraction in (0.25, 0.4):
        assert found(index, posts, phone(draw_scene(999, (1216, 832)), fraction)) == []
        assert found(index, posts, phone(draw_scene(998, (1536, 640)), fraction, dark=False)) == []


@pytest.mark.db
def test_tracker_match_finds_a_landscape_post_in_a_phone_screenshot(tracker: Tracker, tmp_path: Path) -> None:
    posted = tmp_path / "landscape.png"
    post(1).save(posted)
    tracker("log", posted, "--url", "https://www.pixiv.net/artworks/200000001", "--persona", "moth")
    shot = tmp_path / "phone_screenshot.jpg"
    phone(post(1), 0.4).save(shot, quality=90)
    results = tracker.json("match", str(shot))
    assert [r["original_name"] for r in results] == ["landscape.png"]
    best = results[0]
    assert best["confidence"] == "certain" and best["pixel_check"] > 0.9
    assert best["reason"] == "the post is shown inside the picture at 40 % of its width"
    out = tracker("match", shot).stdout
    assert "No logged image matches" not in out and "landscape.png" in out
