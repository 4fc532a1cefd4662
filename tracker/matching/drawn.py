"""The drawn part of a white post on a page of its own white: where no edge bounds the post at all.

A white-backed post (a cartoon cut out on white) shown on a page 0-2 levels off its white has no border to find
(`screenshots` counts a step of 3 between light colours at the most). Only its drawn part stands out: a block of
ink with page-coloured gaps around it, apart from the page's text and panels. `drawn_boxes` finds such blocks by
cutting the picture along blank rows and columns (a recursive XY cut), for `rank` to search each as the query when
nothing sure was found, as `bars` searches the picture inside its bars: a match so found is kept only when its
pixels agree (the block is a crop of the post, its white margin left out).

Numpy on a small copy (longest side `bars.SIDE`): a few milliseconds, and nothing at all on a page that is not
near white.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt
from PIL import Image

from tracker.matching import bars
from tracker.matching.similarity import PIXELS_AGREE, Candidate, RegionMatch

PAGE = 250
"""The page's colour (its commonest) is at least this in every channel: a white page, where a white post's border
steps by less than `screenshots.PALE_STEP`. Any other page leaves the search as it was."""

PAGE_SHARE = 0.3
"""The page's colour covers at least this share of the picture (a page, not a white detail of a photo)."""

INK = 8
"""A pixel differs from the page's colour by more than this (largest channel difference): drawn, not page or noise."""

GAP = 0.015
"""A run of blank lines at least this fraction of the picture's side (and 2 pixels) separates two blocks."""

MIN_SIDE = 0.12
"""A block spans at least this fraction of the picture's width and of its height (a post, not a line of text)."""

MIN_INK = 0.3
"""At least this share of a block's pixels is drawn: a picture's figure, not a paragraph of text or a few icons."""

PLAIN_SHARE = 0.05
"""A colour covering at least this share of the picture is the page's (a panel, a bar), not drawn."""

PLAIN_LEVELS = 8
"""Colours are told apart to this many levels a channel for `PLAIN_SHARE` (a panel's JPEG noise is one colour)."""

MAX_BLOCKS = 2
"""The largest blocks searched: each one is a whole search (about what the picture as given cost)."""

MAX_DEPTH = 12
"""How many cuts deep the blocks are looked for."""

Box = tuple[float, float, float, float]


def drawn_boxes(image: Image.Image) -> list[Box]:
    """The blocks of ink apart on a near-white page (x0, y0, x1, y1 as fractions of `image`), largest first, at most
    `MAX_BLOCKS`; none when the page is not near white."""
    small = np.asarray(bars._reduced(image).convert("RGB"), dtype=np.int16)
    h, w = small.shape[:2]
    if h < 16 or w < 16:
        return []
    quantised = small // 2
    codes = (quantised[:, :, 0].astype(np.int32) << 16) | (quantised[:, :, 1] << 8) | quantised[:, :, 2]
    values, counts = np.unique(codes, return_counts=True)
    commonest = int(values[np.argmax(counts)])
    page = np.array([(commonest >> 16) & 255, (commonest >> 8) & 255, commonest & 255], np.int16) * 2 + 1
    if counts.max() < PAGE_SHARE * h * w or page.min() < PAGE:
        return []
    ink = (np.abs(small - page).max(axis=2) > INK) & ~_plain(small, h * w)
    gap_y, gap_x = max(2, round(GAP * h)), max(2, round(GAP * w))
    blocks: list[tuple[int, int, int, int]] = []
    _cut(ink, (0, 0, w, h), gap_x, gap_y, MAX_DEPTH, blocks)
    kept = [
        (x0, y0, x1, y1)
        for x0, y0, x1, y1 in blocks
        if x1 - x0 >= MIN_SIDE * w and y1 - y0 >= MIN_SIDE * h and ink[y0:y1, x0:x1].mean() >= MIN_INK
    ]
    kept.sort(key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)
    return [(x0 / w, y0 / h, x1 / w, y1 / h) for x0, y0, x1, y1 in kept[:MAX_BLOCKS]]


def _plain(small: npt.NDArray[np.int16], area: int) -> npt.NDArray[np.bool_]:
    """Which pixels have a colour (to `PLAIN_LEVELS`) that covers `PLAIN_SHARE` of the picture at least: a panel, a
    bar or a sidebar of the page, not drawn."""
    coarse = small // PLAIN_LEVELS
    codes = (coarse[:, :, 0].astype(np.int32) << 16) | (coarse[:, :, 1] << 8) | coarse[:, :, 2]
    values, counts = np.unique(codes, return_counts=True)
    return np.isin(codes, values[counts >= PLAIN_SHARE * area])


def _cut(
    ink: npt.NDArray[np.bool_],
    box: tuple[int, int, int, int],
    gap_x: int,
    gap_y: int,
    depth: int,
    out: list[tuple[int, int, int, int]],
) -> None:
    """Append to `out` the blocks of `box` no blank run of `gap_y` rows or `gap_x` columns crosses, each trimmed to
    its ink."""
    ox, oy, ex, ey = box
    part = ink[oy:ey, ox:ex]
    rows, cols = np.flatnonzero(part.any(axis=1)), np.flatnonzero(part.any(axis=0))
    if not len(rows):
        return
    x0, x1, y0, y1 = ox + int(cols[0]), ox + int(cols[-1]) + 1, oy + int(rows[0]), oy + int(rows[-1]) + 1
    for along, lines, gap in ((1, rows, gap_y), (0, cols, gap_x)):
        splits = np.flatnonzero(np.diff(lines) > gap)
        if len(splits) and depth > 0:
            bounds = [lines[0], *[b for s in splits for b in (lines[s] + 1, lines[s + 1])], lines[-1] + 1]
            for lo, hi in zip(bounds[::2], bounds[1::2], strict=True):
                if along:
                    _cut(ink, (x0, oy + int(lo), x1, oy + int(hi)), gap_x, gap_y, depth - 1, out)
                else:
                    _cut(ink, (ox + int(lo), y0, ox + int(hi), y1), gap_x, gap_y, depth - 1, out)
            return
    out.append((x0, y0, x1, y1))


@dataclass(frozen=True)
class DrawnPartCandidate(bars.InsideBarsCandidate):
    """A candidate found only when the drawn part of a white post on a white page (`drawn_boxes`) was searched as
    the query."""

    @property
    def bars_note(self) -> str:
        """How it was found: "found by searching its drawn part alone (x 51-66 %, y 28-95 % of the picture): a white
        post on a page as white"."""
        x0, y0, x1, y1 = (round(100 * v) for v in self.inside)
        return (
            f"found by searching its drawn part alone (x {x0}-{x1} %, y {y0}-{y1} % of the picture):"
            " a white post on a page as white"
        )


def drawn_parts(image: Image.Image, search: bars.Search) -> list[Candidate]:
    """The candidates of each block `drawn_boxes` finds, searched as the query, whose pixels agree (`PIXELS_AGREE`),
    their matched part placed in the picture as given; none on a page that is not near white."""
    out: list[Candidate] = []
    for box in drawn_boxes(image):
        for c in search(bars.cropped(image, box)):
            if c.pixel_check is None or c.pixel_check < PIXELS_AGREE:
                continue
            values = {f.name: getattr(c, f.name) for f in fields(Candidate)}
            if c.region is not None:
                r = c.region
                place = bars.as_given(r.query_box, box)
                values["region"] = RegionMatch(r.image_box, place, r.distance, r.proposal, r.mirrored)
            out.append(DrawnPartCandidate(**values, inside=box, inner_region=c.region))
    return out
