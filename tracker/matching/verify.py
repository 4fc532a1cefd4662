"""The pixel check: do the two pictures really look alike where the hashes say they match?

A region match pairs a window of the query with a window of a stored image (`RegionMatch`).
Hashes of two small windows can agree by chance (two pose maps: black with thin coloured
sticks; two flat skies), so the best few region candidates are checked against the archived
picture itself: both windows are cut out, shrunk to `CHECK_SIZE` x `CHECK_SIZE` grey cells and
compared by normalised correlation, the query window nudged by a few per cent in each
direction (the hashes place it to about 3 %). Correlation at least `CONFIRMED` confirms the
match (it is said so in the answer); below `REJECTED` the candidate is dropped, so such a
chance agreement is never reported, and so is a match whose hashes only just agree
(score below `MARGINAL`, or at it over a small part of the post) unless its pixels confirm it;
otherwise the hashes' word stands.
Both windows are compared on structure (less a plane fitted to each of their 4 x 4 blocks:
`crops.detail`), so two smooth gradients do not agree by being smooth; and a match whose
windows have structure in both in fewer than `crops.MIN_STRUCTURED` of their 16 blocks is
dropped too: a white page with one corner of another post and a gradient with one block in its
corner agree on that edge and on nothing else, which no hash distance makes evidence. On the
corpus transforms of `tests/benchmarks/matching.py` true region matches came out at 0.64-1.0
(most above 0.8). True screenshot matches have structure in both in 8-16 blocks, such chance
agreements (a reviewer's 20 screenshots against a gradient post) in 2-4; a true off-centre crop
of a depth map, mostly black, in 5.

A match of the whole post with a window of another shape (a timeline that keeps the middle 4:5 of a
tall post) is compared as the part of the post that window shows (`_part_shown`), so the answer says
which part is shown and how much was cut off. The few best whole and mirrored candidates are compared
picture to picture (`WHOLE_CHECK_TOP`): their score stays the hashes', the answer says whether the
pixels agree. One whose region evidence says the picture is a crop of the post (a 90 % crop hashes about as close
to the whole post as to the part it was cut from) is compared as that crop first, and confirmed, it is that crop.
A region match too flat for the pixels to say anything, or refuted by them, leaves its candidate to its
whole-picture evidence (a post tilted 2 degrees: its windows' pixels disagree, the whole picture's hashes agree).

Numpy and Pillow only: a few milliseconds per candidate once its picture is decoded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Literal

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps

from tracker.matching import crops, hashing
from tracker.matching.similarity import (
    MATCH_SCORE,
    PIXELS_AGREE,
    PIXELS_SURE,
    SURE_PART,
    Candidate,
    RegionMatch,
    ranked,
)

Box = tuple[float, float, float, float]
Boxes = list[Box]
_WHOLE: Box = (0.0, 0.0, 1.0, 1.0)
Pixels = Callable[[int], Image.Image | None]
"""A stored image's archived picture by image id (None when it cannot be read)."""

CHECK_TOP = 8
"""Region candidates (at or above `crops.PROPOSED`, best first) checked against their pictures: every
post of a collage or grid of eight, say. A region match after these is at most "high" (`Candidate.confidence`)."""
CHECK_SIZE = 24
"""Side of the grey grid both windows are compared on: coarse enough to forgive a 3 % misplacement."""
CONFIRMED = PIXELS_AGREE
"""Correlation at which the pixels confirm a region match."""
REJECTED = 0.35
"""Correlation below which a region match is dropped whatever its hashes say."""
MARGINAL = 0.6
"""A region match scoring below this (hashes just within their threshold) needs `CONFIRMED` pixels to stay; so does
one scoring this (8 bits of 64 apart) over less than `SURE_PART` of the post: a flat field with one round shape in it
(a generated gradient with a pale disc) matched the top left quarter of a segmentation map (a green disc on blue) so,
its pixels agreeing 0.60, in a grid of pictures in `tests/benchmarks/reuse_recall.py`. The whole post matched so
(under a story's stickers and text, pixels agreeing 0.60) is that post. An explained match (`explain_overlaps`)
scoring at most this is left out when the post shown there agrees better."""
NUDGE = 0.03
"""The query window is also tried moved by this fraction of its size in each direction."""
WHOLE_CHECK_TOP = 3
"""Whole and mirrored candidates (best first) whose archived pictures are compared with the query as a whole:
the pixels tell a resized or re-encoded copy (they agree) from another picture that only looks alike."""
PART_SHOWN = 1.06
"""A window the whole post matched whose shape differs from the post's by more than this factor shows only a
part of it (a timeline keeps the middle 4:5 of a tall post): that part's pixels are compared (`_part_shown`)."""
WHOLE_SHOWN = 0.9
"""Window correlation at or above which a match is taken as shown whole; below it, a part shown is looked for."""
PART_BOXES = 6
"""Rectangles found in the query (`hashing.proposal_windows`, clearest first) tried as the part of a post shown."""
PART_TIE = 0.05
"""Rectangles whose correlations are within this of the best are as good: the largest is reported."""
WHOLE_SLACK = 0.01
"""A whole post placed this far (a fraction of the picture) past its edge by a part found is still inside it."""
PART_INSIDE = 0.9
"""A rectangle tried as the part of a post shown lies at least this much (of its area) where the post would be."""
PART_COVER = 0.5
"""And covers at least this much of where the post would be."""
EXPLAINED = 0.6
"""A region match whose matched window lies this much (of its area) where a better, confirmed post is shown is
explained by that post (`explain_overlaps`)."""
CROP_KEEPS_AT_MOST = 0.97
"""A whole candidate confirmed as a crop of the post (`_as_crop`) is reported as that crop when the part found keeps
at most this much of the post's area; more, and it is the whole post (resized, or its edges trimmed by a pixel)."""


def _grid(image: Image.Image, box: Box) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]] | None:
    """The window as CHECK_SIZE x CHECK_SIZE grey means on structure, flattened to unit norm, and which
    of its 4 x 4 blocks have structure (`crops.structured`); None when flat."""
    w, h = image.size
    x0, y0, x1, y1 = (max(0.0, min(1.0, v)) for v in box)
    area = (round(x0 * w), round(y0 * h), max(round(x0 * w) + 1, round(x1 * w)), max(round(y0 * h) + 1, round(y1 * h)))
    grey = image.crop(area).convert("L").resize((CHECK_SIZE, CHECK_SIZE), Image.Resampling.BOX)
    # Compared on structure (`crops.detail`), so two smooth gradients do not agree unless their shapes do.
    means = np.asarray(grey, dtype=np.float64)[None]
    cells = crops.detail(means, CHECK_SIZE)
    return None if cells is None else (cells[0], crops.structured(means, CHECK_SIZE)[0])


def correlation(query: Image.Image, query_box: Box, stored: Image.Image, stored_box: Box) -> float | None:
    """Best normalised correlation of the two windows (the query's nudged a little).

    None when there is too little to compare: either window flat, or fewer than
    `crops.MIN_STRUCTURED` of their blocks with structure in both (a flat page and a smooth
    gradient, each with one shape in a corner, correlate as well as two copies of one picture).
    """
    ref = _grid(stored, stored_box)
    if ref is None:
        return None
    x0, y0, x1, y1 = query_box
    dx, dy = (x1 - x0) * NUDGE, (y1 - y0) * NUDGE
    best: float | None = None
    shared = 0
    for sx in (-dx, 0.0, dx):
        for sy in (-dy, 0.0, dy):
            found = _grid(query, (x0 + sx, y0 + sy, x1 + sx, y1 + sy))
            if found is not None:
                value = float((found[0] * ref[0]).sum())
                if best is None or value > best:
                    best, shared = value, int((found[1] & ref[1]).sum())
    return best if shared >= crops.MIN_STRUCTURED else None


def check(
    candidates: list[Candidate], query: Image.Image, pixels: Pixels, proposed: Boxes | None = None
) -> list[Candidate]:
    """The candidates with the best few region matches checked against their archived pictures.

    Candidates come best first. A region match that places the whole query inside the post (a
    crop: `crops.crop_frame`) is checked over the whole picture, down to `crops.PROPOSED`: a
    confirmed crop scores by its correlation and says so, a refuted one is dropped, one in
    between keeps its hashes' word. A proposal below `MATCH_SCORE` that places the whole post in a window
    of the picture is checked the same way, the post in the crop's role (`_shown_inside`): confirmed, it
    scores by its correlation; else it stays a proposal. A match whose windows agree only with one picture stretched
    out of shape (`crops.in_shape`) is dropped. Other region matches at or above `MATCH_SCORE` are checked
    on their windows: confirmed ones carry their correlation (`Candidate.pixel_check`), rejected
    ones are left out; one placing the post in a window that its pixels match less than `WHOLE_SHOWN`
    may be confirmed as a part of the post shown there (`_part_shown`), as a proposal may. A region match too flat
    to compare, or refuted, leaves the candidate to its whole-picture evidence, when that reaches `MATCH_SCORE`
    (`_whole_evidence`). The first `WHOLE_CHECK_TOP` whole and mirrored candidates carry their pictures'
    correlation, or are the crop their region evidence says they are (`_whole_checked`).
    `proposed`: the rectangles where a picture seems to sit in the query (`hashing.proposal_windows`), when
    the caller has them; else they are found when first needed. At most `CHECK_TOP` pictures are read; a
    region match after those that scores below `MARGINAL` is left out unread (a rejected one would have been).
    """
    out: list[Candidate] = []
    checked = whole_checked = 0
    rectangles = _proposed_once(query) if proposed is None else lambda: proposed
    small_query = cache(lambda: Image.fromarray(hashing.working_grey(query)))  # once, for every whole candidate
    for candidate in candidates:
        region = candidate.region
        whole = candidate.kind in ("whole", "flipped") and candidate.score >= MATCH_SCORE
        if whole and whole_checked < WHOLE_CHECK_TOP:
            whole_checked += 1
            out.append(_whole_checked(candidate, query, small_query, read_archived(pixels, candidate.id)))
            continue
        if candidate.kind != "region" or region is None or candidate.score < crops.PROPOSED:
            out.append(candidate)
            continue
        if checked >= CHECK_TOP:
            if MATCH_SCORE <= candidate.score < MARGINAL:
                continue  # hashes that only just agree need the pixels' word, and these are not read
            out.append(candidate)
            continue
        checked += 1
        stored = read_archived(pixels, candidate.id)
        if stored is None:
            out.append(candidate)
            continue
        found = _region_checked(candidate, region, query, stored, rectangles)
        if isinstance(found, Candidate):
            out.append(found)
            continue
        # A region match too flat for the pixels to say anything (a crop of a smooth gradient), or refuted by them,
        # leaves the candidate to its whole-picture evidence, checked as such: the post its whole hashes match, as if
        # they came first (a post tilted 2 degrees: its windows' pixels disagree, the whole picture's hashes agree).
        left = _whole_evidence(candidate)
        if left and whole_checked < WHOLE_CHECK_TOP:
            whole_checked += 1
            left = [_whole_checked(left[0], query, small_query, stored)]
        out.extend(left)
    return ranked(explain_overlaps(out))


def explain_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, each region match whose matched window of the picture lies mostly (`EXPLAINED`) where a
    better candidate's post is shown, that one's pixels confirming it, marked as explained by it
    (`Candidate.explained_by`): a sibling picture (the horse alone, the girl on that horse) matches a part of the
    post shown there, and is not that post. The better one comes first in score; the first that explains it is kept.

    An explained match scoring at most `MARGINAL` is left out when the post shown there agrees closely
    (`PIXELS_SURE`) and better than it: another picture whose hashes only just agree there is a look-alike of that
    post's kind, not a sibling (two ComfyUI workflow screenshots, their nodes laid out alike: a part of one agreed 0.80
    where the other was shown framed, agreeing 0.98, in `tests/benchmarks/reuse_recall.py`). Two near-twins that
    both only just match stay, whichever scores a hair better: either may be the one shown. So is one scoring more
    whose pixels do not confirm it over less than `SURE_PART` of its post (`_unconfirmed_part`): a quarter of a
    segmentation map (a disc on blue) matched a part of a generated picture (a pale disc on a gradient) 5 bits of 64
    apart, pixels agreeing 0.56, where that picture was shown tilted in a page and confirmed 0.96, in
    `tests/benchmarks/tilted_recall.py`; a sibling there (the horse alone, the girl on that horse) agrees 0.75 or
    better, and stays."""
    confirmed = [
        (c, frame)
        for c in candidates
        if c.explains
        and c.pixel_check is not None
        and c.pixel_check >= CONFIRMED
        and (frame := _shown_at(c)) is not None
    ]
    out = []
    for c in candidates:
        if c.kind == "region" and c.region is not None and c.explained_by is None:
            box = c.region.query_box
            by = next((o for o, frame in confirmed if o.score > c.score and _inside(box, frame) >= EXPLAINED), None)
            if by is not None and by.id != c.id:
                if (c.score <= MARGINAL or _unconfirmed_part(c, c.region)) and _agrees_better(by, c):
                    continue
                c = replace(c, explained_by=by.id)
        out.append(c)
    return out


def _agrees_better(shown: Candidate, other: Candidate) -> bool:
    """Do the pixels of the post shown agree closely (`PIXELS_SURE`), and better than the other candidate's?"""
    return (shown.pixel_check or 0.0) >= PIXELS_SURE and (shown.pixel_check or 0.0) > (other.pixel_check or 0.0)


def _unconfirmed_part(candidate: Candidate, region: RegionMatch) -> bool:
    """Did the pixels, compared, not confirm a match of less than `SURE_PART` of the post?"""
    pixels = candidate.pixel_check
    return pixels is not None and pixels < CONFIRMED and _area(region.image_box) < SURE_PART


def _marginal(candidate: Candidate, region: RegionMatch) -> bool:
    """Do the hashes only just agree (`MARGINAL`): below it, or at it over less than `SURE_PART` of the post?"""
    return candidate.score < MARGINAL or (candidate.score <= MARGINAL and _area(region.image_box) < SURE_PART)


def _shown_at(candidate: Candidate) -> Box | None:
    """Where the candidate's whole post lies in the picture by its evidence (fractions of the picture)."""
    if candidate.kind != "region" or candidate.region is None:
        return _WHOLE
    return _post_in_query(candidate.region)


def _inside(box: Box, frame: Box) -> float:
    """How much of `box` (of its area) lies inside `frame`."""
    return _overlap(frame, box)


def _region_checked(
    candidate: Candidate, region: RegionMatch, query: Image.Image, stored: Image.Image, rectangles: Callable[[], Boxes]
) -> Candidate | Literal["dropped", "flat"]:
    """A region candidate as its archived picture leaves it (`check`); "dropped" when the pixels refute its region
    match (or the windows agree only stretched out of shape), "flat" when they are too flat to say anything and the
    hashes alone are not enough."""
    if not crops.in_shape(region, query.size, stored.size):
        return "dropped"  # the windows agree only with one picture stretched out of shape: no reuse
    verdict = _crop_verdict(candidate, region, query, stored)
    if verdict == "refuted":
        return "dropped"
    if isinstance(verdict, Candidate):
        return verdict
    compared = verdict is not None  # the whole picture compared as a crop: neither confirmed nor refuted
    if candidate.score < MATCH_SCORE:
        # A post shown inside the picture, its edges lost against the page (dark mode, a white post on a
        # white page, a pale sky against a white gutter): the whole post's pixels may confirm it there,
        # or those of the part of it shown (a timeline's 4:5 of a tall post).
        inside = _shown_inside(candidate, region, query, stored)
        inside = inside or _part_shown(candidate, region, query, stored, rectangles)
        return inside or replace(candidate, pixels_unconfirmed=_whole_post_shown(region) or compared)
    value = correlation(query, region.query_box, stored, region.image_box)
    shown_whole = value is not None and value >= WHOLE_SHOWN
    part = None if shown_whole else _part_shown(candidate, region, query, stored, rectangles)
    if part is not None and part.pixel_check is not None and part.pixel_check > (value or 0.0):
        return part  # the windows' pixels agree less well: a part of the post is shown there
    if value is None:
        return "flat" if verdict in (None, "flat") else "dropped"  # too flat for the windows' pixels to say anything
    if value < REJECTED or (value < CONFIRMED and _marginal(candidate, region)):
        return "dropped"  # refuted, or the pixels only partly agree where the hashes only just do
    return replace(candidate, pixel_check=round(value, 3))


def _shown_inside(
    candidate: Candidate, region: RegionMatch, query: Image.Image, stored: Image.Image
) -> Candidate | None:
    """A proposal that the whole post is shown in a window of the picture, confirmed by the pixels: the whole
    post compared with the picture around that window (`crops.frame_correlation`, the post in the role of the
    crop), as strictly as a crop is (`crops.CONFIRMED`); None when not confirmed (the proposal stays a proposal).

    Only the whole post: a part of one (a 0.75 region matched in a cell where the post was cropped square)
    confirmed this way reported an unlogged near-twin of a post in `tests/benchmarks/matching.py`."""
    if not _whole_post_shown(region):
        return None
    found = crops.frame_correlation(stored, query, *_post_shaped(region.query_box, query, stored))
    if found is None or found[0] < crops.CONFIRMED:
        return None
    value, where = found
    shown = round(crops.crop_score(value), 4)
    x0, y0, x1, y1 = (round(v, 4) for v in where)
    return replace(
        candidate,
        score=max(candidate.score, shown),
        region=RegionMatch(region.image_box, (x0, y0, x1, y1), region.distance),
        evidence={**candidate.evidence, "inside": shown},
        pixel_check=round(value, 3),
    )


def _proposed_once(query: Image.Image) -> Callable[[], Boxes]:
    """The rectangles where a picture seems to sit in the query (`hashing.proposal_windows`, guesses left out),
    found on first use only: most queries never need them."""
    found: list[Boxes] = []

    def proposed() -> Boxes:
        if not found:
            boxes, _, guessed = hashing.proposal_windows(query)
            found.append([(float(a), float(b), float(c), float(d)) for a, b, c, d in boxes[~guessed]])
        return found[0]

    return proposed


def read_archived(pixels: Pixels, image_id: int) -> Image.Image | None:
    """A stored image's archived picture, or None when it cannot be read."""
    try:
        return pixels(image_id)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def _whole_checked(
    candidate: Candidate, query: Image.Image, small_query: Callable[[], Image.Image], stored: Image.Image | None
) -> Candidate:
    """A whole (or mirrored) candidate with its pixels compared to the query's: the answer then says whether they
    agree. Its score stays the hashes'; unread (its picture gone) or too flat to compare, it is as it came.

    When its region evidence places the query inside the post as a crop (a 90 % crop hashes close to the whole post,
    often a hair closer than its windows do), the crop is compared with the part of the post it was cut from
    (`_as_crop`): confirmed, the candidate is that crop, scored and described by it; the whole post against the
    whole query, which the crop only partly fills, would only partly agree. Otherwise picture to picture, on both
    pictures' small working copies (`hashing.working_grey`; the query's made once, by `small_query`)."""
    if stored is None:
        return candidate
    crop = _as_crop(candidate, query, stored)
    if crop is not None:
        return crop
    if candidate.kind == "flipped":
        stored = ImageOps.mirror(stored)
    value = correlation(small_query(), _WHOLE, Image.fromarray(hashing.working_grey(stored)), _WHOLE)
    return candidate if value is None else replace(candidate, pixel_check=round(value, 3))


def _as_crop(candidate: Candidate, query: Image.Image, stored: Image.Image) -> Candidate | None:
    """A whole candidate confirmed as a crop of the post by its region evidence (`_crop_verdict`), when the part
    found leaves out at least `CROP_KEEPS_AT_MOST` of the post's area; else None (a resized copy of the whole post
    is a whole match, however well its windows place it)."""
    region = candidate.region
    if candidate.kind != "whole" or region is None or not crops.in_shape(region, query.size, stored.size):
        return None
    verdict = _crop_verdict(candidate, region, query, stored)
    if not isinstance(verdict, Candidate) or verdict.region is None:
        return None
    return verdict if _area(verdict.region.image_box) <= CROP_KEEPS_AT_MOST else None


def _whole_evidence(candidate: Candidate) -> list[Candidate]:
    """The region candidate as its whole-picture evidence (upright or mirrored) alone scores it, when that reaches
    `MATCH_SCORE` (one candidate, else none): what is left of it when its region match is too flat to compare."""
    kind = max(("whole", "flipped"), key=lambda k: (candidate.evidence.get(k, 0.0), k == "whole"))
    value = candidate.evidence.get(kind, 0.0)
    return [replace(candidate, kind=kind, score=value, region=None)] if value >= MATCH_SCORE else []


def _part_shown(
    candidate: Candidate, region: RegionMatch, query: Image.Image, stored: Image.Image, proposed: Callable[[], Boxes]
) -> Candidate | None:
    """A match placing the post in the picture (the whole post, or a part of it that implies where the whole
    lies), confirmed as a part of the post shown in a rectangle there: a timeline that keeps the middle 4:5 of a
    tall post, say. The hashes often match the whole post with a box that is not quite the part shown (a few
    lines of the page below it, squeezed in pHash's 32 x 32 grid), so the matched box and the rectangles found
    in the picture within the post's place (`proposed`) are tried: each whose shape differs from the post's
    (`PART_SHOWN`) is cut out and compared with the part of the post of its shape (top, middle or bottom to
    start with: `crops`'s frame search), as strictly as a crop is (`crops.CONFIRMED`). None when none confirms.
    Confirmed, it scores by its correlation, as a crop does, and says which part is shown."""
    frame = _post_in_query(region)
    if frame is None:
        return None
    boxes = [region.query_box] if _whole_post_shown(region) else []
    boxes += [b for b in proposed() if _part_of(b, frame)][:PART_BOXES]  # the clearest rectangles first
    tried = [(found[0], found[1], box) for box in boxes if (found := _part_correlation(box, query, stored))]
    top = max((value for value, _, _ in tried), default=0.0)
    if top < crops.CONFIRMED:
        return None
    # Of those that agree about as well, the largest: an inset (round corners cut off) often scores a hair better,
    # and a rectangle inside the part shown (a shape in the post) agrees too.
    floor = max(crops.CONFIRMED, top - PART_TIE)
    value, where, box = max((t for t in tried if t[0] >= floor), key=lambda t: _area(t[2]))
    whole = _whole_around(candidate, RegionMatch(where, box, region.distance), query, stored, value)
    if whole is not None:
        return whole  # the rectangle missed a few rows of a post shown whole: nothing of it is cut off
    shown = round(crops.crop_score(value), 4)
    x0, y0, x1, y1 = (round(v, 4) for v in where)
    qx0, qy0, qx1, qy1 = (round(v, 4) for v in box)
    return replace(
        candidate,
        score=max(candidate.score, shown),
        region=RegionMatch((x0, y0, x1, y1), (qx0, qy0, qx1, qy1), region.distance),
        evidence={**candidate.evidence, "part": shown},
        pixel_check=round(value, 3),
    )


def _whole_around(
    candidate: Candidate, part: RegionMatch, query: Image.Image, stored: Image.Image, value: float
) -> Candidate | None:
    """The whole post shown inside the picture, where the part found (`_part_shown`) says it lies, when that place is
    in the picture and the whole post's pixels agree there about as well as the part's (`PART_TIE`): the rectangle
    found missed a few rows of it (a sidebar thumbnail's top, a post's edge against the page), and nothing of the post
    is cut off. None otherwise: the rest of the post is not shown there."""
    frame = _post_in_query(part)
    if frame is None or not all(-WHOLE_SLACK <= v <= 1 + WHOLE_SLACK for v in frame):
        return None
    x0, y0, x1, y1 = (round(max(0.0, min(1.0, v)), 4) for v in frame)
    (qw, qh) = query.size
    area = (round(x0 * qw), round(y0 * qh), round(x1 * qw), round(y1 * qh))
    if min(area[2] - area[0], area[3] - area[1]) < 16:
        return None
    # The picture's window compared with the whole post (a small thumbnail's pixels are too few the other way round).
    found = crops.frame_correlation(query.crop(area), stored, _WHOLE)
    if found is None or found[0] < max(crops.CONFIRMED, value - PART_TIE) or _area(found[1]) < CROP_KEEPS_AT_MOST:
        return None
    shown = round(crops.crop_score(found[0]), 4)
    return replace(
        candidate,
        score=max(candidate.score, shown),
        region=RegionMatch(_WHOLE, (x0, y0, x1, y1), part.distance),
        evidence={**candidate.evidence, "inside": shown},
        pixel_check=round(found[0], 3),
    )


def _part_correlation(box: Box, query: Image.Image, stored: Image.Image) -> tuple[float, Box] | None:
    """The best correlation of the query's `box` with a part of the post of its shape, and that part; None when
    the box has the post's own shape (within `PART_SHOWN`) or too little to compare."""
    (qw, qh), (sw, sh) = query.size, stored.size
    area = (round(box[0] * qw), round(box[1] * qh), round(box[2] * qw), round(box[3] * qh))
    if min(area[2] - area[0], area[3] - area[1]) < 16:
        return None
    stretch = ((area[2] - area[0]) / (area[3] - area[1])) / (sw / sh)  # the box's width over height, the post's
    if abs(float(np.log(stretch))) <= float(np.log(PART_SHOWN)):
        return None
    kept_w, kept_h = (1.0, 1.0 / stretch) if stretch > 1 else (stretch, 1.0)
    starts = [(0.0, 0.0), ((1 - kept_w) / 2, (1 - kept_h) / 2), (1 - kept_w, 1 - kept_h)]
    return crops.frame_correlation(query.crop(area), stored, *((a, b, a + kept_w, b + kept_h) for a, b in starts))


def _post_in_query(region: RegionMatch) -> Box | None:
    """Where the whole post lies in the query, by the matched pair of windows (fractions of the query)."""
    sx0, sy0, sx1, sy1 = region.image_box
    qx0, qy0, qx1, qy1 = region.query_box
    if min(sx1 - sx0, sy1 - sy0) <= 0:
        return None
    kx, ky = (qx1 - qx0) / (sx1 - sx0), (qy1 - qy0) / (sy1 - sy0)
    return (qx0 - sx0 * kx, qy0 - sy0 * ky, qx1 + (1 - sx1) * kx, qy1 + (1 - sy1) * ky)


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _overlap(box: Box, frame: Box) -> float:
    """The area `box` and `frame` share, as a fraction of the frame's."""
    w = max(0.0, min(box[2], frame[2]) - max(box[0], frame[0]))
    h = max(0.0, min(box[3], frame[3]) - max(box[1], frame[1]))
    return w * h / max(1e-9, (frame[2] - frame[0]) * (frame[3] - frame[1]))


def _part_of(box: Box, frame: Box) -> bool:
    """Could the rectangle show a part of the post placed at `frame`: mostly inside it (`PART_INSIDE`) and
    covering at least `PART_COVER` of it?"""
    area = (box[2] - box[0]) * (box[3] - box[1])
    shared = _overlap(box, frame) * (frame[2] - frame[0]) * (frame[3] - frame[1])
    return area > 0 and shared / area >= PART_INSIDE and _overlap(box, frame) >= PART_COVER


def _whole_post_shown(region: RegionMatch) -> bool:
    """Does the match place the whole post in a window of the picture (what `_shown_inside` compares)?"""
    return region.image_box == (0.0, 0.0, 1.0, 1.0) and region.query_box != (0.0, 0.0, 1.0, 1.0)


def _post_shaped(box: Box, query: Image.Image, stored: Image.Image) -> list[Box]:
    """Frames about the proposed window's centre with the post's own shape (the window's width kept, then its
    height): a proposal bounded by a faint edge is often a little narrower or shorter than the post, and the
    frame search keeps the shape it starts from."""
    (qw, qh), (sw, sh) = query.size, stored.size
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    aspect = (sw / sh) * (qh / qw)  # the post's width over height, in the query's fractions
    frames = []
    for w, h in ((x1 - x0, (x1 - x0) / aspect), ((y1 - y0) * aspect, y1 - y0)):
        if w <= 1.0 and h <= 1.0:
            frames.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    return frames or [box]


def _crop_verdict(
    candidate: Candidate, region: RegionMatch, query: Image.Image, stored: Image.Image
) -> Candidate | Literal["refuted", "undecided", "flat"] | None:
    """The candidate as the whole-picture check leaves it: confirmed, refuted, undecided (compared, neither), flat
    (too flat to compare), or None (no crop to compare)."""
    frame = crops.crop_frame(region, query.size, stored.size)
    loose = frame is None
    if loose:  # a crop at a corner, placed a little outside the post: looked for, only to be confirmed
        frame = crops.crop_frame(region, query.size, stored.size, outside=crops.OUTSIDE_LOOSE)
    if frame is None:
        return None
    found = crops.frame_correlation(query, stored, frame)
    if found is None:
        return "flat"  # too flat to say
    value, where = found
    if value < crops.REFUTED:
        return "undecided" if loose else "refuted"
    if value < crops.CONFIRMED:
        return "undecided"
    crop = round(crops.crop_score(value), 4)
    x0, y0, x1, y1 = (round(v, 4) for v in where)
    return replace(
        candidate,
        kind="region",
        score=max(candidate.score, crop),
        region=RegionMatch((x0, y0, x1, y1), (0.0, 0.0, 1.0, 1.0), region.distance),
        evidence={**candidate.evidence, "crop": crop},
        pixel_check=round(value, 3),
    )
