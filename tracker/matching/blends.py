"""Two posts blended into one picture (a crossfade's middle frame, a double exposure): the second one found in what
is left once the first is taken out.

A 45/55 crossfade of two posts hashes like the stronger one (its pixels agreeing only partly, 0.78-0.93) and hardly
like the weaker one (0.25-0.5): only one was reported. When the best candidate's pixels were compared and do not say
it is a copy (`COPY`), its archived picture is fitted to the query by least squares (query = a + share x post,
over the whole picture); a share between `LEAST_SHARE` and `MOST_SHARE` is a blend, and what is left,
(query - share x post) / (1 - share), is searched as the query; a match so found is kept when its pixels agree with
what is left, and says so. A copy (share near 1), a post shown inside a screenshot (near 0) or a post whose pixels
agree at `COPY` pays nothing more.

A crossfade can also hash like neither post well enough to report one (the closer 0.35-0.48): then nothing was
compared to start from. When nothing was reported, `weakly_blended` tries the best whole-picture candidates below
`MATCH_SCORE` (at least `WEAKEST`, at most `TRIED` of them) the same way, and keeps what it finds only when each
post is found, its pixels agreeing, in what is left once the other is taken out: two searches, one pixel check per
post.

Numpy on a copy at most `SIDE` pixels on its longest side: a few milliseconds, then one search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np
import numpy.typing as npt
from PIL import Image

from tracker.matching.similarity import MATCH_SCORE, PIXELS_AGREE, Candidate
from tracker.matching.verify import Pixels, read_archived

Search = Callable[[Image.Image], list[Candidate]]
"""Searches a picture as the query (hashes, index, pixel check), its candidates best first."""

LEAST_SHARE = 0.25
"""The found post makes at least this share of the picture (the least-squares fit): a blend, not a post shown in a
part of a larger picture (a screenshot's share is near 0)."""

MOST_SHARE = 0.75
"""The found post makes at most this share of the picture: more is an edited copy (text over it, colours changed),
and what is left would be mostly JPEG noise made `1 / (1 - share)` times louder."""

SIDE = 512
"""Longest side of the copies the blend is fitted and taken apart on (the search hashes smaller)."""

COPY = 0.95
"""The best candidate's pixels agree at least this (`verify`'s whole-picture correlation): a copy, not taken apart.
Below it a blend is looked for (`share`): a half-and-half crossfade's stronger post agrees 0.90-0.93 (sure,
`PIXELS_SURE`, though it is only half the picture). Looking costs a few milliseconds on the picture the pixel check
has just read, and a search only when its share is a blend's."""

WEAKEST = 0.3
"""A whole-picture candidate scoring at least this (below `MATCH_SCORE`) may be one post of a crossfade that hashes
like neither well: in 45/55 crossfades of corpus pictures, the closer post scored 0.35-0.48, unrelated posts 0.21 at
the most."""

TRIED = 2
"""How many such candidates are tried, best first (each costs reading its picture, and a search when it fits)."""


def share(query: Image.Image, post: Image.Image) -> float:
    """How much of `post` the whole `query` is made of: the least-squares slope of the query's pixels on the post's
    (both RGB, the post resized to the query), 1 for a copy, 0 for an unrelated picture."""
    q, p = _pixels(query, query.size), _pixels(post, query.size)
    qc, pc = q - q.mean(), p - p.mean()
    spread = float((pc * pc).sum())
    return float((qc * pc).sum()) / spread if spread > 0 else 0.0


def left_over(query: Image.Image, post: Image.Image, part: float) -> Image.Image:
    """What is left of `query` once `post` at `part` of it is taken out: (query - part x post) / (1 - part)."""
    q, p = _pixels(query, query.size), _pixels(post, query.size)
    rest = (q - part * p) / (1.0 - part)
    return Image.fromarray(np.clip(np.rint(rest), 0, 255).astype(np.uint8), "RGB")


def _pixels(image: Image.Image, size: tuple[int, int]) -> npt.NDArray[np.float64]:
    """`image` as RGB floats at `size` shrunk to at most `SIDE` on its longest side."""
    scale = min(1.0, SIDE / max(size))
    target = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return np.asarray(rgb.resize(target, Image.Resampling.BILINEAR), dtype=np.float64)


@dataclass(frozen=True)
class BlendedCandidate(Candidate):
    """A candidate found only in what was left of the picture once another post blended into it was taken out."""

    explains: ClassVar[bool] = False
    blended_with: int = 0
    """The image id of the post found first, blended into the picture with this one."""
    part: float = 0.5
    """The share of the picture that post makes (`share`)."""

    @property
    def matched(self) -> list[str]:
        """The lines of `Candidate.matched`, then how it was found, e.g. "found blended with image #4 (55 % of the
        picture): a crossfade or double exposure of the two, searched once #4 was taken out"."""
        first = self.blended_with
        return [
            *super().matched,
            f"found blended with image #{first} ({round(100 * self.part)} % of the picture): a crossfade or double"
            f" exposure of the two, searched once #{first} was taken out",
        ]


def blended(image: Image.Image, found: list[Candidate], pixels: Pixels, search: Search) -> list[Candidate]:
    """The candidates of what is left of `image` once the best of `found` is taken out (`left_over`), when it makes
    a blend's share of it (`share`) and its pixels were compared and did not say it is a copy; those whose pixels
    agree with what is left, other than that post. None otherwise."""
    if not found or found[0].pixel_check is None or found[0].pixel_check >= COPY:
        return []  # (not compared: its picture was not read, and the hashes alone say too little to take it out)
    return _taken_out(image, found[0].id, pixels, search)


def weakly_blended(image: Image.Image, weak: list[Candidate], pixels: Pixels, search: Search) -> list[Candidate]:
    """Both posts of a crossfade that hashes like neither well enough to be reported: for each of the best `TRIED`
    of `weak` (whole-picture candidates, best first) scoring between `WEAKEST` and `MATCH_SCORE`, the candidates of
    what is left once it is taken out (as `blended` takes out a reported one); the best of those is taken out in
    turn, and what is left then must show a post too. Both found, their pixels agreeing each time, are returned,
    each saying which it was blended with; one alone says too little, and none is returned."""
    tried = [c for c in weak if c.kind == "whole" and WEAKEST <= c.score < MATCH_SCORE][:TRIED]
    for first in tried:
        second = _taken_out(image, first.id, pixels, search)
        if second:
            back = _taken_out(image, second[0].id, pixels, search)
            if back:
                return [second[0], *back]
    return []


def _taken_out(image: Image.Image, first: int, pixels: Pixels, search: Search) -> list[Candidate]:
    """The candidates of what is left of `image` once the archived picture of image `first` is taken out, when it
    makes a blend's share of it (`LEAST_SHARE` to `MOST_SHARE`); those whose pixels agree with what is left, other
    than `first`. None when its picture cannot be read or makes no blend's share."""
    post = read_archived(pixels, first)
    if post is None:
        return []
    part = share(image, post)
    if not LEAST_SHARE <= part <= MOST_SHARE:
        return []
    out: list[Candidate] = []
    for c in search(left_over(image, post, part)):
        if c.id == first or c.pixel_check is None or c.pixel_check < PIXELS_AGREE:
            continue
        values = {f.name: getattr(c, f.name) for f in fields(Candidate)}
        out.append(BlendedCandidate(**values, blended_with=first, part=round(part, 2)))
    return out
