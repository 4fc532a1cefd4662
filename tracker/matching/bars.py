"""Plain bars around a picture: a letterboxed or pillarboxed copy, a picture on a plain mat.

A copy cut on one side and then fitted onto a 16:9, square or 9:16 canvas keeps bars of one colour on two opposite
sides. Every window the query is searched with is placed relative to the whole canvas, so the picture inside the bars
is searched at scales and offsets off the grid its crop needs (a crop keeping 70 % of the post's width is 65 % of a
square canvas's width, away from the canvas's edges). `content_box` finds the picture inside such bars, for `rank`
to search it as the query once more when the canvas as given found nothing sure (a letterboxed crop was found 0 times
of 2 in a first look, 2 of 2 searched inside its bars).

Phones fill the bars with the picture itself, enlarged and blurred (a story, a wallpaper): no colour is plain there,
but no line is sharp either. `blurred_box` finds the picture between such bars, searched the same way when there are
no plain bars (in `tests/benchmarks/reuse_recall.py`, 25 of the 29 letterboxed crops without plain bars).

Numpy on a small copy (longest side `SIDE`): about a millisecond.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace

import numpy as np
import numpy.typing as npt
from PIL import Image

from tracker.matching.similarity import PIXELS_AGREE, Candidate, RegionMatch

SIDE = 256
"""Longest side of the copy the bars are looked for in."""

TOLERANCE = 12
"""A line's pixels differ from the bar colour by at most this (largest channel difference, 0-255): JPEG noise."""

PLAIN = 0.98
"""A line is part of a bar when at least this fraction of its pixels is the bar colour."""

MIN_BAR = 0.015
"""Bars at least this thick (a fraction of the side across them) on both of two opposite sides count."""

MIN_CONTENT = 0.2
"""The picture inside the bars keeps at least this fraction of each side, or the bars are the picture's own."""

Box = tuple[float, float, float, float]


def content_box(image: Image.Image) -> Box | None:
    """The picture inside plain bars on two opposite sides (x0, y0, x1, y1 as fractions of `image`), or None.

    Each side's bar is the run of lines from that edge whose pixels nearly all have the colour of the edge's
    outermost line; the bars count when both sides of a pair (top and bottom, or left and right) have one at least
    `MIN_BAR` thick, and what they enclose keeps `MIN_CONTENT` of each side. The other pair's bars are trimmed too
    when there are any (a plain mat all round)."""
    small = _reduced(image)
    pixels = np.asarray(small, dtype=np.int16)
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    h, w = pixels.shape[:2]
    if h < 16 or w < 16:
        return None
    top = _bar(pixels)
    bottom = _bar(pixels[::-1])
    left = _bar(pixels.transpose(1, 0, 2))
    right = _bar(pixels.transpose(1, 0, 2)[::-1])
    rows = top >= MIN_BAR * h and bottom >= MIN_BAR * h
    cols = left >= MIN_BAR * w and right >= MIN_BAR * w
    if not (rows or cols):
        return None
    x0, x1, y0, y1 = left, w - right, top, h - bottom
    if x1 - x0 < MIN_CONTENT * w or y1 - y0 < MIN_CONTENT * h:
        return None
    return (round(x0 / w, 4), round(y0 / h, 4), round(x1 / w, 4), round(y1 / h, 4))


BLURRED = 12.0
"""A pixel is sharp when the grey copy's Laplacian there (4 times the pixel less its four neighbours) exceeds this: a
picture blurred as phones blur the enlarged copy behind it comes out at 2-7 (its 99th percentile), JPEG noise
included; a line of a picture crossing an edge, at 20-300."""

SEGMENTS = 12
"""A phone story's lines are looked at in this many equal segments (`_sharp_lines`)."""

SHARP_SEGMENTS = 6
"""A line of a phone story is sharp (not part of a blurred bar) when at least this many of its segments have sharp
pixels (`BLURRED`, the segment's 99th percentile). A story's stickers and its big outlined text reach past the picture
into the bars: a line across a bar crossing them (and the progress bars) is sharp in 1-5 segments; a line of a
picture, in most. Counted sharp for one sharp pixel, such a line hid the picture between the bars (a dark post over
the blur of itself, its edges lost, a sticker across the bar beside it: `tests/benchmarks/reuse_recall.py --limit
30`). A flat drawing's edge lines are sharp in fewer segments too, which is why a story's bars count only when they
are on all four sides."""

UNCENTRED = 2.0
"""A story's bars above and below its picture are each taken as found when neither is more than this many times as
thick as the other (a story places its picture a third to a half of the way down: 1-1.9 times); a thicker one ran
into the picture's own smooth part (a drawing's white below the figure), and the thinner is taken on both sides."""

CHROME = 0.06
"""A blurred bar may start after sharp lines this close to the edge (a fraction of the side): a story's progress bars
and user name, a phone's status bar, drawn over the blurred copy above the picture."""

MIN_BLURRED_BAR = 0.04
"""Blurred bars are at least this thick (a fraction of the side across them): a vignette, a smooth sky at both edges
of a picture are often thinner."""

SHARP_RUN = 4
"""A blurred bar ends where this many sharp lines follow one another: a line or two of a hard edge in the blurred
copy (where it was cut to the canvas) does not end it."""


def blurred_box(image: Image.Image) -> Box | None:
    """The picture over a blurred enlargement of itself (a phone's story or wallpaper): the part of `image` between
    blurred bars on two opposite sides (fractions, as `content_box`), or None.

    From each edge, the bar is the run of lines without a sharp pixel (`BLURRED`), up to `SHARP_RUN` sharp lines in a
    row. The picture is centred, so the thinner bar of the two is taken on both sides (a picture whose own edge is
    smooth, a wall or a sky, lengthens one of them); it must be at least `MIN_BLURRED_BAR` thick, and what it encloses
    keeps `MIN_CONTENT` of the side. Both pairs are trimmed when both have such bars.

    When that finds bars on two sides only, or none, a phone story's are looked for, and taken when there are bars on
    all four sides: a line crossing a sticker or a line of big text that reaches into a bar is still blurred
    (`_sharp_lines`), the top bar may start below the story's progress bars and user name (`CHROME`), and the bars
    above and below the picture need not be alike."""
    grey = np.asarray(_reduced(image).convert("L"), dtype=np.float64)
    h, w = grey.shape
    if h < 16 or w < 16:
        return None
    laplacian = np.abs(4 * grey[1:-1, 1:-1] - grey[:-2, 1:-1] - grey[2:, 1:-1] - grey[1:-1, :-2] - grey[1:-1, 2:])
    rows, columns = laplacian, laplacian.T
    box, pairs = _between_bars(np.percentile(rows, 99, axis=1) > BLURRED, np.percentile(columns, 99, axis=1) > BLURRED)
    if pairs == 2:
        return box
    story, pairs = _between_bars(_sharp_lines(rows), _sharp_lines(columns), story=True)
    if pairs == 2:
        return story
    return box if box is not None else _across_the_width(grey, laplacian)


TALL = 1.5
"""A canvas at least this many times as tall as it is wide is a phone's (a story is 9:16 or taller)."""

EDGE_STEP = 6
"""Two neighbouring rows differ by more than this (grey levels) where a picture's edge is pasted over a blurred copy."""

EDGE_SHARE = 0.5
"""A row inside a blurred bar is the pasted picture's edge when `EDGE_STEP` is crossed in at least this share of its
width: a blurred copy changes by a level or two from one row to the next (the farthest such row from the picture is
taken: the picture's own edge between its plain part and the rest is a step too)."""


OVERSHOOT = 0.1
"""The pasted edge is looked for at most this far (a fraction of the canvas's height) beyond where the blurred bar
seemed to end: a picture's smooth part lengthens the bar so far; a step farther off is in the blurred copy."""


def _across_the_width(grey: npt.NDArray[np.float64], laplacian: npt.NDArray[np.float64]) -> Box | None:
    """A phone story's picture across (nearly) all its width: blurred bars above and below it only, found as a
    story's are (`_between_bars`), then the bars beside it looked for in those rows alone. None on a canvas not
    phone-shaped (`TALL`), or without bars above and below.

    A picture whose own top or bottom is smooth (a sky, a plain ground) lengthens the bar into it; the row inside the
    bar where the picture was pasted (`EDGE_SHARE`) ends it there instead (a synthetic story lost a tenth of its
    picture so, and its pixels no longer agreed)."""
    h, w = grey.shape
    if h < TALL * w:
        return None
    every = np.ones(w - 2, np.bool_)  # no bars beside: the rows alone are looked at
    box, _ = _between_bars(_sharp_lines(laplacian), every, story=True)
    if box is None:
        return None
    top, bottom = round(box[1] * h), round(box[3] * h)
    edges = np.flatnonzero((np.abs(np.diff(grey, axis=0)) > EDGE_STEP).mean(axis=1) >= EDGE_SHARE)
    chrome, reach = int(CHROME * h), round(OVERSHOOT * h)  # a story's header above, a reply field below
    above = edges[(edges >= max(chrome, top - reach)) & (edges <= top + 1)]  # a line or two of slack either way
    below = edges[(edges >= bottom - 3) & (edges < min(h - chrome, bottom + reach))]
    top = int(above[0]) + 1 if len(above) else top
    bottom = int(below[-1]) + 1 if len(below) else bottom
    band = laplacian[max(0, top - 1) : max(top, bottom - 1)]
    beside, _ = _between_bars(np.ones(len(band), np.bool_), _sharp_lines(band.T))
    x0, x1 = (beside[0], beside[2]) if beside is not None else (0.0, 1.0)
    return (x0, round(top / h, 4), x1, round(bottom / h, 4))


def _between_bars(
    sharp_rows: npt.NDArray[np.bool_], sharp_columns: npt.NDArray[np.bool_], story: bool = False
) -> tuple[Box | None, int]:
    """The part between blurred bars (`blurred_box`) by which lines are sharp, and how many pairs of sides have bars.

    A `story`'s top bar may start after sharp lines at the very edge (`CHROME`), and its bars above and below the
    picture are each taken as found when neither is more than `UNCENTRED` times the other: a story places its picture
    anywhere from a third to a half of the way down."""
    box = [0.0, 0.0, 1.0, 1.0]
    found = 0
    for sharp, (start, end), centred in ((sharp_rows, (1, 3), not story), (sharp_columns, (0, 2), True)):
        size = len(sharp) + 2  # the Laplacian leaves out the first and last line
        least = MIN_BLURRED_BAR * size
        runs = [_blurred_bar(line, least) if story else _blurred_run(line) for line in (sharp, sharp[::-1])]
        if not centred and max(runs) <= UNCENTRED * min(runs):
            first, last = runs[0] + 1, runs[1] + 1  # the Laplacian's first line is the second
        else:
            first = last = min(runs) + 1
        if min(first, last) >= least and size - first - last >= MIN_CONTENT * size:
            box[start], box[end] = round(first / size, 4), round((size - last) / size, 4)
            found += 1
    return ((box[0], box[1], box[2], box[3]) if found else None), found


def _sharp_lines(laplacian: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Which rows of `laplacian` are sharp: at least `SHARP_SEGMENTS` of their `SEGMENTS` segments have sharp pixels."""
    parts = np.array_split(laplacian, SEGMENTS, axis=1)
    sharp = sum((np.percentile(part, 99, axis=1) > BLURRED).astype(np.int64) for part in parts if part.shape[1])
    return np.asarray(sharp) >= SHARP_SEGMENTS


def _blurred_bar(sharp: npt.NDArray[np.bool_], least: float) -> int:
    """How many lines from the start the blurred bar takes (`_blurred_run`), or, when sharp lines at the very edge
    (`CHROME`: a story's progress bars and user name) are followed by a blurred run at least `least` lines long, the
    lines up to that run's end."""
    run = _blurred_run(sharp)
    chrome = int(CHROME * len(sharp))
    edge = np.flatnonzero(sharp[:chrome])
    if run >= chrome or not len(edge):
        return run
    after = int(edge[-1]) + 1
    beyond = _blurred_run(sharp[after:])
    return after + beyond if beyond >= least else run


def _blurred_run(sharp: npt.NDArray[np.bool_]) -> int:
    """How many lines from the start come before the first `SHARP_RUN` sharp lines in a row (all of them: none)."""
    run = 0
    for at, line in enumerate(sharp.tolist()):
        run = run + 1 if line else 0
        if run == SHARP_RUN:
            return at + 1 - SHARP_RUN
    return len(sharp)


def _bar(pixels: npt.NDArray[np.int16]) -> int:
    """How many lines from the top of `pixels` (h, w, channels) are plain in the colour of the first line."""
    colour = np.median(pixels[0], axis=0)
    close = np.abs(pixels - colour).max(axis=2) <= TOLERANCE
    plain = close.mean(axis=1) >= PLAIN
    if not plain[0]:
        return 0
    broken = np.flatnonzero(~plain)
    return int(broken[0]) if len(broken) else len(plain)


def _reduced(image: Image.Image) -> Image.Image:
    """An RGB or grey copy, its longest side at most `SIDE` (box-averaged: a bar stays its colour)."""
    picture = image if image.mode in ("RGB", "L") else image.convert("RGB")
    if max(picture.size) <= SIDE:
        return picture
    scale = SIDE / max(picture.size)
    return picture.resize(
        (max(1, round(picture.width * scale)), max(1, round(picture.height * scale))), Image.Resampling.BOX
    )


def cropped(image: Image.Image, box: Box) -> Image.Image:
    """The part of `image` at `box` (fractions), the bars trimmed."""
    w, h = image.size
    return image.crop((round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h)))


def as_given(inner: Box, box: Box) -> Box:
    """A box of the picture inside the bars (fractions of it) as fractions of the whole canvas."""
    bw, bh = box[2] - box[0], box[3] - box[1]
    x0, y0, x1, y1 = (
        box[0] + inner[0] * bw,
        box[1] + inner[1] * bh,
        box[0] + inner[2] * bw,
        box[1] + inner[3] * bh,
    )
    return (round(x0, 4), round(y0, 4), round(x1, 4), round(y1, 4))


@dataclass(frozen=True)
class InsideBarsCandidate(Candidate):
    """A candidate found only when the picture inside the plain bars (`content_box`) was searched as the query."""

    inside: Box = (0.0, 0.0, 1.0, 1.0)
    """Where the picture inside the bars lies in the picture as given (fractions)."""
    inner_region: RegionMatch | None = None
    """`region` as found: its query box a fraction of the picture inside the bars."""
    blurred: bool = False
    """The bars are a blurred copy of the picture (`blurred_box`), not plain."""

    @property
    def reason(self) -> str:
        """Why it matches, said of the picture inside the bars (what was searched): "the picture is a part of the
        post", not "a part of the picture matches a part of the post" of the canvas with its bars."""
        if self.inner_region is None:
            return super().reason
        return Candidate.reason.fget(replace(self, region=self.inner_region))  # type: ignore[attr-defined]

    @property
    def bars_note(self) -> str:
        """How it was found, e.g. "found in the picture inside its plain bars (86 % of its width)" (or "blurred bars",
        "86 % of its height": the side the bars cut)."""
        width, height = (round(100 * (self.inside[k + 2] - self.inside[k])) for k in (0, 1))
        kind = "blurred" if self.blurred else "plain"
        side = f"{width} % of its width" if width < 100 or height == 100 else f"{height} % of its height"
        return f"found in the picture inside its {kind} bars ({side})"

    @property
    def matched(self) -> list[str]:
        """The lines of `Candidate.matched`, then how it was found."""
        return [*super().matched, self.bars_note]


Search = Callable[[Image.Image], list[Candidate]]
"""Searches a picture as the query (hashes, index, pixel check), its candidates best first."""


def inside_bars(image: Image.Image, search: Search) -> list[Candidate]:
    """The candidates of the picture inside plain bars (`content_box`), or else blurred ones (`blurred_box`), searched
    as the query, whose pixels agree (`PIXELS_AGREE`), their matched part placed in the picture as given; none when it
    has no such bars."""
    box = content_box(image)
    blurred = box is None
    if box is None:
        box = blurred_box(image)
    if box is None:
        return []
    out: list[Candidate] = []
    for c in search(cropped(image, box)):
        if c.pixel_check is None or c.pixel_check < PIXELS_AGREE:
            continue
        values = {f.name: getattr(c, f.name) for f in fields(Candidate)}
        if c.region is not None:
            r = c.region
            values["region"] = RegionMatch(r.image_box, as_given(r.query_box, box), r.distance, r.proposal, r.mirrored)
        out.append(InsideBarsCandidate(**values, inside=box, inner_region=c.region, blurred=blurred))
    return out
