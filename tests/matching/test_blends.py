"""Two posts blended into one picture (a crossfade's middle frame): both are reported, the weaker one found in what is
left once the stronger is taken out. Every picture is drawn here (`fixtures.drawings`)."""

from __future__ import annotations

import io

import pytest
from fixtures.drawings import drawing
from PIL import Image

from tracker.matching import blends, hashing
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, MatchIndex, StoredHashes

SIZE = (1024, 768)


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    return {seed: drawing(seed, SIZE) for seed in range(1, 9)}


@pytest.fixture(scope="module")
def index(posts: dict[int, Image.Image]) -> MatchIndex:
    return MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in posts.items()]))


def crossfade(first: Image.Image, second: Image.Image, second_share: float) -> Image.Image:
    """The frame of a crossfade where `second` makes `second_share` of the picture, saved as JPEG."""
    buffer = io.BytesIO()
    Image.blend(first, second, second_share).save(buffer, format="JPEG", quality=88)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


@pytest.mark.parametrize(("weaker", "stronger"), [(1, 2), (3, 4), (7, 8)])
def test_a_45_55_crossfade_reports_both_posts(
    index: MatchIndex, posts: dict[int, Image.Image], weaker: int, stronger: int
) -> None:
    query = crossfade(posts[weaker], posts[stronger], 0.55)
    found = {c.id: c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE}
    assert set(found) == {weaker, stronger}, "only one of the two blended posts was reported"
    second = found[weaker]
    assert second.confidence in ("certain", "high")
    assert second.pixel_check is not None and second.pixel_check >= 0.9
    assert any(line.startswith(f"found blended with image #{stronger} (") for line in second.matched), second.matched


def test_a_crossfade_with_a_picture_not_logged_reports_only_the_logged_post(posts: dict[int, Image.Image]) -> None:
    logged = {k: p for k, p in posts.items() if k != 1}
    index = MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in logged.items()]))
    found = [c for c in rank_image(index, crossfade(posts[1], posts[2], 0.55), pixels=logged.get)]
    assert [c.id for c in found if c.score >= MATCH_SCORE] == [2]


def test_a_copy_found_surely_is_not_taken_apart(
    index: MatchIndex, posts: dict[int, Image.Image], monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object) -> float:
        raise AssertionError("a copy's pixels agree: nothing is left to search")

    monkeypatch.setattr(blends, "share", never)
    buffer = io.BytesIO()
    posts[5].resize((800, 600)).save(buffer, format="JPEG", quality=80)
    found = rank_image(index, Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"), pixels=posts.get)
    assert [c.id for c in found if c.score >= MATCH_SCORE] == [5]


def test_what_is_left_of_a_blend_is_the_other_picture(posts: dict[int, Image.Image]) -> None:
    blend = Image.blend(posts[1], posts[2], 0.55)
    part = blends.share(blend, posts[2])
    assert 0.45 <= part <= 0.65
    assert blends.share(posts[2], posts[2]) == pytest.approx(1.0, abs=0.01)  # a copy: nothing to take apart
    assert abs(blends.share(posts[1], posts[2])) < blends.LEAST_SHARE  # another picture altogether


@pytest.mark.parametrize(("first", "second"), [(2, 5), (1, 8), (7, 8)])
def test_a_half_and_half_crossfade_hashing_like_neither_post_reports_both(
    index: MatchIndex, posts: dict[int, Image.Image], first: int, second: int
) -> None:
    query = crossfade(posts[first], posts[second], 0.5)
    assert all(c.score < MATCH_SCORE for c in index.search(hashing.query_hashes(query), regions=False, min_score=0))
    found = {c.id: c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE}
    assert set(found) == {first, second}, "a crossfade whose posts both hash below the score reported nothing"
    for post, other in ((first, second), (second, first)):
        assert found[post].pixel_check is not None and found[post].pixel_check >= 0.9
        assert any(line.startswith(f"found blended with image #{other} (") for line in found[post].matched)


def test_a_crossfade_hashing_like_neither_post_with_one_not_logged_reports_no_other_post(
    posts: dict[int, Image.Image],
) -> None:
    logged = {k: p for k, p in posts.items() if k != 5}
    index = MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in logged.items()]))
    found = rank_image(index, crossfade(posts[2], posts[5], 0.5), pixels=logged.get)
    assert {c.id for c in found if c.score >= MATCH_SCORE} <= {2}


@pytest.mark.parametrize(("first", "second"), [(1, 3), (3, 6), (6, 7)])
def test_a_half_and_half_crossfade_whose_stronger_post_agrees_at_nine_tenths_reports_both(
    index: MatchIndex, posts: dict[int, Image.Image], first: int, second: int
) -> None:
    query = crossfade(posts[first], posts[second], 0.5)
    found = {c.id: c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE}
    assert set(found) == {first, second}, "half the picture agreed at 0.9 and was taken for a copy"
    assert sum(c.pixel_check is not None and c.pixel_check >= 0.9 for c in found.values()) == 2
