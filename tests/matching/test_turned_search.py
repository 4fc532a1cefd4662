"""A tilted picture that the search as given misses is searched again turned back a few degrees (`tilted`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from fixtures.drawings import drawing
from PIL import Image

from tracker.matching import hashing, rank, tilted
from tracker.matching.rank import rank_image
from tracker.matching.similarity import Candidate, MatchIndex, RegionMatch, StoredHashes

SIZE = (480, 360)


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    return {seed: drawing(seed, SIZE) for seed in range(1, 7)}


@pytest.fixture(scope="module")
def index(posts: dict[int, Image.Image]) -> MatchIndex:
    return MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in posts.items()]))


def tilted_copy(image: Image.Image, degrees: float, fill: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    return image.rotate(degrees, Image.Resampling.BICUBIC, expand=True, fillcolor=fill)


def test_a_post_tilted_three_degrees_is_found_only_turned_back(
    index: MatchIndex, posts: dict[int, Image.Image], monkeypatch: pytest.MonkeyPatch
) -> None:
    query = tilted_copy(posts[3], 3.0)
    with monkeypatch.context() as patched:
        patched.setattr(tilted, "WHOLE_TURNS", ())
        patched.setattr(tilted, "REGION_TURNS", ())
        assert rank_image(index, query, pixels=posts.get) == []  # as given, the post is missed
    found = rank_image(index, query, pixels=posts.get)
    assert [c.id for c in found] == [3]
    best = found[0]
    assert best.confidence == "certain"
    assert best.pixel_check is not None and best.pixel_check >= 0.9
    assert best.reason.endswith("(found with the picture turned 3° clockwise)")
    assert sum("turned 3° clockwise" in line for line in best.matched) == 1  # said once in `tracker match`'s lines


def test_a_post_tilted_clockwise_is_found_turned_anticlockwise(
    index: MatchIndex, posts: dict[int, Image.Image], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post tilted the other way (clockwise 4 degrees, on black), missed as given, is found turned anticlockwise."""
    query = tilted_copy(posts[6], -4.0, (0, 0, 0))
    with monkeypatch.context() as patched:
        patched.setattr(tilted, "WHOLE_TURNS", ())
        patched.setattr(tilted, "REGION_TURNS", ())
        assert rank_image(index, query, pixels=posts.get) == []
    found = rank_image(index, query, pixels=posts.get)
    assert [(c.id, c.confidence) for c in found] == [(6, "certain")]
    assert "found with the picture turned 4° anticlockwise" in found[0].reason


def test_a_post_inside_a_page_tilted_is_placed_where_it_is_shown(
    index: MatchIndex, posts: dict[int, Image.Image]
) -> None:
    """The region search of the turned picture finds a tilted post pasted in a page, placed in the page as given."""
    page = Image.new("RGB", (1000, 760), (250, 250, 250))
    page.paste(tilted_copy(posts[6], 3.0, (250, 250, 250)), (420, 300))
    found = rank_image(index, page, pixels=posts.get)
    assert [c.id for c in found][:1] == [6]
    assert "found with the picture turned 2.5° clockwise" in found[0].reason
    assert found[0].region is not None
    x0, y0, x1, y1 = found[0].region.query_box
    assert (0.38 < x0 < 0.46, 0.35 < y0 < 0.43, x1 > 0.85, y1 > 0.85) == (True, True, True, True)


def test_an_unlogged_picture_tilted_is_never_reported(index: MatchIndex, posts: dict[int, Image.Image]) -> None:
    """A picture never logged, tilted, is searched again at every angle: the pixels still say it is no post."""
    assert rank_image(index, tilted_copy(drawing(11, SIZE), 3.0, (0, 0, 0)), pixels=posts.get) == []


def test_a_picture_found_as_given_is_not_turned(
    index: MatchIndex, posts: dict[int, Image.Image], monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object) -> None:
        raise AssertionError("the picture was searched turned")

    monkeypatch.setattr(tilted, "turned_matches", never)
    assert [c.id for c in rank_image(index, posts[2].resize((400, 300)), pixels=posts.get)] == [2]


def test_without_archived_pictures_no_turn_is_tried(
    index: MatchIndex, posts: dict[int, Image.Image], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pixels decide a turned match: with nothing to compare (no `pixels`), the turns are not searched."""

    def never(*args: object) -> None:
        raise AssertionError("the picture was searched turned")

    monkeypatch.setattr(tilted, "turned_matches", never)
    rank_image(index, tilted_copy(posts[3], 3.0))


def test_a_turned_region_search_leaves_out_the_windows_guessed_in_square_tiles(
    index: MatchIndex, posts: dict[int, Image.Image], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture that matches nothing is searched turned by its regions without the windows guessed inside square
    tiles (two thirds of its windows and of that search's time), and still matches nothing; the search as given
    keeps them."""
    searched: list[tuple[bool, int]] = []
    real = MatchIndex.search

    def spy(self: MatchIndex, query: hashing.QueryHashes, *args: object, **kwargs: object) -> list[object]:
        guessed = 0 if query.guessed is None else int(query.guessed.sum())
        searched.append((bool(kwargs.get("regions", True)), guessed))
        return real(self, query, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MatchIndex, "search", spy)
    page = Image.new("RGB", (1000, 760), (250, 250, 250))
    page.paste(drawing(12, SIZE), (60, 80))
    page.paste(drawing(13, SIZE), (520, 340))
    assert rank_image(index, page, pixels=posts.get) == []
    with_regions = [guessed for regions, guessed in searched if regions]
    # As given, inside the page's plain margins (`bars`), its drawn part on the near-white page (`drawn`), mirrored,
    # turned 2.5 degrees each way.
    assert len(with_regions) == 6
    assert with_regions[0] > 0  # the search as given guesses where a post may sit in a tile
    assert with_regions[4:] == [0, 0]


def test_a_post_the_search_as_given_confirmed_is_not_said_found_turned(
    index: MatchIndex, posts: dict[int, Image.Image], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the search as given found a post with its pixels agreeing, but not surely (a grid's tile through a window
    a little off), and the turned search scores it higher, the answer is the upright one: no tilt is claimed that
    the picture does not have. A post the search as given did not confirm is still said found turned."""
    region = RegionMatch(image_box=(0.0, 0.0, 1.0, 1.0), query_box=(0.0, 0.4, 0.33, 0.6), distance=9.0)
    upright = Candidate(id=2, score=0.6, kind="region", phash_distance=30, dhash_distance=30, region=region)
    upright = replace(upright, pixel_check=0.8, evidence={"region": 0.6})
    turned = tilted.TurnedCandidate(**{**upright.__dict__, "score": 0.7, "pixel_check": 0.88}, turned=-2.5)
    monkeypatch.setattr(tilted, "turned_matches", lambda *args: [turned])
    monkeypatch.setattr(rank, "_ranked", lambda *args, **kwargs: [upright])
    monkeypatch.setattr(rank, "_mirrored_regions", lambda *args: [])
    (found,) = rank_image(index, posts[2], pixels=posts.get)
    assert found.score == 0.6 and not any("turned" in line for line in found.matched), found.matched
    monkeypatch.setattr(rank, "_ranked", lambda *args, **kwargs: [replace(upright, pixel_check=None)])
    (found,) = rank_image(index, posts[2], pixels=posts.get)
    assert found.score == 0.7 and "found with the picture turned 2.5° clockwise" in found.reason


def test_a_turned_region_search_hashes_no_window_guessed_in_square_tiles(
    index: MatchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture with square pictures in it that matches nothing guesses where a post may sit inside each square
    in the search as given, and not again in its turned searches, which do without those windows: they are not
    worked out and hashed only to be dropped (most of a turned search's hashing)."""
    turning: list[bool] = [False]
    guessed: dict[bool, int] = {False: 0, True: 0}
    real_turned, real_guesses = tilted.turned_matches, hashing.thumbnail_windows

    def turned_matches(*args: Any) -> list[Candidate]:
        turning[0] = True
        try:
            return real_turned(*args)
        finally:
            turning[0] = False

    def thumbnail_windows(*args: Any) -> list[tuple[float, float, float, float]]:
        windows = real_guesses(*args)
        guessed[turning[0]] += len(windows)
        return windows

    monkeypatch.setattr(tilted, "turned_matches", turned_matches)
    monkeypatch.setattr(hashing, "thumbnail_windows", thumbnail_windows)
    page = Image.new("RGB", (1000, 760), (250, 250, 250))
    page.paste(drawing(12, (300, 300)), (60, 80))
    page.paste(drawing(13, (300, 300)), (520, 340))
    assert rank_image(index, page, pixels={}.get) == []
    assert guessed[False] > 0  # as given, the squares' guesses are hashed and searched
    assert guessed[True] == 0
