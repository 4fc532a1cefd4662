"""A crop letterboxed onto a canvas of another shape: the picture inside the plain bars is searched too, and so is the
picture over a blurred enlargement of itself (a phone's story)."""

from __future__ import annotations

import io

import pytest
from fixtures.drawings import drawing
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

from tracker.matching import bars, hashing
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, MatchIndex, StoredHashes

SIZE = (1024, 768)


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    return {seed: drawing(seed, SIZE) for seed in range(1, 6)}


@pytest.fixture(scope="module")
def index(posts: dict[int, Image.Image]) -> MatchIndex:
    return MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in posts.items()]))


def letterboxed(post: Image.Image, cut: tuple[int, int, int, int], canvas: tuple[int, int], fill: str) -> Image.Image:
    """`post` cut to `cut` (pixels), fitted onto a `canvas`-sized picture of `fill`, saved as JPEG."""
    part = post.crop(cut)
    scale = min(canvas[0] / part.width, canvas[1] / part.height)
    part = part.resize((round(part.width * scale), round(part.height * scale)), Image.Resampling.LANCZOS)
    out = Image.new("RGB", canvas, fill)
    out.paste(part, ((canvas[0] - part.width) // 2, (canvas[1] - part.height) // 2))
    buffer = io.BytesIO()
    out.save(buffer, format="JPEG", quality=85)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def over_blur(post: Image.Image, cut: tuple[int, int, int, int], canvas: tuple[int, int]) -> Image.Image:
    """`post` cut to `cut` (pixels), fitted over a `canvas`-sized copy of itself enlarged and blurred, saved as JPEG."""
    part = post.crop(cut)
    out = ImageOps.fit(part, canvas).filter(ImageFilter.GaussianBlur(canvas[0] / 30))
    scale = min(canvas[0] / part.width, canvas[1] / part.height)
    part = part.resize((round(part.width * scale), round(part.height * scale)), Image.Resampling.LANCZOS)
    out.paste(part, ((canvas[0] - part.width) // 2, (canvas[1] - part.height) // 2))
    buffer = io.BytesIO()
    out.save(buffer, format="JPEG", quality=85)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def test_the_picture_inside_plain_bars_is_found() -> None:
    post = drawing(7, SIZE)
    assert bars.content_box(post) is None  # no bars: nothing to trim
    box = bars.content_box(letterboxed(post, (0, 0, 700, 768), (1080, 1080), "black"))
    assert box is not None
    assert box[1] == 0.0 and box[3] == 1.0  # bars left and right only
    assert box[0] == pytest.approx((1080 - 700 * 1080 / 768) / 2 / 1080, abs=0.01)
    # A bar on one side only is a picture's own plain edge, not a letterbox.
    one_side = Image.new("RGB", (1200, 768), "white")
    one_side.paste(post, (176, 0))
    assert bars.content_box(one_side) is None


@pytest.mark.parametrize(
    ("seed", "cut", "canvas", "fill"),
    [
        (1, (307, 0, 1024, 768), (1080, 1080), "black"),  # 30 % off the left, onto a square
        (4, (0, 230, 1024, 768), (1280, 720), "white"),  # 30 % off the top, onto 16:9
        (1, (0, 0, 717, 768), (720, 1280), "black"),  # 30 % off the right, onto a phone's 9:16
        (5, (0, 0, 1024, 538), (720, 1280), "white"),  # 30 % off the bottom, onto 9:16: a fifth of its height
    ],
)
def test_a_crop_letterboxed_onto_another_shape_is_found_and_says_how(
    index: MatchIndex,
    posts: dict[int, Image.Image],
    seed: int,
    cut: tuple[int, int, int, int],
    canvas: tuple[int, int],
    fill: str,
) -> None:
    query = letterboxed(posts[seed], cut, canvas, fill)
    found = [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE]
    assert [c.id for c in found] == [seed]
    best = found[0]
    assert best.confidence in ("certain", "high")
    assert any(line.startswith("found in the picture inside its plain bars") for line in best.matched)
    # The matched part is placed in the picture as given: inside the bars, not on them.
    inside = bars.content_box(query)
    assert best.region is not None and inside is not None
    qx0, qy0, qx1, qy1 = best.region.query_box
    assert qx0 >= inside[0] - 0.01 and qx1 <= inside[2] + 0.01 and qy0 >= inside[1] - 0.01 and qy1 <= inside[3] + 0.01


def test_an_unlogged_picture_in_bars_matches_nothing(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    query = letterboxed(drawing(40, SIZE), (307, 0, 1024, 768), (1080, 1080), "black")
    assert [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE] == []


def test_the_picture_between_blurred_bars_is_told_from_its_own_smooth_edge() -> None:
    post = drawing(7, SIZE)
    assert bars.blurred_box(post) is None  # a drawing: sharp to its edges
    query = over_blur(post, (0, 0, 717, 768), (720, 1280))
    assert bars.content_box(query) is None, "no plain bars: the blurred copy fills them"
    box = bars.blurred_box(query)
    assert box is not None and box[0] == 0.0 and box[2] == 1.0  # bars above and below only
    assert box[1] == pytest.approx((1280 - 768 * 720 / 717) / 2 / 1280, abs=0.02)
    # Blurred on one side only is a picture's own soft edge (a sky, a wall), not bars.
    one_side = Image.new("RGB", (1024, 1400))
    one_side.paste(post.resize((1024, 632)).filter(ImageFilter.GaussianBlur(40)), (0, 0))
    one_side.paste(post, (0, 632))
    assert bars.blurred_box(one_side) is None


@pytest.mark.parametrize(
    ("seed", "cut"),
    [
        (1, (0, 0, 717, 768)),  # 30 % off the right, over a 9:16 blur of itself
        (5, (0, 0, 1024, 538)),  # 30 % off the bottom: a third of the height
        (4, (307, 0, 1024, 768)),  # 30 % off the left
        (2, (0, 230, 1024, 768)),  # 30 % off the top
    ],
)
def test_a_crop_over_a_blurred_enlargement_of_itself_is_found_and_says_how(
    index: MatchIndex, posts: dict[int, Image.Image], seed: int, cut: tuple[int, int, int, int]
) -> None:
    query = over_blur(posts[seed], cut, (720, 1280))
    found = [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE]
    assert [c.id for c in found] == [seed]
    assert found[0].confidence in ("certain", "high")
    assert any(line.startswith("found in the picture inside its blurred bars") for line in found[0].matched)


def test_an_unlogged_picture_over_a_blur_of_itself_matches_nothing(
    index: MatchIndex, posts: dict[int, Image.Image]
) -> None:
    query = over_blur(drawing(40, SIZE), (0, 0, 717, 768), (720, 1280))
    assert bars.blurred_box(query) is not None
    assert [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE] == []


def story(post: Image.Image, canvas: tuple[int, int], across: float = 0.9) -> Image.Image:
    """`post` across `across` of a phone story's width over a blurred enlargement of itself, with what a story draws
    over it: progress bars and a user name at the top, a sticker and a line of big outlined text reaching past the
    picture's left edge into the blurred bar; saved as JPEG."""
    out = ImageOps.fit(post, canvas).filter(ImageFilter.GaussianBlur(canvas[0] / 25))
    width = round(canvas[0] * across)
    part = post.resize((width, round(post.height * width / post.width)), Image.Resampling.LANCZOS)
    left, top = (canvas[0] - part.width) // 2, round((canvas[1] - part.height) * 0.45)
    out.paste(part, (left, top))
    draw = ImageDraw.Draw(out)
    for k in range(3):  # progress bars, then the user name
        draw.rounded_rectangle((20 + k * 227, 14, 10 + (k + 1) * 227, 19), 2, fill=(235, 235, 235))
    draw.text((60, 34), "someone", font=ImageFont.load_default(24), fill=(255, 255, 255))
    draw.ellipse((left - 40, top + 300, left + 60, top + 400), fill=(160, 40, 200), outline=(255, 255, 255), width=4)
    font = ImageFont.load_default(56)
    draw.text((12, top + 120), "neon garden", font=font, fill=(255, 255, 255), stroke_width=5, stroke_fill=0)
    buffer = io.BytesIO()
    out.save(buffer, format="JPEG", quality=85)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def dark_post(seed: int) -> Image.Image:
    """A drawing on a wide dark plain margin: its edges vanish against a blurred enlargement of itself."""
    post = Image.new("RGB", (600, 800), (28, 44, 36))
    post.paste(drawing(seed, (420, 560)), (90, 120))
    return post


def test_a_story_with_a_sticker_and_text_over_its_blurred_bar_is_found() -> None:
    """A sticker and a line of text reaching into the blurred bar beside the picture, the progress bars and the user
    name above it: the picture between the bars is still found (a dark post in a story was missed so), and a picture
    not logged is not."""
    posts = {seed: dark_post(seed) for seed in (3, 4)}
    index = MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in posts.items()]))
    query = story(posts[3], (720, 1280))
    box = bars.blurred_box(query)
    assert box is not None, "the sticker, the text or the header hid the blurred bars"
    assert 0.03 < box[0] < 0.1 and 0.9 < box[2] < 0.97  # left and right of the picture
    assert 0.14 < box[1] < 0.3 and 0.7 < box[3] < 0.83  # above and below it, the header left out
    found = [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE]
    assert [c.id for c in found] == [3]
    assert found[0].confidence in ("certain", "high")
    unlogged = story(dark_post(40), (720, 1280))
    assert bars.blurred_box(unlogged) is not None
    assert [c for c in rank_image(index, unlogged, pixels=posts.get) if c.score >= MATCH_SCORE] == []


def ground_post(seed: int) -> Image.Image:
    """A drawing over a plain pale band (a ground): its bottom edge is smooth."""
    post = Image.new("RGB", (1024, 768), (200, 220, 235))
    post.paste(drawing(seed, (1024, 640)), (0, 0))
    return post


def test_a_story_across_the_whole_width_is_found() -> None:
    """A story's picture across all of the phone's width has blurred bars above and below it only, and a picture whose
    bottom is a plain band seems to end higher: the picture is still searched between the bars, from where it was
    pasted (its pixels agree only so), and found; a picture not logged is not."""
    posts = {seed: ground_post(seed) for seed in (3, 4)}
    index = MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in posts.items()]))
    query = story(posts[4], (720, 1280), across=1.0)
    box = bars.blurred_box(query)
    assert box is not None, "no bars beside the picture: none were looked for above and below"
    top = (1280 - 540) * 0.45 / 1280  # the picture is 540 pixels high, placed 45 % of the way down
    assert box[0] == 0.0 and box[2] == 1.0
    assert box[1] == pytest.approx(top, abs=0.01) and box[3] == pytest.approx(top + 540 / 1280, abs=0.01)
    found = [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE]
    assert [c.id for c in found] == [4]
    unlogged = story(ground_post(40), (720, 1280), across=1.0)
    assert [c for c in rank_image(index, unlogged, pixels=posts.get) if c.score >= MATCH_SCORE] == []
    # A landscape picture with blurred bands above and below is no phone story: nothing is trimmed.
    assert bars.blurred_box(query.resize((1280, 1000))) is None
