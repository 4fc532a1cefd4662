"""A white post on a page a few levels off white: its border steps by less than a faint step counts, so no rectangle
bounds it at first; the search looks again with the pale step when nothing sure was found."""

from __future__ import annotations

import random

import pytest
from fixtures.drawings import drawing
from PIL import Image, ImageDraw, ImageFont

from tracker.matching import drawn, screenshots
from tracker.matching.hashing import image_hashes
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, Candidate, MatchIndex, StoredHashes

PAGE = (252, 252, 252)
"""Three levels off the post's white: under `screenshots.FAINT_STEP`."""


def cartoon(seed: int) -> Image.Image:
    """A tall white picture with a figure in the middle (a cartoon character cut out), its edges all white."""
    rng = random.Random(seed)
    mask = Image.new("L", (600, 1200), 0)
    draw = ImageDraw.Draw(mask)
    for _ in range(7):  # the figure's outline: overlapping blobs well inside the picture
        cx, cy = rng.randrange(220, 380), rng.randrange(260, 940)
        rx, ry = rng.randrange(60, 160), rng.randrange(80, 200)
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
    image = Image.new("RGB", (600, 1200), "white")
    image.paste(drawing(seed, (600, 1200)), mask=mask)
    return image


def page_with(post: Image.Image, colour: tuple[int, int, int] = PAGE) -> Image.Image:
    """A 1366x768 browser page of `colour` with the post at a quarter of its width, its bottom cut off by the screen."""
    page = Image.new("RGB", (1366, 768), colour)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=14)
    draw.rectangle((0, 0, 1366, 60), fill=(238, 240, 242))
    draw.text((160, 25), "https://example.test/posts/371747", font=font, fill=(20, 20, 25))
    draw.rectangle((0, 60, 230, 768), fill=(238, 240, 242))
    words = ("garden", "storm", "velvet", "echo", "neon", "glass", "city", "quill")
    rng = random.Random(7)
    for y in range(80, 760, 24):
        draw.text((12, y), " ".join(rng.choice(words) for _ in range(3)), font=font, fill=(20, 20, 25))
        draw.text((1000, y), " ".join(rng.choice(words) for _ in range(5)), font=font, fill=(20, 20, 25))
    draw.text((630, 110), "@someone - 48 min", font=font, fill=(20, 20, 25))
    shown = post.resize((342, 684), Image.Resampling.LANCZOS)
    page.paste(shown, (630, 136))  # 684 pixels tall from 136: the last 52 below the screen
    return page


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    return {seed: cartoon(seed) for seed in (1, 2, 3)}


def found_in(posts: dict[int, Image.Image], query: Image.Image) -> list[Candidate]:
    index = MatchIndex(StoredHashes.from_rows([(i, image_hashes(p)) for i, p in posts.items()]))
    return [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE]


def test_a_white_post_on_an_off_white_page_cut_by_the_screen_is_found(posts: dict[int, Image.Image]) -> None:
    page = page_with(posts[2])
    assert not any(abs(box[0] - 630 / 1366) < 0.01 for box in screenshots.propose(page))  # no step bounds it at first
    found = found_in(posts, page)
    assert [c.id for c in found] == [2]
    c = found[0]
    assert c.confidence in ("certain", "high") and c.pixel_check is not None and c.pixel_check >= 0.9
    assert c.region is not None and abs(c.region.query_box[0] - 630 / 1366) < 0.01
    assert any("the rest cut off" in line for line in c.matched), c.matched


def test_a_white_post_not_logged_on_an_off_white_page_matches_nothing(posts: dict[int, Image.Image]) -> None:
    assert found_in({k: p for k, p in posts.items() if k != 2}, page_with(posts[2])) == []


@pytest.mark.parametrize("level", [253, 254, 255])
def test_a_white_post_on_a_page_of_its_own_white_is_found_by_its_drawn_part(
    posts: dict[int, Image.Image], level: int
) -> None:
    found = found_in(posts, page_with(posts[2], (level, level, level)))  # no step at all bounds the post
    assert [c.id for c in found] == [2]
    c = found[0]
    assert c.confidence in ("certain", "high") and c.pixel_check is not None and c.pixel_check >= 0.9
    assert c.region is not None and 630 / 1366 <= c.region.query_box[0] <= c.region.query_box[2] <= 972 / 1366
    assert any(line.startswith("found by searching its drawn part alone") for line in c.matched), c.matched


def test_a_white_post_not_logged_on_a_white_page_matches_nothing(posts: dict[int, Image.Image]) -> None:
    assert found_in({k: p for k, p in posts.items() if k != 2}, page_with(posts[2], (255, 255, 255))) == []


def test_only_a_near_white_page_has_its_drawn_parts_searched(posts: dict[int, Image.Image]) -> None:
    assert drawn.drawn_boxes(page_with(posts[2], (255, 255, 255)))  # the post's drawing, apart from the text
    assert drawn.drawn_boxes(page_with(posts[2], (236, 236, 236))) == []  # a grey page: nothing more is searched
