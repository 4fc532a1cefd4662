"""A post shown inside a screenshot or a collage is found, says where, and an unlogged picture is not.

Every picture is drawn here: textured "posts" (smooth random colour fields with shapes), pasted
into a fake browser page or phone screen with lines of text around them, or into a busy collage.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from fixtures.common import Tracker
from PIL import Image, ImageDraw, ImageFont

from tracker.matching import screenshots, verify
from tracker.matching.hashing import image_hashes
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, Candidate, MatchIndex, RegionMatch, StoredHashes


def picture(seed: int, size: tuple[int, int]) -> Image.Image:
    """A textured picture no other seed resembles: a smooth random colour field with shapes on it."""
    rng = np.random.default_rng(seed)
    field = rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)
    image = Image.fromarray(field, "RGB").resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    w, h = size
    for _ in range(8):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(w // 10, w // 3)), y0 + int(rng.integers(h // 10, h // 3))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    return image


def text_lines(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], colour: tuple[int, int, int]) -> None:
    rng = random.Random(box[0] * 7 + box[1])
    font = ImageFont.load_default(size=16)
    words = ("neon", "forest", "study", "portrait", "garden", "storm", "echo", "velvet", "glass")
    for y in range(box[1], box[3] - 16, 26):
        line = " ".join(rng.choice(words) for _ in range(12))
        while line and box[0] + draw.textlength(line, font=font) > box[2]:
            line = line.rsplit(" ", 1)[0] if " " in line else ""
        draw.text((box[0], y), line, font=font, fill=colour)


def desktop(post: Image.Image, width_fraction: float, dark: bool = False) -> tuple[Image.Image, tuple[int, ...]]:
    """A 1600x900 browser page with the post at `width_fraction` of the width; and where it is."""
    bg, panel, ink = (
        ((25, 25, 30), (45, 45, 52), (220, 220, 225)) if dark else ((250, 250, 250), (232, 234, 238), (20, 20, 20))
    )
    page = Image.new("RGB", (1600, 900), bg)
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1600, 70), fill=panel)
    draw.rounded_rectangle((200, 20, 1100, 55), radius=10, fill=bg)
    draw.text((220, 28), "https://example.test/posts/12345", font=ImageFont.load_default(size=18), fill=ink)
    draw.rectangle((0, 70, 260, 900), fill=panel)
    text_lines(draw, (15, 90, 250, 880), ink)
    shown = post.resize((round(1600 * width_fraction), round(1600 * width_fraction * post.height / post.width)))
    left, top = 420, 130
    draw.text((left, 100), "@someone - 12 min", font=ImageFont.load_default(size=16), fill=ink)
    page.paste(shown, (left, top))
    text_lines(draw, (left, top + shown.height + 20, left + shown.width, 900), ink)
    text_lines(draw, (left + shown.width + 40, 100, 1580, 880), ink)
    return page, (left, top, left + shown.width, top + shown.height)


def phone(post: Image.Image) -> Image.Image:
    """A 720x1560 dark phone screen: bars, an author line, the post across the width, actions, comments."""
    screen = Image.new("RGB", (720, 1560), (18, 18, 22))
    draw = ImageDraw.Draw(screen)
    draw.rectangle((0, 40, 720, 130), fill=(36, 36, 44))
    draw.text((30, 70), "Feed", font=ImageFont.load_default(size=28), fill=(230, 230, 230))
    draw.ellipse((20, 150, 70, 200), fill=(200, 80, 120))
    draw.text((85, 165), "someone", font=ImageFont.load_default(size=20), fill=(230, 230, 230))
    shown = post.resize((720, round(720 * post.height / post.width)))
    screen.paste(shown, (0, 220))
    y = 220 + shown.height + 20
    for k in range(4):
        draw.ellipse((20 + 70 * k, y, 70 + 70 * k, y + 50), outline=(230, 230, 230), width=3)
    text_lines(draw, (20, y + 80, 700, 1550), (230, 230, 230))
    return screen


def collage(post: Image.Image) -> Image.Image:
    """A busy 1200x900 collage: other pictures, shapes and text, the post at half the width on top."""
    canvas = picture(999, (1200, 900))
    draw = ImageDraw.Draw(canvas)
    for k in range(4):
        canvas.paste(picture(500 + k, (300, 260)), (40 + 280 * k, 600 - 120 * (k % 2)))
    draw.text((40, 40), "mood board: glass garden storm", font=ImageFont.load_default(size=48), fill=(255, 255, 255))
    shown = post.resize((600, round(600 * post.height / post.width)))
    canvas.paste(shown, (530, 180))
    return canvas


POST = (1, (768, 960))
OTHER = (2, (1024, 1024))
WIDE = (3, (1216, 832))


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    return {seed: picture(seed, size) for seed, size in (POST, OTHER, WIDE)}


@pytest.fixture(scope="module")
def index(posts: dict[int, Image.Image]) -> MatchIndex:
    return MatchIndex(StoredHashes.from_rows([(i, image_hashes(p)) for i, p in posts.items()]))


def best_for(index: MatchIndex, query: Image.Image, posts: dict[int, Image.Image]) -> list[Candidate]:
    found = rank_image(index, query, pixels=posts.get)
    return [c for c in found if c.score >= MATCH_SCORE]


@pytest.mark.parametrize("fraction", [0.25, 0.33, 0.5])
def test_a_post_shown_in_a_browser_screenshot_is_found_and_its_size_said(
    index: MatchIndex, posts: dict[int, Image.Image], fraction: float
) -> None:
    page, _ = desktop(posts[3], fraction, dark=fraction == 0.33)
    found = best_for(index, page, posts)
    assert [c.id for c in found] == [3]
    c = found[0]
    assert c.kind == "region" and c.region is not None
    reason = c.region.describe()
    assert reason.startswith("the post is shown inside the picture at ")
    shown = int(reason.split(" at ")[1].split(" %")[0])
    assert abs(shown - 100 * fraction) <= 3
    assert any(line.startswith("pixels agree") for line in c.matched)
    assert c.confidence in ("certain", "high")


def test_a_post_across_a_phone_screen_is_found(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    found = best_for(index, phone(posts[1]), posts)
    assert [c.id for c in found] == [1]
    assert found[0].region is not None and "at 100 % of its width" in found[0].region.describe()


def test_a_post_at_half_size_in_a_busy_collage_is_found(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    found = best_for(index, collage(posts[1]), posts)
    assert [c.id for c in found] == [1]
    assert "at 50 % of its width" in found[0].matched[-2] or "at 50 % of its width" in found[0].matched[-1]


def test_screenshots_of_an_unlogged_picture_report_nothing(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    unlogged = picture(77, (900, 900))
    for query in (desktop(unlogged, 0.3)[0], phone(unlogged), collage(unlogged)):
        assert best_for(index, query, posts) == []


def test_proposals_include_the_rectangle_the_post_is_shown_in(posts: dict[int, Image.Image]) -> None:
    page, (x0, y0, x1, y1) = desktop(posts[2], 0.3)
    truth = (x0 / 1600, y0 / 900, x1 / 1600, y1 / 900)
    boxes = screenshots.propose(page)
    assert any(max(abs(a - b) for a, b in zip(box, truth, strict=True)) < 0.01 for box in boxes)
    # A plain picture has no inner rectangle worth a look; a blank one has none at all.
    assert screenshots.propose(Image.new("RGB", (640, 480), "white")) == []


def test_the_pixel_check_drops_a_chance_agreement_and_confirms_a_real_one(posts: dict[int, Image.Image]) -> None:
    page, (x0, y0, x1, y1) = desktop(posts[1], 0.4)
    box = (x0 / 1600, y0 / 900, x1 / 1600, y1 / 900)
    region = RegionMatch(image_box=(0.0, 0.0, 1.0, 1.0), query_box=box, distance=8.0)
    candidate = Candidate(id=1, score=0.6, kind="region", phash_distance=30, dhash_distance=30, region=region)
    confirmed = verify.check([candidate], page, posts.get)
    assert len(confirmed) == 1 and confirmed[0].pixel_check is not None and confirmed[0].pixel_check > 0.9
    # The same claim about a different stored picture is dropped; a picture that cannot be read keeps the hashes' word.
    assert verify.check([candidate], page, lambda _: posts[2]) == []
    assert verify.check([candidate], page, lambda _: None) == [candidate]


def test_the_answer_says_why_and_how_sure(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    from tracker.matching.search import MatchResult

    page, _ = desktop(posts[3], 0.3)
    c = best_for(index, page, posts)[0]
    answer = MatchResult(c, 3, "0" * 64, "post.png", None, False, []).to_dict()
    assert c.region is not None and answer["reason"] == c.region.describe()
    assert answer["reason"].startswith("the post is shown inside the picture at ")
    assert 27 <= int(answer["reason"].split(" at ")[1].split(" %")[0]) <= 33
    assert answer["confidence"] in ("certain", "high") and answer["pixel_check"] > 0.75
    assert any("pixels agree" in line for line in answer["matched"])


@pytest.mark.db
def test_tracker_match_finds_a_logged_post_in_a_screenshot_and_checks_its_archived_pixels(
    tracker: Tracker, tmp_path: Path, posts: dict[int, Image.Image]
) -> None:
    posted = tmp_path / "post.png"
    posts[3].save(posted)
    tracker("log", posted, "--url", "https://www.pixiv.net/artworks/200000001", "--persona", "moth")
    shot = tmp_path / "screenshot.png"
    desktop(posts[3], 0.3, dark=True)[0].save(shot)
    results = tracker.json("match", str(shot))
    assert [r["original_name"] for r in results] == ["post.png"]
    best = results[0]
    assert best["kind"] == "region" and best["reason"].startswith("the post is shown inside the picture at ")
    assert best["pixel_check"] > 0.75 and best["confidence"] in ("certain", "high")
    out = tracker("match", shot).stdout
    assert "the post is shown inside the picture at" in out and "pixels agree" in out

    unlogged = tmp_path / "unlogged.png"
    desktop(picture(77, (900, 900)), 0.3)[0].save(unlogged)
    assert tracker.json("match", str(unlogged)) == []


def test_every_post_of_a_grid_of_six_is_checked_against_its_pixels() -> None:
    pictures = {seed: picture(seed, (480, 600)) for seed in range(20, 26)}
    index = MatchIndex(StoredHashes.from_rows([(i, image_hashes(p)) for i, p in pictures.items()]))
    grid = Image.new("RGB", (1500, 1260), (240, 240, 240))
    for k, shown in enumerate(pictures.values()):
        grid.paste(shown.resize((400, 500)), (60 + 480 * (k % 3), 60 + 600 * (k // 3)))
    found = best_for(index, grid, pictures)
    assert sorted(c.id for c in found) == sorted(pictures), "each picture of the grid is a post"
    assert all(c.pixel_check is not None and c.pixel_check > 0.75 for c in found), "each one's pixels compared"


def test_a_region_match_whose_pixels_were_not_compared_is_not_certain() -> None:
    region = RegionMatch(image_box=(0.0, 0.0, 1.0, 1.0), query_box=(0.1, 0.1, 0.5, 0.5), distance=2.0)
    unchecked = Candidate(id=1, score=0.93, kind="region", phash_distance=30, dhash_distance=30, region=region)
    assert unchecked.confidence == "high"
    assert any("pixels not compared" in line for line in unchecked.matched)
    assert replace(unchecked, pixel_check=0.97).confidence == "certain"
    whole = Candidate(id=1, score=0.93, kind="whole", phash_distance=2, dhash_distance=3)
    assert whole.confidence == "certain", "a whole-image match needs no pixel check to be sure"


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "files"
DARK_EDGED = CORPUS / "comfyanonymous__ComfyUI_examples" / "flux__flux_dev_example.png"
OTHER_POST = CORPUS / "comfyanonymous__ComfyUI_examples" / "flux__girl_in_field.png"


@pytest.mark.skipif(not DARK_EDGED.is_file(), reason="needs ../shared/corpus (real images) beside the repository")
def test_a_dark_edged_post_on_a_dark_page_is_confirmed_by_its_pixels() -> None:
    """A reviewer's dark-mode screenshot: a real post whose dark edges step only a few levels from the page. Its
    border is found (faint steps between dark colours count) and the post's pixels confirm it where it is shown."""
    with Image.open(DARK_EDGED) as opened:
        post = opened.convert("RGB")
    with Image.open(OTHER_POST) as opened:
        other = opened.convert("RGB")
    page = Image.new("RGB", (1920, 1080), (24, 24, 27))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1920, 80), fill=(45, 45, 50))
    draw.rounded_rectangle((200, 45, 1620, 72), radius=10, fill=(24, 24, 27))
    draw.text((220, 48), "https://www.example-gallery.net/artworks/123456", font=ImageFont.load_default(size=16))
    draw.rectangle((0, 80, 260, 1080), fill=(45, 45, 50))
    text_lines(draw, (20, 100, 260, 580), (230, 230, 230))
    text_lines(draw, (1488, 120, 1788, 480), (230, 230, 230))
    page.paste(post.resize((818, 818), Image.Resampling.LANCZOS), (650, 117))
    posts = {20: post, 1: other}
    index = MatchIndex(StoredHashes.from_rows([(i, image_hashes(p)) for i, p in posts.items()]))
    found = best_for(index, page, posts)
    assert [c.id for c in found] == [20]
    c = found[0]
    assert c.region is not None and c.region.describe().startswith("the post is shown inside the picture at 4")
    assert abs(c.region.query_box[0] - 650 / 1920) < 0.01 and abs(c.region.query_box[2] - 1468 / 1920) < 0.01
    assert c.pixel_check is not None and c.pixel_check >= verify.CONFIRMED
    assert any(line.startswith("pixels agree") or "pixels match" in line for line in c.matched), c.matched
    alone = {1: other}
    assert best_for(MatchIndex(StoredHashes.from_rows([(1, image_hashes(other))])), page, alone) == []


def whitened(post: Image.Image, margin: float = 0.12) -> Image.Image:
    """The post with its outer `margin` fading to white: against a white gutter its edges make no step."""
    w, h = post.size
    ys, xs = np.mgrid[0:h, 0:w]
    inner = np.minimum.reduce([xs, w - 1 - xs, ys, h - 1 - ys]) / (margin * min(w, h))
    alpha = np.clip(inner, 0.0, 1.0)[..., None]
    mixed = np.asarray(post, dtype=np.float64) * alpha + 255.0 * (1 - alpha)
    return Image.fromarray(mixed.round().astype(np.uint8), "RGB")


def test_a_white_edged_post_in_a_white_gutter_collage_is_found() -> None:
    """A 3x2 collage with thin white gutters; the post's edges fade to white, so no rectangle bounds it, but
    the other five cells make the grid, and its cell is hashed with them."""
    post = whitened(picture(11, (800, 800)), 0.25)
    others = [picture(seed, (800, 800)) for seed in range(12, 17)]
    cell, gutter = 400, 3
    canvas = Image.new("RGB", (3 * cell + 4 * gutter, 2 * cell + 3 * gutter), "white")
    for k, shown in enumerate([post, *others]):
        canvas.paste(
            shown.resize((cell, cell)), (gutter + (k % 3) * (cell + gutter), gutter + (k // 3) * (cell + gutter))
        )
    posts = {11: post}
    found = best_for(MatchIndex(StoredHashes.from_rows([(11, image_hashes(post))])), canvas, posts)
    assert [c.id for c in found] == [11]
    unlogged = {20: picture(20, (800, 800))}
    assert best_for(MatchIndex(StoredHashes.from_rows([(20, image_hashes(unlogged[20]))])), canvas, unlogged) == []


def test_a_proposal_the_pixels_did_not_confirm_says_they_were_compared(posts: dict[int, Image.Image]) -> None:
    """Below the score, a whole-post proposal whose archived picture was read and compared, without confirming it,
    never claims its pixels were not compared; one whose picture cannot be read still says so."""
    page, (x0, y0, x1, y1) = desktop(posts[1], 0.4)
    box = (x0 / 1600, y0 / 900, x1 / 1600, y1 / 900)
    region = RegionMatch(image_box=(0.0, 0.0, 1.0, 1.0), query_box=box, distance=12.0)
    proposal = Candidate(id=1, score=0.4, kind="region", phash_distance=30, dhash_distance=30, region=region)
    (other,) = verify.check([proposal], page, lambda _: posts[2])  # not this post: compared, not confirmed
    assert other.pixel_check is None and other.score == proposal.score
    assert "pixels compared, not confirmed: the hashes' word alone" in other.matched
    assert not any("not compared" in line for line in other.matched)
    (unread,) = verify.check([proposal], page, lambda _: None)
    assert "pixels not compared: the hashes' word alone" in unread.matched
    part = RegionMatch(image_box=(0.0, 0.0, 0.5, 0.5), query_box=(0.5, 0.5, 1.0, 1.0), distance=10.0, proposal=True)
    corner = Candidate(id=1, score=0.4, kind="region", phash_distance=30, dhash_distance=30, region=part)
    (kept,) = verify.check([corner], picture(5, (400, 400)), lambda _: picture(6, (400, 400)))
    assert "pixels not compared: the hashes' word alone" in kept.matched, "a part in a part: nothing was compared"


def _centre_square(picture_: Image.Image) -> Image.Image:
    side = min(picture_.size)
    left, top = (picture_.width - side) // 2, (picture_.height - side) // 2
    return picture_.crop((left, top, left + side, top + side))


@pytest.mark.parametrize("tile", [300, 420])
def test_posts_shown_as_square_thumbnails_in_a_profile_grid_are_found(tile: int) -> None:
    """A profile grid or a phone feed shows a post that is not square as its centre square: neither the post's
    whole picture nor a stored region, yet the post (portrait 2:3 and 4:5, landscape 16:9) is found."""
    shapes = {40: (640, 960), 41: (768, 960), 42: (1280, 720)}
    pictures = {seed: picture(seed, size) for seed, size in shapes.items()}
    index = MatchIndex(StoredHashes.from_rows([(i, image_hashes(p)) for i, p in pictures.items()]))
    grid = Image.new("RGB", (1640, 900), (245, 245, 245))
    draw = ImageDraw.Draw(grid)
    draw.rectangle((0, 0, 1640, 70), fill=(230, 232, 236))
    text_lines(draw, (20, 90, 240, 880), (30, 30, 30))
    for k, shown in enumerate(pictures.values()):
        grid.paste(_centre_square(shown).resize((tile, tile)), (280 + (tile + 12) * k, 120))
    found = best_for(index, grid, pictures)
    assert sorted(c.id for c in found) == sorted(pictures), [(c.id, c.score) for c in found]
    unlogged = {seed: picture(seed, (640, 960)) for seed in (50, 51, 52)}
    other = Image.new("RGB", (1640, 900), (245, 245, 245))
    for k, shown in enumerate(unlogged.values()):
        other.paste(_centre_square(shown).resize((tile, tile)), (280 + (tile + 12) * k, 120))
    assert best_for(index, other, pictures) == [], "thumbnails of unlogged pictures match nothing"


def test_the_proposals_array_steps_give_the_same_values_as_the_plain_ones() -> None:
    """`_steps` combines channels one at a time and `propose` compares a box with every kept one at once (speed): the
    values are those of the per-pixel reduction and of `grids.iou` box by box, so the same rectangles are proposed."""
    from tracker.matching.grids import iou
    from tracker.matching.screenshots import EDGE_STEP, _ious, _steps

    rng = np.random.default_rng(5)
    before, after = (rng.integers(0, 256, size=(40, 50, 3)).astype(np.int16) for _ in range(2))
    step = np.abs(after - before).max(axis=2)
    brightest = np.maximum(before.max(axis=2), after.max(axis=2))
    darkest = np.minimum(before.min(axis=2), after.min(axis=2))
    faint = (step >= 5) & ((brightest < 80) | (darkest > 215))
    assert np.array_equal(_steps(before, after), (step >= EDGE_STEP) | faint)
    corners = np.sort(rng.random((200, 2, 2)), axis=1)
    boxes = [(float(x[0, 0]), float(x[0, 1]), float(x[1, 0]), float(x[1, 1])) for x in corners]
    box = boxes[0]
    assert _ious(box, np.asarray(boxes)).tolist() == [iou(box, b) for b in boxes]
