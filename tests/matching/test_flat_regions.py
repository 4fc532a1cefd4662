"""A post that is mostly a smooth gradient is not "found" in screenshots of other posts.

A white page with one corner of another post in it and a green gradient with one brown block
in its corner have alike hashes and, compared on raw intensities, alike pixels: one edge in
the same place, nothing elsewhere. That proves nothing, so such a match is never reported
(let alone as "certain"); the gradient post's own screenshot still is. Every picture is drawn
here: the gradient post, textured posts (`fixtures.drawings.draw_scene`) and the 1920x1080
browser pages (JPEG) showing them at 30 % of the width.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from fixtures.common import Tracker
from fixtures.drawings import draw_scene
from PIL import Image, ImageDraw, ImageFont

from tracker.matching import verify
from tracker.matching.hashing import image_hashes
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, Candidate, MatchIndex, RegionMatch, StoredHashes

FLAT = 1
"""The image id of the gradient post."""
TEXTURED = tuple(range(2, 14))
SIZES = ((1216, 832), (832, 1216), (1024, 1024), (896, 1152), (768, 1024))


def gradient_post(size: tuple[int, int] = (1216, 832)) -> Image.Image:
    """A pale-to-bright green diagonal gradient with a brown block, a faint disc and a grey triangle."""
    w, h = size
    t = (np.linspace(0, 1, w)[None, :] * 0.6 + np.linspace(0, 1, h)[:, None] * 0.4)[..., None]
    field = np.array([200.0, 225.0, 170.0]) * (1 - t) + np.array([100.0, 225.0, 40.0]) * t
    image = Image.fromarray(field.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((w * 0.1, h * 0.17, w * 0.24, h * 0.52), fill=(125, 70, 45))
    draw.ellipse((w * 0.3, h * 0.46, w * 0.43, h * 0.65), fill=(160, 215, 150))
    draw.polygon([(w * 0.89, h * 0.58), (w, h * 0.75), (w * 0.67, h * 0.89)], fill=(140, 145, 150))
    return image


def browser(shown: Image.Image, fraction: float = 0.3) -> Image.Image:
    """A white 1920x1080 page: a status line, the post at `fraction` of the width, a caption; JPEG."""
    page = Image.new("RGB", (1920, 1080), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=28)
    draw.text((40, 40), "status bar 22:14   LTE", font=font, fill=(120, 120, 120))
    width = round(1920 * fraction)
    small = shown.resize((width, round(shown.height * width / shown.width)), Image.Resampling.LANCZOS)
    page.paste(small, (340, 170))
    draw.text((40, 200 + small.height), "some caption text below the post", font=font, fill=(120, 120, 120))
    buffer = io.BytesIO()
    page.save(buffer, format="JPEG", quality=90)
    decoded = Image.open(io.BytesIO(buffer.getvalue()))
    decoded.load()
    return decoded


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    textured = {i: draw_scene(300 + k, SIZES[k % len(SIZES)]) for k, i in enumerate(TEXTURED)}
    return {FLAT: gradient_post(), **textured}


@pytest.fixture(scope="module")
def index(posts: dict[int, Image.Image]) -> MatchIndex:
    return MatchIndex(StoredHashes.from_rows([(i, image_hashes(p)) for i, p in posts.items()]))


def ranked(index: MatchIndex, posts: dict[int, Image.Image], query: Image.Image) -> list[Candidate]:
    return [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE]


def test_screenshots_of_other_posts_never_report_the_gradient_post(
    index: MatchIndex, posts: dict[int, Image.Image]
) -> None:
    for image_id in TEXTURED:
        found = ranked(index, posts, browser(posts[image_id]))
        assert [(c.id, c.confidence) for c in found] == [(image_id, "certain")], image_id


def test_the_gradient_posts_own_screenshot_is_still_found(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    found = ranked(index, posts, browser(posts[FLAT]))
    assert [c.id for c in found] == [FLAT]
    assert found[0].pixel_check is not None and found[0].pixel_check > 0.9


def test_the_pixel_check_does_not_confirm_an_edge_on_a_flat_page_against_a_gradient(
    posts: dict[int, Image.Image],
) -> None:
    # The corner of a post on a white page against the gradient post's block corner: one edge, both.
    page = browser(posts[2])
    query_box = (0.42, 0.36, 1.0, 0.95)
    region = RegionMatch(image_box=(0.25, 0.5, 0.75, 1.0), query_box=query_box, distance=3.5)
    claim = Candidate(id=FLAT, score=0.82, kind="region", phash_distance=30, dhash_distance=30, region=region)
    assert verify.correlation(page, query_box, posts[FLAT], region.image_box) is None
    assert verify.check([claim], page, posts.get) == []
    # Two smooth gradients alike in nothing but smoothness are no evidence either.
    ramp = Image.fromarray(np.tile(np.linspace(30, 220, 400), (300, 1)).astype(np.uint8), "L").convert("RGB")
    assert verify.correlation(ramp, (0.0, 0.0, 1.0, 1.0), posts[FLAT], (0.5, 0.0, 1.0, 0.5)) is None


@pytest.mark.db
def test_tracker_match_does_not_report_the_gradient_post_for_another_posts_screenshot(
    tracker: Tracker, tmp_path: Path, posts: dict[int, Image.Image]
) -> None:
    for name, image_id in (("gradient.png", FLAT), ("textured.png", 2), ("other.png", 4), ("third.png", 12)):
        path = tmp_path / name
        posts[image_id].save(path)
        tracker("log", path, "--url", f"https://www.pixiv.net/artworks/{200000000 + image_id}", "--persona", "moth")
    for image_id, name in ((2, "textured.png"), (4, "other.png"), (12, "third.png")):
        shot = tmp_path / f"shot{image_id}.jpg"
        browser(posts[image_id]).save(shot, quality=92)
        results = tracker.json("match", str(shot))
        assert [(r["original_name"], r["confidence"]) for r in results] == [(name, "certain")]
