"""One picture against the index: hash it, search, and check the best candidates' pixels.

The whole path `tracker match` takes from a decoded image to ranked candidates, without the
database (the caller says how to get a stored image's archived picture), so the accuracy
benchmarks measure exactly what users get.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PIL import ImageOps
from PIL.Image import Image as PILImage

from tracker.matching import bars, blends, crops, drawn, hashing, tilted, verify
from tracker.matching.similarity import MATCH_SCORE, PIXELS_AGREE, Candidate, MatchIndex, ranked

_FOUND = ("certain", "high")
"""A candidate this sure (`Candidate.confidence`) is found: the mirrored pass is not run. "high" too, because without
the archived picture (gone, or after the few checked) a region match is at most "high", however close its hashes."""


def rank_image(
    index: MatchIndex,
    image: PILImage,
    top: int = 20,
    min_score: float = MATCH_SCORE,
    regions: bool = True,
    pixels: verify.Pixels | None = None,
) -> list[Candidate]:
    """The stored images one decoded picture may show, best first, at most `top`.

    With `pixels`, the best region candidates are checked against their archived pictures
    (`verify.check`): chance agreements of small windows are dropped, real ones say so.

    When the best candidate's pixels were compared and do not say it is a copy, and its post makes between a quarter
    and three quarters of the picture (`blends`: a crossfade of two posts), what is left once it is taken out is
    searched too, a match so found kept when its pixels agree: both posts are reported. When nothing was reported, the
    best whole-picture candidates just below the score are tried so (`blends.weakly_blended`: a crossfade hashing like
    neither post), both posts kept only when each is found, its pixels agreeing, once the other is taken out.

    The stored regions are hashed upright only, so a part of a post flipped left to right (a mirrored
    crop) matches none of them. When no candidate is "certain" or "high" and the picture has plain bars on two
    opposite sides, or blurred ones (`bars`: a crop letterboxed onto a canvas of another shape, or over a blurred
    enlargement of itself), the picture inside them is searched as the query, a match so found kept when its pixels
    agree; then the rectangles bounded only by faint steps between light colours (`_pale_borders`: a white post on
    an off-white page), likewise; then the drawn part of a white post on a page of its own white (`_drawn_parts`),
    likewise. When still none is, the region search runs once more on the mirrored query
    (`_mirrored_regions`): a query that finds its post pays nothing for it. When still none is, and the pixels can be
    compared, the query is searched again turned by a few degrees (`tilted`: a photographed
    screen, a screenshot pasted askew), a match found so kept only when its pixels agree.
    """
    query = hashing.query_hashes(image, regions=regions)  # a whole-image search hashes no windows
    found = _ranked(index, query, image, top, min_score, regions, pixels)
    if regions and pixels is not None:
        second = _blended(index, image, found, top, min_score, pixels)
        if not second and not any(c.score >= MATCH_SCORE for c in found):
            second = _weakly_blended(index, query, image, top, min_score, pixels)
        found = _best_per_image(found + second, top) if second else found
    if any(c.confidence in _FOUND for c in found):
        return found
    if regions and pixels is not None:
        found = _best_per_image(found + _inside_bars(index, image, top, min_score, pixels), top)
        if any(c.confidence in _FOUND for c in found):
            return found
        found = _best_per_image(found + _pale_borders(index, image, top, min_score, pixels), top)
        if any(c.confidence in _FOUND for c in found):
            return found
        found = _best_per_image(found + _drawn_parts(index, image, top, min_score, pixels), top)
        if any(c.confidence in _FOUND for c in found):
            return found
    if regions:
        found = _best_per_image(found + _mirrored_regions(index, image, top, min_score, pixels), top)
    if pixels is None or any(c.confidence in _FOUND for c in found):
        return found
    return _best_per_image(found + _only_turned(found, _turned(index, image, top, min_score, regions, pixels)), top)


def _only_turned(found: list[Candidate], turned: list[Candidate]) -> list[Candidate]:
    """The turned search's candidates (`tilted`) of the images the search as given did not find with their pixels
    agreeing: "found with the picture turned 2.5° clockwise" is said only when turning is what found the post. An
    upright copy the search as given confirmed, weakly (a grid's tile found through a window a little off), keeps
    that answer rather than one claiming a tilt the picture does not have."""
    confirmed = {c.id for c in found if c.pixel_check is not None and c.pixel_check >= PIXELS_AGREE}
    return [c for c in turned if c.id not in confirmed]


def _search_with(
    index: MatchIndex, top: int, min_score: float, pixels: verify.Pixels
) -> Callable[[PILImage], list[Candidate]]:
    """A search of a picture cut from the query (inside bars, a blend's remainder, a drawn part) as the query is
    searched, regions and the pixel check included: what the fallbacks hand their pictures to."""

    def search(picture: PILImage) -> list[Candidate]:
        return _ranked(index, hashing.query_hashes(picture), picture, top, min_score, True, pixels)

    return search


def _inside_bars(
    index: MatchIndex, image: PILImage, top: int, min_score: float, pixels: verify.Pixels
) -> list[Candidate]:
    """The candidates of the picture inside plain or blurred bars (`bars`: a crop letterboxed onto a canvas of another
    shape, or over a blurred enlargement of itself), searched as the query is, kept when their pixels agree; none (and
    no cost but a look at the edges) without bars."""

    return bars.inside_bars(image, _search_with(index, top, min_score, pixels))


def _blended(
    index: MatchIndex, image: PILImage, found: list[Candidate], top: int, min_score: float, pixels: verify.Pixels
) -> list[Candidate]:
    """The candidates of what is left of the picture once its best candidate is taken out (`blends`: a crossfade of
    two posts, a double exposure), kept when their pixels agree; none (and no cost) when the best one's pixels say
    it is a copy, and a few milliseconds when it makes no blend's share of the picture."""

    return blends.blended(image, found, pixels, _search_with(index, top, min_score, pixels))


def _weakly_blended(
    index: MatchIndex,
    query: hashing.QueryHashes,
    image: PILImage,
    top: int,
    min_score: float,
    pixels: verify.Pixels,
) -> list[Candidate]:
    """Both posts of a crossfade hashing like neither well enough to be reported (`blends.weakly_blended`), tried
    from the best whole-picture candidates just below the score; none (and no cost but the whole-picture distances
    again) when none scores `blends.WEAKEST`, and a few milliseconds a candidate whose post makes no blend's share."""
    weak = index.search(query, top=blends.TRIED + 2, regions=False, min_score=blends.WEAKEST)
    if not weak:
        return []
    return blends.weakly_blended(image, weak, pixels, _search_with(index, top, min_score, pixels))


def _pale_borders(
    index: MatchIndex, image: PILImage, top: int, min_score: float, pixels: verify.Pixels
) -> list[Candidate]:
    """The candidates of the rectangles whose sides step only a few levels between light colours (a white post on a
    page a few levels off white, `screenshots.pale_proposals`), kept when their pixels agree; none (and no cost but
    looking for them) when the picture has no such rectangle the first search did not try."""
    query = hashing.query_hashes(image, pale=True)
    if len(query.windows) < 2:  # the whole picture only
        return []
    found = _ranked(index, query, image, top, min_score, True, pixels)
    return [c for c in found if c.pixel_check is not None and c.pixel_check >= PIXELS_AGREE]


def _drawn_parts(
    index: MatchIndex, image: PILImage, top: int, min_score: float, pixels: verify.Pixels
) -> list[Candidate]:
    """The candidates of the drawn part of a white post on a page of its own white (`drawn`: no step bounds it at
    all), searched as the query, kept when their pixels agree; none (and no cost but a look at the page's colour) on
    a page that is not near white."""

    return drawn.drawn_parts(image, _search_with(index, top, min_score, pixels))


def _turned(
    index: MatchIndex, image: PILImage, top: int, min_score: float, regions: bool, pixels: verify.Pixels
) -> list[Candidate]:
    """The candidates of the query turned by a few degrees (`tilted`: a photographed screen, a tilted screenshot),
    searched as the query is, their pixels compared with the turned picture."""

    def search(query: hashing.QueryHashes, picture: PILImage, with_regions: bool) -> list[Candidate]:
        return _ranked(index, query, picture, top, min_score, with_regions, pixels)

    return tilted.turned_matches(image, search, regions)


def _ranked(
    index: MatchIndex,
    query: hashing.QueryHashes,
    image: PILImage,
    top: int,
    min_score: float,
    regions: bool,
    pixels: verify.Pixels | None,
    regions_only: bool = False,
) -> list[Candidate]:
    """One search of the index for `query` (hashed from `image`), its best candidates' pixels checked."""
    if pixels is None:
        found = index.search(query, top=top, regions=regions, min_score=min_score)
        return _region_evidence(found, min_score) if regions_only else found
    # Region matches just below the score are proposals the pixels may confirm (a crop); one
    # spare per checked candidate, so a rejected one does not shorten the list.
    proposed = min(min_score, crops.PROPOSED)
    found = index.search(query, top=top + verify.CHECK_TOP, regions=regions, min_score=proposed)
    if regions_only:
        found = _region_evidence(found, proposed)
    checked = verify.check(found, image, pixels, _rectangles(query))
    return [c for c in checked if c.score >= min_score][:top]


def _mirrored_regions(
    index: MatchIndex, image: PILImage, top: int, min_score: float, pixels: verify.Pixels | None
) -> list[Candidate]:
    """The region candidates of the query flipped left to right, as matches of the query as given.

    The pixels are checked against the mirrored query (`verify.check`), so a confirmed one has earned it; the
    whole-picture evidence of this pass is the first pass's mirrored one, so only region matches are kept, their
    "whole" and "flipped" evidence swapped back and their query box placed in the query as given. The rectangles
    where a picture seems to sit (`hashing.proposal_windows`: a third of the hashing time) are not looked for again:
    the dense windows find a mirrored crop, and a mirrored screenshot is rare."""
    mirrored = ImageOps.mirror(image)
    query = hashing.query_hashes(mirrored, proposals=False)
    found = _ranked(index, query, mirrored, top, min_score, True, pixels, regions_only=True)
    out = []
    for c in found:
        evidence = {**c.evidence, "whole": c.evidence["flipped"], "flipped": c.evidence["whole"]}
        out.append(replace(c, region=c.region.as_mirrored() if c.region else None, evidence=evidence))
    return out


def _region_evidence(candidates: list[Candidate], min_score: float) -> list[Candidate]:
    """The candidates as their region evidence alone scores them (at least `min_score`), best first: in the mirrored
    pass a whole-picture score is the first pass's mirrored one, and must not hide a region match (a mirrored crop
    keeping 90 % of the post looks like the mirrored post as a whole, and as that its pixels only partly agree)."""
    out = [
        replace(c, kind="region", score=c.evidence["region"])
        for c in candidates
        if c.region is not None and c.evidence.get("region", 0.0) >= min_score
    ]
    return ranked(out)


def _best_per_image(candidates: list[Candidate], top: int) -> list[Candidate]:
    """Each image's best candidate (the earlier one on a tie), best first (`ranked`), at most `top`."""
    best: dict[int, Candidate] = {}
    for c in candidates:
        if c.id not in best or c.score > best[c.id].score:
            best[c.id] = c
    return ranked(verify.explain_overlaps(list(best.values())))[:top]


def _rectangles(query: hashing.QueryHashes) -> list[tuple[float, float, float, float]]:
    """The rectangles where a picture seems to sit in the query (`hashing.proposal_windows`, clearest first), as
    hashed among its windows: those neither on the dense grid, nor stretched, nor guessed. The pixel check tries
    them as the part of a post shown (`verify`), without finding them again."""
    grid = {tuple(box) for box in hashing.dense_windows().tolist()}
    count = len(query.windows)
    narrow = np.zeros(count, bool) if query.narrow is None else query.narrow
    guessed = np.zeros(count, bool) if query.guessed is None else query.guessed
    found = []
    for box, stretched, guess in zip(query.windows.tolist(), narrow.tolist(), guessed.tolist(), strict=True):
        if not stretched and not guess and tuple(box) not in grid:
            x0, y0, x1, y1 = box
            found.append((float(x0), float(y0), float(x1), float(y1)))
    return found
