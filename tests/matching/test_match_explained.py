"""What `tracker match` says about each match: why in words, what the pixels said, and how sure it is.

A timeline that shows only the middle 4:5 of a tall post is said to show a part of it (and the pixels of
that part confirm it); a whole match says it is the same picture and carries its pixel check; a score
below the reporting floor is "unlikely", never "possible".
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from PIL import Image, ImageDraw, ImageOps

from tracker.matching.similarity import Candidate, RegionMatch

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/300000001"


@pytest.fixture
def tall_post(tracker: Tracker, tmp_path: Path) -> Path:
    """A 2:3 portrait post logged for persona moth (image id 1)."""
    path = tmp_path / "tall.png"
    drawing(7, (400, 600)).save(path)
    tracker("log", path, "--url", URL, "--persona", "moth")
    return path


def _timeline(post: Path, path: Path) -> Path:
    """A phone timeline (white page, lines of text) showing the post's middle 4:5 at 79 % of the screen's width."""
    screen = Image.new("RGB", (585, 1266), (255, 255, 255))
    draw = ImageDraw.Draw(screen)
    for y in range(120, 300, 30):
        draw.rectangle((90, y, 520, y + 12), fill=(30, 30, 30))
    width = 462
    shown = ImageOps.fit(Image.open(post).convert("RGB"), (width, round(width * 1.25)), centering=(0.5, 0.4))
    screen.paste(shown, (85, 330))
    draw.rectangle((84, 329, 85 + width, 330 + shown.height), outline=(200, 200, 200))
    for y in range(330 + shown.height + 40, 1200, 30):
        draw.rectangle((90, y, 500, y + 12), fill=(30, 30, 30))
    screen.save(path)
    return path


def test_a_timeline_showing_part_of_a_tall_post_says_which_part(
    tracker: Tracker, tall_post: Path, tmp_path: Path
) -> None:
    results = tracker.json("match", str(_timeline(tall_post, tmp_path / "timeline.png")))
    assert [r["image_id"] for r in results] == [1]
    best = results[0]
    assert best["kind"] == "region" and best["confidence"] == "certain", best
    assert best["pixel_check"] > 0.9, "the pixels shown are the post's own"
    assert best["reason"].startswith("part of the post is shown inside the picture at "), best["reason"]
    assert "% of the post's height, the rest cut off" in best["reason"]
    x0, y0, x1, y1 = best["region"]["post_box"]
    assert x1 - x0 > 0.95 and 0.75 < y1 - y0 < 0.92, "the middle of the post, its full width"
    out = tracker("match", str(tmp_path / "timeline.png")).stdout
    assert "post's whole picture" not in out and "partly agree" not in out


def test_a_whole_copy_says_it_is_the_same_picture_and_its_pixels_agree(
    tracker: Tracker, tall_post: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.jpg"
    Image.open(tall_post).convert("RGB").resize((200, 300)).save(copy, quality=80)
    best = tracker.json("match", str(copy))[0]
    assert best["kind"] == "whole" and best["confidence"] == "certain"
    assert (
        best["reason"] == "the whole picture matches: the same image, resized, re-encoded, recoloured or lightly edited"
    )
    assert best["pixel_check"] > 0.9
    out = tracker("match", str(copy)).stdout
    assert "matched: the whole picture matches: the same image" in out and "pixels of the whole picture agree" in out
    mirrored = tmp_path / "mirrored.png"
    ImageOps.mirror(Image.open(tall_post)).save(mirrored)
    best = tracker.json("match", str(mirrored))[0]
    assert best["kind"] == "flipped" and best["reason"].startswith("the whole picture matches mirrored")
    assert best["pixel_check"] > 0.9
    assert tracker.json("match", str(tall_post))[0]["reason"] == "the same file, byte for byte (its sha256)"


def test_pixels_that_only_partly_agree_are_never_high() -> None:
    alike = Candidate(id=1, score=0.75, kind="whole", phash_distance=8, dhash_distance=7, pixel_check=0.62)
    assert alike.confidence == "possible"
    assert alike.matched[0].startswith("the whole picture looks alike, but may not be the same")
    assert "the pixels of the whole picture only partly agree (correlation 0.62)" in alike.matched


def test_a_score_below_the_floor_is_unlikely(tracker: Tracker, tall_post: Path, tmp_path: Path) -> None:
    other = tmp_path / "turned.png"
    Image.open(tall_post).convert("RGB").rotate(10, fillcolor=(255, 255, 255)).save(other)
    out = tracker("match", str(other), "--min-score", "0").stdout
    found = re.findall(r"score (\d\.\d\d) \((\w+)\)", out)
    assert found and all(float(s) < 0.5 for s, _ in found), out
    assert {word for _, word in found} == {"unlikely"}, out


def test_a_region_below_the_floor_still_says_what_it_might_be() -> None:
    from tracker.matching.similarity import RegionMatch

    faint = Candidate(
        id=1,
        score=0.4,
        kind="region",
        phash_distance=20,
        dhash_distance=22,
        evidence={"region": 0.4},
        region=RegionMatch((0.0, 0.0, 1.0, 1.0), (0.15, 0.4, 0.93, 0.85), 12.0),
    )
    assert faint.confidence == "unlikely"
    assert faint.matched[0] == (
        f"region pHash+dHash 12/64, below the threshold (perhaps {faint.region.describe()})"  # type: ignore[union-attr]
    )


def test_a_region_covering_both_whole_pictures_says_whole_not_part() -> None:
    """A watermarked full copy the whole-image check turned down, found by its windows: never "a part"."""
    from tracker.matching.similarity import RegionMatch

    whole = RegionMatch((0.0, 0.0, 1.0, 1.0), (0.0, 0.01, 1.0, 0.99), 4.5)
    assert whole.describe() == (
        "the whole picture matches the whole post by its windows, not as closely as a copy: "
        "an edited copy, or another picture much like it"
    )
    assert "watermark" not in whole.describe()  # nothing saw one
    same_place = RegionMatch((0.5, 0.5, 1.0, 1.0), (0.49, 0.49, 1.0, 1.0), 5.5)
    assert same_place.describe().startswith("the same part of the picture and of the post matches, in the same place")
    elsewhere = RegionMatch((0.5, 0.5, 1.0, 1.0), (0.0, 0.0, 0.5, 0.5), 5.5)
    assert elsewhere.describe() == "a part of the picture matches a part of the post"


def test_a_crop_its_pixels_confirmed_says_what_part_of_the_post_it_is() -> None:
    """A crop found by its pixels from a region hash below the threshold (a stretched crop of 44 % of a post's
    width): no hashes' line says what the picture is, so the pixels' line says it, once."""
    region = RegionMatch((0.0, 0.0, 0.44, 1.0), (0.0, 0.0, 1.0, 1.0), 10.5)
    evidence = {"whole": 0.0, "flipped": 0.0, "region": 0.475, "crop": 0.99}
    crop = Candidate(id=2, score=0.99, kind="region", phash_distance=30, dhash_distance=29, region=region,
                     pixel_check=0.99, evidence=evidence)  # fmt: skip
    assert crop.matched == [
        "the picture is a part of the post (44 % of its area): "
        "every part of the picture matches the post's pixels there (correlation 0.99)"
    ]
    hashed = replace(crop, evidence={**evidence, "region": 0.8})  # the hashes' line says it already
    assert hashed.matched == [
        "region pHash+dHash 10.5/64: the picture is a part of the post (44 % of its area)",
        "every part of the picture matches the post's pixels there (correlation 0.99)",
    ]
