"""The confidence word follows the evidence, the reason claims no edit it did not see, a sibling picture matching a part
of a post shown better is said to be explained by it, the post shown larger comes first on a near tie, and a part found
of a post shown whole is not said to be cut off. Synthetic pictures only."""

from __future__ import annotations

import numpy as np
from PIL import Image

from tracker.matching import verify
from tracker.matching.similarity import Candidate, RegionMatch

QUARTER = (0.0, 0.5, 0.5, 1.0)


def _region(score: float, pixels: float | None, image_box=QUARTER, query_box=QUARTER, **more) -> Candidate:  # type: ignore[no-untyped-def]
    region = RegionMatch(image_box, query_box, 8.0)
    return Candidate(id=more.pop("id", 18), score=score, kind="region", phash_distance=10, dhash_distance=13,
                     region=region, pixel_check=pixels, **more)  # fmt: skip


def test_a_quarter_agreeing_at_060_is_possible_and_claims_no_watermark() -> None:
    """An unlogged near-twin (another seed of one prompt) recoloured: a quarter of it in the same place as the post's,
    its pixels at 0.80. That is not "high" (which refuses a not-my-post dispute), and nothing saw a watermark."""
    twin = _region(0.60, 0.80)
    assert twin.confidence == "possible"
    assert "watermark" not in twin.reason and "edit over" not in twin.reason
    assert "(25 % of the post), only that part found alike" in twin.reason
    whole = RegionMatch((0.0, 0.0, 1.0, 1.0), (0.0, 0.01, 1.0, 0.99), 4.5)
    assert "watermark" not in whole.describe()


def test_the_word_never_falls_as_the_score_rises() -> None:
    """Whatever the pixels said, a higher score never gets a weaker word; pixels that only partly agree keep it at
    "possible", and pixels agreeing closely over the post as shown raise it a step."""
    order = ["unlikely", "possible", "high", "certain"]
    for pixels in (None, 0.6, 0.74, 0.8, 0.95):
        for box in (QUARTER, (0.0, 0.0, 1.0, 1.0)):
            words = [order.index(_region(s / 100, pixels, box).confidence) for s in range(40, 101)]
            assert words == sorted(words), (pixels, box)
    assert _region(0.80, 0.74).confidence == "possible"  # the pixels only partly agree
    assert _region(0.68, 0.80).confidence == "possible"  # was "high", above the 0.80 above it
    assert _region(0.75, 0.92, (0.0, 0.0, 1.0, 1.0), (0.8, 0.3, 0.9, 0.45)).confidence == "certain"
    assert _region(0.60, 0.95).confidence == "possible"  # a quarter agreeing: a sibling agrees there too


def test_a_sibling_where_a_better_post_is_shown_is_explained_by_it() -> None:
    """A collage cell shows post #19 (the horse alone); post #29 (a girl on that horse) matches the horse's part in
    the same cell: it is listed, "possible", saying #19 is shown there. A post in another cell is left alone."""
    horse = _region(1.0, 1.0, (0.5, 0.25, 1.0, 0.75), (0.17, 0.38, 0.33, 0.62), id=19)
    rider = _region(0.75, 0.79, (0.0, 0.25, 0.5, 0.75), (0.01, 0.38, 0.17, 0.62), id=29)
    other = _region(0.75, 0.83, (0.0, 0.0, 1.0, 1.0), (0.34, 0.67, 0.65, 0.98), id=17)
    assert rider.confidence == "high" and other.confidence == "high"
    out = {c.id: c for c in verify.explain_overlaps([horse, rider, other])}
    assert out[29].confidence == "possible" and "image #19 is shown there and matches it better" in out[29].reason
    assert out[17].confidence == "high" and out[17].explained_by is None
    assert out[19].explained_by is None


def test_on_a_near_tie_the_post_shown_larger_comes_first() -> None:
    """A 110 px sidebar thumbnail scoring a hair higher than the post the page is about comes second."""
    from tracker.matching.similarity import ranked

    thumb = _region(0.9308, 0.97, (0.0, 0.0, 1.0, 1.0), (0.82, 0.16, 0.90, 0.30), id=38)
    page = _region(0.925, 1.0, (0.0, 0.0, 1.0, 1.0), (0.02, 0.14, 0.32, 0.52), id=30)
    clearly = _region(0.95, 1.0, (0.0, 0.0, 1.0, 1.0), (0.82, 0.50, 0.90, 0.63), id=42)
    assert [c.id for c in ranked([thumb, page, clearly])] == [42, 30, 38]


def _post(size: int = 512) -> Image.Image:
    rng = np.random.default_rng(7)
    small = Image.fromarray(rng.integers(0, 256, (12, 12, 3), dtype=np.uint8))
    return small.resize((size, size), Image.Resampling.BICUBIC)


def test_a_thumbnail_shown_whole_is_not_said_to_be_cut_off() -> None:
    """The clearest rectangle found misses the top rows of a thumbnail: the whole post is still shown there, and the
    answer says so (not "86 % of the post's height, the rest cut off")."""
    post = _post()
    page = Image.new("RGB", (1366, 768), (232, 234, 238))
    page.paste(post.resize((110, 110), Image.Resampling.LANCZOS), (1121, 125))
    missed_top = (1121 / 1366, 141 / 768, 1231 / 1366, 235 / 768)
    proposal = Candidate(id=38, score=0.475, kind="region", phash_distance=30, dhash_distance=30,
                         region=RegionMatch((0.0, 0.0, 1.0, 1.0), missed_top, 10.5, proposal=True))  # fmt: skip
    found = verify._part_shown(proposal, proposal.region, page, post, lambda: [missed_top])  # type: ignore[arg-type]
    assert found is not None and found.region is not None
    assert "cut off" not in found.reason and "the post is shown inside the picture at 8 % of its width" in found.reason
    x0, y0, x1, y1 = found.region.query_box
    assert abs(y0 * 768 - 125) <= 3 and abs(y1 * 768 - 235) <= 3
    assert found.confidence == "certain"


def test_triage_labels_the_whole_picture_distances_of_a_region_match() -> None:
    """The triage screen's distance line for a post found in a screenshot: what the match rests on (its windows), and
    the whole pictures' large distances said to be of the whole, not a near miss."""
    from tracker.complaints.triage import _distance_text
    from tracker.matching.search import MatchResult

    found = Candidate(id=30, score=0.925, kind="region", phash_distance=36, dhash_distance=34, pixel_check=1.0,
                      region=RegionMatch((0.0, 0.0, 1.0, 1.0), (0.02, 0.14, 0.32, 0.52), 2.0),
                      evidence={"whole": 0.0, "flipped": 0.0, "region": 0.9})  # fmt: skip
    result = MatchResult(found, 30, "0" * 64, "ski.jpg", None, identical=False, posts=[])
    assert _distance_text(result) == (
        "region 2 (the part that matched); whole picture: pHash 36, dHash 34 (not the same as a whole)"
    )
    whole = Candidate(id=30, score=0.9, kind="whole", phash_distance=2, dhash_distance=3)
    assert _distance_text(MatchResult(whole, 30, "0" * 64, "ski.jpg", None, identical=False, posts=[])) == (
        "pHash 2, dHash 3"
    )
