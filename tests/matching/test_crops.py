"""Off-centre crops: a part of a post, any aspect ratio, found and checked over the whole picture (issue 19)."""

from __future__ import annotations

import io

import pytest
from fixtures.drawings import drawing
from PIL import Image, ImageOps

from tracker.matching import crops, hashing, verify
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, Candidate, MatchIndex, RegionMatch, StoredHashes

SIZE = (768, 1024)


@pytest.fixture(scope="module")
def posts() -> dict[int, Image.Image]:
    return {seed: drawing(seed, SIZE) for seed in range(1, 7)}


@pytest.fixture(scope="module")
def index(posts: dict[int, Image.Image]) -> MatchIndex:
    return MatchIndex(StoredHashes.from_rows([(i, hashing.image_hashes(p)) for i, p in posts.items()]))


def cut(image: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
    w, h = image.size
    return image.crop((round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h)))


def as_jpeg(image: Image.Image, quality: int = 70) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


CROPS = {
    "wide strip, off centre": (0.05, 0.38, 0.95, 0.83),  # 41 % of the area, aspect ratio 2.6x the post's
    "tall strip at the edge": (0.55, 0.05, 1.0, 0.95),  # 41 %, aspect ratio 2x the other way
    "corner": (0.3, 0.0, 1.0, 0.62),  # 43 %
    "two thirds, lower left": (0.0, 0.3, 0.8, 0.95),  # 52 %
}


def queries(posts: dict[int, Image.Image]) -> list[tuple[int, tuple[float, ...], Image.Image]]:
    """Every crop of posts 4-6, as cut and shrunk to 60 % then saved as JPEG."""
    out = []
    for seed in (4, 5, 6):
        for box in CROPS.values():
            part = cut(posts[seed], box)
            small = part.resize((round(part.width * 0.6), round(part.height * 0.6)), Image.Resampling.LANCZOS)
            out += [(seed, box, part), (seed, box, as_jpeg(small))]
    return out


def test_off_centre_crops_changing_the_aspect_ratio_are_found_and_checked(
    index: MatchIndex, posts: dict[int, Image.Image]
) -> None:
    found_right = 0
    for seed, box, query in queries(posts):
        found = [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE]
        assert [c.id for c in found] in ([], [seed])  # never another post
        if not found:
            continue
        found_right += 1
        best = found[0]
        assert best.kind == "region" and "crop" in best.evidence
        assert best.pixel_check is not None and best.pixel_check >= crops.CONFIRMED
        # The answer says which part of the post the picture is, and that every part of it was compared.
        assert best.region is not None and best.region.describe().startswith("the picture is a part of the post")
        x0, y0, x1, y1 = best.region.image_box
        assert (x1 - x0) * (y1 - y0) == pytest.approx((box[2] - box[0]) * (box[3] - box[1]), rel=0.15)
        assert any("every part of the picture" in line for line in best.matched)
    # Crops keeping 41-52 % of the area with the aspect ratio changed up to 2.6x: 19 of these 24 today.
    assert found_right >= 18


def test_small_windows_alone_never_make_a_match_without_the_pixels(
    index: MatchIndex, posts: dict[int, Image.Image]
) -> None:
    """A narrow crop is found through small or stretched windows only: a proposal until its pixels are checked."""
    query = cut(posts[6], CROPS["wide strip, off centre"])
    hashes_only = index.search(hashing.query_hashes(query), min_score=0.0)
    mine = [c for c in hashes_only if c.id == 6]
    assert mine and mine[0].score < MATCH_SCORE and mine[0].region is not None and mine[0].region.proposal
    assert [c.id for c in rank_image(index, query, pixels=posts.get)] == [6]
    # When the archived picture cannot be read, the proposal stays below the match score.
    assert 6 not in [c.id for c in rank_image(index, query, pixels=lambda _: None)]


def test_a_crop_of_an_unlogged_picture_is_never_reported(index: MatchIndex) -> None:
    for seed in (40, 41, 42):
        other = drawing(seed, SIZE)
        for box in CROPS.values():
            assert rank_image(index, cut(other, box), pixels=lambda i: drawing(i, SIZE)) == []


def test_mirrored_off_centre_crops_are_found_by_their_mirrored_pixels(
    index: MatchIndex, posts: dict[int, Image.Image]
) -> None:
    found_right = 0
    for seed in (4, 5, 6):
        for x0, y0, x1, y1 in CROPS.values():
            query = cut(ImageOps.mirror(posts[seed]), (x0, y0, x1, y1))
            found = rank_image(index, query, pixels=posts.get)
            assert [c.id for c in found] in ([], [seed])  # never another post
            if not found:
                continue
            found_right += 1
            best = found[0]
            assert best.kind == "region" and best.region is not None and best.region.mirrored
            assert "crop" in best.evidence and best.confidence == "certain"
            assert best.region.describe().startswith("the picture is a part of the post, mirrored (")
            # The part of the post itself: the cut's box flipped back.
            place = best.region.image_box
            assert all(abs(a - b) <= 0.05 for a, b in zip(place, (1 - x1, y0, 1 - x0, y1), strict=True)), place
    assert found_right >= 10  # of 12
    # Hashes alone (the archived picture unreadable): a mirrored proposal is never reported.
    query = cut(ImageOps.mirror(posts[6]), CROPS["wide strip, off centre"])
    assert rank_image(index, query, pixels=lambda _: None) == []
    for seed in (40, 41, 42):
        other = ImageOps.mirror(drawing(seed, SIZE))
        for box in CROPS.values():
            assert rank_image(index, cut(other, box), pixels=lambda i: drawing(i, SIZE)) == []


def test_the_pixels_refute_a_crop_the_windows_claim(posts: dict[int, Image.Image]) -> None:
    """Two windows agreeing by chance: the rest of the picture disagrees, so the candidate is dropped."""
    query = cut(posts[2], (0.1, 0.1, 0.6, 0.9))
    region = RegionMatch(image_box=(0.2, 0.2, 0.6, 0.6), query_box=(0.2, 0.125, 1.0, 0.625), distance=6.0)
    claim = Candidate(id=3, score=0.49, kind="region", phash_distance=30, dhash_distance=30, region=region)
    assert verify.check([claim], query, posts.get) == []
    # The same claim about the post the picture really comes from is confirmed, and scores as a match.
    truth = Candidate(id=2, score=0.49, kind="region", phash_distance=30, dhash_distance=30, region=region)
    (confirmed,) = verify.check([truth], query, posts.get)
    assert confirmed.score >= MATCH_SCORE and confirmed.pixel_check is not None and confirmed.pixel_check > 0.9


def test_crop_frame_places_the_whole_query_in_the_post() -> None:
    # The query (400 x 400) is the post's (800 x 400) band x 0.125-0.625: its right half is the band's right half.
    region = RegionMatch(image_box=(0.375, 0.0, 0.625, 1.0), query_box=(0.5, 0.0, 1.0, 1.0), distance=3.0)
    frame = crops.crop_frame(region, query_size=(400, 400), stored_size=(800, 400))
    assert frame == pytest.approx((0.125, 0.0, 0.625, 1.0))
    # The post inside the query (a screenshot) is no crop; nor is a pair that would stretch the pixels.
    inside = RegionMatch(image_box=(0.0, 0.0, 1.0, 1.0), query_box=(0.3, 0.3, 0.6, 0.6), distance=3.0)
    assert crops.crop_frame(inside, (1000, 1000), (500, 500)) is None
    assert crops.crop_frame(region, query_size=(400, 400), stored_size=(800, 800)) is None


def test_windows_that_agree_only_with_a_picture_squeezed_out_of_shape_are_dropped(
    posts: dict[int, Image.Image],
) -> None:
    """Two flat shapes look alike once one picture is squeezed to half its width: that is no reuse."""
    post = posts[3]
    region = RegionMatch(image_box=(0.0, 0.0, 0.5, 0.5), query_box=(0.0, 0.0, 0.5, 0.5), distance=5.0)
    claim = Candidate(id=3, score=0.75, kind="region", phash_distance=30, dhash_distance=30, region=region)
    squeezed = post.resize((post.width // 2, post.height))
    assert verify.check([claim], squeezed, posts.get) == []
    assert crops.in_shape(region, post.size, post.size) and not crops.in_shape(region, squeezed.size, post.size)
    # The same claim about the picture in its own shape is checked and kept.
    (kept,) = verify.check([claim], post, posts.get)
    assert kept.score >= MATCH_SCORE and kept.pixel_check is not None and kept.pixel_check > 0.9


CORNERS = {
    "top left, taller": (0.0, 0.0, 0.6, 0.75),
    "top right, wider": (0.25, 0.0, 1.0, 0.6),
    "bottom left, wider": (0.0, 0.4, 0.75, 1.0),
    "bottom right, taller": (0.4, 0.25, 1.0, 1.0),
}


def test_crops_flush_with_a_corner_are_confirmed_by_their_pixels(
    index: MatchIndex, posts: dict[int, Image.Image]
) -> None:
    """A crop at a corner of the post, its aspect ratio changed: the stretched window that finds it places
    the frame a few per cent outside the post; the pixels are still compared, and confirm it."""
    found_right = 0
    for seed in (1, 2, 3, 4, 5, 6):
        for box in CORNERS.values():
            found = [c for c in rank_image(index, cut(posts[seed], box), pixels=posts.get) if c.score >= MATCH_SCORE]
            assert [c.id for c in found] in ([], [seed])  # never another post
            found_right += bool(found)
    assert found_right >= 23  # of 24


def test_a_corner_claim_about_another_post_is_not_confirmed(posts: dict[int, Image.Image]) -> None:
    """The loose frame (past the post's edge) can only confirm: a wrong post stays below the match score."""
    query = cut(posts[2], CORNERS["top left, taller"])
    region = RegionMatch(image_box=(0.2, 0.4, 0.6, 0.8), query_box=(0.34, 0.57, 1.0, 1.0), distance=6.0)
    assert crops.crop_frame(region, query.size, SIZE) is None, "outside the post by more than OUTSIDE"
    for post in (3, 4, 5):
        claim = Candidate(id=post, score=0.49, kind="region", phash_distance=30, dhash_distance=30, region=region)
        assert all(c.score < MATCH_SCORE for c in verify.check([claim], query, posts.get))
    truth = Candidate(id=2, score=0.49, kind="region", phash_distance=30, dhash_distance=30, region=region)
    (confirmed,) = verify.check([truth], query, posts.get)
    assert confirmed.score >= MATCH_SCORE and confirmed.pixel_check is not None and confirmed.pixel_check > 0.9
