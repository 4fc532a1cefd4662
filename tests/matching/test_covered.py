"""A post shown whole but partly covered (a phone story's stickers and caption): its uncovered regions are found
where the post sits (`hashing.covered_windows`)."""

from __future__ import annotations

import io

import pytest
from fixtures.drawings import drawing
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

from tracker.matching import hashing
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, MatchIndex, StoredHashes

SIZE = (1024, 768)


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    return {seed: drawing(seed, SIZE) for seed in range(1, 6)}


@pytest.fixture(scope="module")
def index(posts: dict[int, Image.Image]) -> MatchIndex:
    return MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in posts.items()]))


def story(post: Image.Image) -> Image.Image:
    """A 1080x1920 story: the post blurred as the backdrop, the post across the width, two stickers and a caption
    over its upper half, saved as JPEG."""
    canvas = ImageOps.fit(post, (1080, 1920)).filter(ImageFilter.GaussianBlur(40))
    shown = post.resize((1080, round(post.height * 1080 / post.width)), Image.Resampling.LANCZOS)
    top = 600
    canvas.paste(shown, (0, top))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((80, top + 60, 420, top + 190), radius=40, fill="white")
    draw.ellipse((600, top + 150, 780, top + 330), fill=(240, 90, 20), outline="white", width=6)
    draw.text((300, top + 330), "velvet dream", font=ImageFont.load_default(90), fill="white", stroke_width=8)
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=80)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_post_under_stickers_in_a_story_is_found(index: MatchIndex, posts: dict[int, Image.Image], seed: int) -> None:
    found = [c for c in rank_image(index, story(posts[seed]), pixels=posts.get) if c.score >= MATCH_SCORE]
    assert [c.id for c in found] == [seed]
    assert found[0].region is not None and found[0].matched  # says which part, and why


def test_an_unlogged_post_under_stickers_matches_nothing(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    assert [c for c in rank_image(index, story(drawing(40, SIZE)), pixels=posts.get) if c.score >= MATCH_SCORE] == []
