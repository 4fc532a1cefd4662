"""One picture against the index: hash it, search, and check the best candidates' pixels.

The whole path `tracker match` takes from a decoded image to ranked candidates, without the
database (the caller says how to get a stored image's archived picture), so the accuracy
benchmarks measure exactly what users get.
"""

from __future__ import annotations

import numpy as np
from PIL.Image import Image as PILImage

from tracker.matching import crops, hashing, verify
from tracker.matching.similarity import MATCH_SCORE, Candidate, MatchIndex


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
    """
    query = hashing.query_hashes(image, regions=regions)  # a whole-image search hashes no windows
    if pixels is None:
        return index.search(query, top=top, regions=regions, min_score=min_score)
    # Region matches just below the score are proposals the pixels may confirm (a crop); one
    # spare per checked candidate, so a rejected one does not shorten the list.
    proposed = min(min_score, crops.PROPOSED)
    found = verify.check(
        index.search(query, top=top + verify.CHECK_TOP, regions=regions, min_score=proposed),
        image,
        pixels,
        _rectangles(query),
    )
    return [c for c in found if c.score >= min_score][:top]


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
