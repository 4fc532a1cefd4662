"""A tilted picture searched again turned back upright: a photographed screen, a screenshot of a post pasted askew.

Hashes and the pixel check compare pictures upright (`hashing`, `verify`): a post tilted by 2-3 degrees loses its
windows' hashes, and often its whole picture's too (a reviewer's photographs of screens and tilted screenshots were
found about half the time). When the search finds nothing "high" or better, `rank` hands the picture here: it is
turned by each of a few small angles and searched again, whole first (`WHOLE_TURNS`, a few milliseconds
each), then by its regions (`REGION_TURNS`, the costly pass) unless a turn already found a post "high" or better.

A match found only so obeys the same pixel check and confidence rules as any other, and is kept only when its
pixels were compared and agree (`verify.CONFIRMED`): each turn is another chance for hashes to agree by chance,
so the pixels decide; without archived pictures to compare, no turn is tried. It says how it was found
(`TurnedCandidate.reason`: "found with the picture turned 2° clockwise"), and its matched part of the picture is
placed in the picture as given (the whole turned picture stays the whole picture: a crop of the post, say).

Numpy and Pillow only. A picture that finds its post at once pays nothing; one that finds nothing (an unrelated
picture) pays the turned searches: about 0.75 s at 100,000 posts, the whole-picture ones 0.04 s of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import partial

import numpy as np
from PIL import Image

from tracker.matching import hashing
from tracker.matching.hashing import QueryHashes
from tracker.matching.parallel import on_two_threads
from tracker.matching.similarity import PIXELS_AGREE, Candidate, RegionMatch

Box = tuple[float, float, float, float]
Search = Callable[[QueryHashes, Image.Image, bool], list[Candidate]]
"""One search of the index for a picture's hashes, with its region search or not, its best candidates' pixels
checked against the picture."""

WHOLE_TURNS = (-2.0, 2.0, -3.0, 3.0, -1.0, 1.0, -4.0, 4.0)
"""Degrees (counter-clockwise) the picture is turned by for the whole-picture search, the likeliest tilts first: a
few milliseconds each. A post tilted alone 3 degrees was found in 25 of 30 corpus pictures (14 "high"), turned 30
(30); at 4 degrees 19 (1), turned 30 (30)."""
REGION_TURNS = (-2.5, 2.5)
"""Degrees the picture is turned by for the region search (a post tilted inside a page, a photographed screen): its
windows' hashes forgive about a degree, so 2.5 covers tilts of about 1.5 to 3.5. On 30 corpus pictures each, tilted
inside a page 3 degrees: found 10 as given, 30 turned by these; photographed 3 degrees: 11, 29. Turning by -3, -2,
2 and 3 found 10 more of 360 such queries tilted 1-4 degrees (8 of them at 4), for twice the time: an unrelated
picture took 1.4 s longer at 100,000 posts, not 0.75 s."""
WORK_SIDE = 1024
"""The longer side the picture is reduced to before it is turned for the region search: the hashes work on 256
pixels (`hashing.WORK_SIZE`), the rectangles where a picture sits are looked for on 512 (`hashing.PROPOSAL_SHORT_SIDE`),
and a post inside a page keeps enough pixels for the pixel check."""
WHOLE_SIDE = 512
"""The same for the whole-picture search: its hashes and pixel check (`verify`) see 256 pixels."""
GUESSED_WINDOWS = False
"""Whether a turned region search keeps the windows guessed inside square tiles (`hashing.thumbnail_windows`: a post
cropped to a square thumbnail). They are two thirds of a turned picture's windows and of its search's time (0.36 s
of 0.42 at 100,000 posts), and found no tilted post the other windows missed: 20 corpus posts tilted 3, -2 and 4
degrees alone, in a desktop page and in a phone page were found 60, 56 and 58 times of 60 with them and without,
5 unlogged ones reported by neither; `matching.py --limit 80` gave the same table."""
FOUND = ("certain", "high")
"""A turned search that finds a post this sure ends the turning (`rank._FOUND` for the search as given)."""


@dataclass(frozen=True)
class TurnedCandidate(Candidate):
    """A candidate found only with the picture turned by `turned` degrees (counter-clockwise) first."""

    turned: float = 0.0

    @property
    def turn_note(self) -> str:
        """How it was found, e.g. "found with the picture turned 2° clockwise"."""
        return f"found with the picture turned {describe_turn(self.turned)}"

    @property
    def reason(self) -> str:
        """Why it matches, and that the picture had to be turned to see it."""
        return f"{super().reason} ({self.turn_note})"

    @property
    def matched(self) -> list[str]:
        """The lines of `Candidate.matched`, one of them saying the picture was turned (the reason's line, or its own
        when no line quotes the reason: a crop whose pixels alone confirmed it)."""
        out = super().matched
        return out if any(self.turn_note in line for line in out) else [*out, self.turn_note]


def describe_turn(degrees: float) -> str:
    """A turn in words: "2° clockwise" for -2 (Pillow turns counter-clockwise by a positive angle)."""
    way = "anticlockwise" if degrees > 0 else "clockwise"
    return f"{abs(degrees):g}° {way}"


def turned_matches(image: Image.Image, search: Search, regions: bool) -> list[Candidate]:
    """The candidates found with `image` turned by each of a few small angles, their pixels confirmed.

    Whole-picture searches first, for every angle of `WHOLE_TURNS`; then, unless one found a post "high" or better
    and `regions` is asked, region searches for `REGION_TURNS`, stopping at the first that finds one."""
    region_copy = _reduced(image, WORK_SIDE)
    small = {True: region_copy, False: _reduced(region_copy, WHOLE_SIDE)}
    fill = _border_colour(small[False])
    out: list[Candidate] = []
    passes = [(angle, False) for angle in WHOLE_TURNS]
    if regions:
        passes += [(angle, True) for angle in REGION_TURNS]
    # Every turned picture first, two at a time (Pillow lets go of the interpreter while it turns one): the turns are
    # a fifth of the whole-picture passes' time, and the searches need them one after another. The region passes'
    # are made too, in vain only when a whole-picture pass finds a post.
    pictures = on_two_threads([partial(turned, small[with_regions], angle, fill) for angle, with_regions in passes])
    for (angle, with_regions), (picture, crop) in zip(passes, pictures, strict=True):
        if with_regions and any(c.confidence in FOUND for c in out):
            break
        # Without the stretched windows (crops that change the post's shape): they found no more tilted posts
        # (turned -3, -2, 2, 3: 356 of 360 corpus queries with them, 355 without), and are most of the windows.
        # The rectangles where a picture seems to sit (`hashing.proposal_windows`) are kept: without them a post
        # tilted inside a page was found 20 times of 30 at 3 degrees, not 30.
        # Nor the windows guessed inside square tiles (`GUESSED_WINDOWS`): not hashed, rather than hashed and dropped.
        query = hashing.query_hashes(picture, regions=with_regions, stretched=False, guessed=GUESSED_WINDOWS)
        for c in search(query, picture, with_regions):
            if c.pixel_check is not None and c.pixel_check >= PIXELS_AGREE:
                out.append(_as_turned(c, angle, crop, picture.size, small[with_regions].size))
    return out


def turned(image: Image.Image, degrees: float, fill: tuple[int, ...]) -> tuple[Image.Image, Box]:
    """The picture turned by `degrees` about its centre, cut to the upright rectangle a picture tilted that much
    (`rotate(expand=True)`) was before its tilt: the corners the tilt filled are cut off, as is about as much of a
    photograph cropped by its frame. The cut is returned in pixels of the turned picture (same size as the given)."""
    w, h = image.size
    colour = fill[0] if image.mode == "L" else fill
    rotated = image.rotate(degrees, Image.Resampling.BICUBIC, expand=False, fillcolor=colour)
    c, s = math.cos(math.radians(abs(degrees))), math.sin(math.radians(abs(degrees)))
    inner_w, inner_h = (w * c - h * s) / (c * c - s * s), (h * c - w * s) / (c * c - s * s)
    if inner_w < w / 2 or inner_h < h / 2:  # a very long strip: cutting would lose most of it
        return rotated, (0.0, 0.0, float(w), float(h))
    x0, y0, x1, y1 = (round(v) for v in ((w - inner_w) / 2, (h - inner_h) / 2, (w + inner_w) / 2, (h + inner_h) / 2))
    return rotated.crop((x0, y0, x1, y1)), (float(x0), float(y0), float(x1), float(y1))


def _as_turned(
    candidate: Candidate, degrees: float, crop: Box, size: tuple[int, int], given: tuple[int, int]
) -> Candidate:
    """The candidate found in the turned picture, said to be so, its matched part placed in the picture as given."""
    values = {f.name: getattr(candidate, f.name) for f in fields(Candidate)}
    region = candidate.region
    if region is not None and region.query_box != (0.0, 0.0, 1.0, 1.0):
        values["region"] = RegionMatch(
            region.image_box,
            _box_as_given(region.query_box, degrees, crop, size, given),
            region.distance,
            region.proposal,
            region.mirrored,
        )
    return TurnedCandidate(**values, turned=degrees)


def _box_as_given(box: Box, degrees: float, crop: Box, size: tuple[int, int], given: tuple[int, int]) -> Box:
    """A box of the turned, cut picture (fractions of it) as the upright rectangle around it in the picture as given
    (fractions of that): its corners turned back about the centre."""
    (cw, ch), (w, h) = size, given
    t = math.radians(degrees)
    cos, sin = math.cos(t), math.sin(t)
    xs, ys = [], []
    for fx, fy in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = crop[0] + fx * cw - w / 2, crop[1] + fy * ch - h / 2
        xs.append((w / 2 + dx * cos - dy * sin) / w)
        ys.append((h / 2 + dx * sin + dy * cos) / h)
    x0, y0, x1, y1 = (round(min(1.0, max(0.0, v)), 4) for v in (min(xs), min(ys), max(xs), max(ys)))
    return (x0, y0, x1, y1)


def _reduced(image: Image.Image, side: int) -> Image.Image:
    """The picture in RGB or grey, its longer side at most `side`: turning it costs milliseconds."""
    picture = image if image.mode in ("RGB", "L") else image.convert("RGB")
    if max(picture.size) <= side:
        return picture
    scale = side / max(picture.size)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return picture.resize(size, Image.Resampling.BOX)


def _border_colour(image: Image.Image) -> tuple[int, ...]:
    """The median colour of the picture's outermost pixels: the corners a turn uncovers are filled with it, so they
    read as the page or the tilt's own fill around the post, not as an edge of their own."""
    pixels = np.asarray(image)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    median = np.median(border, axis=0)
    return tuple(int(v) for v in np.atleast_1d(median))
