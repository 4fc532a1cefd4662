"""A post tilted a few degrees (`rotate(expand=True)`): its windows' pixels disagree, its whole-picture hashes agree."""

from __future__ import annotations

import pytest
from fixtures.drawings import drawing
from PIL import Image

from tracker.matching import hashing
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, MatchIndex, StoredHashes

SIZE = (768, 1024)


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    return {seed: drawing(seed, SIZE) for seed in range(1, 7)}


@pytest.fixture(scope="module")
def index(posts: dict[int, Image.Image]) -> MatchIndex:
    return MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in posts.items()]))


def tilted(image: Image.Image, degrees: float, fill: tuple[int, int, int]) -> Image.Image:
    return image.rotate(degrees, Image.Resampling.BICUBIC, expand=True, fillcolor=fill)


def test_a_post_tilted_two_degrees_is_found(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    """A region match its pixels refute no longer takes the post's whole-picture match with it."""
    missed = []
    for seed in (1, 2, 3, 5, 6):  # (4: its whole hashes too are past the threshold tilted)
        for fill in ((0, 0, 0), (255, 255, 255)):
            found = [c for c in rank_image(index, tilted(posts[seed], 2.0, fill), pixels=posts.get)]
            if [c.id for c in found if c.score >= MATCH_SCORE][:1] != [seed]:
                missed.append((seed, fill, [(c.id, c.score, c.kind) for c in found]))
    assert missed == []


def test_an_unlogged_picture_tilted_is_never_reported(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    for seed in (11, 12, 13):
        assert rank_image(index, tilted(drawing(seed, SIZE), 2.0, (0, 0, 0)), pixels=posts.get) == []
