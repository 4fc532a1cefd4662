"""The whole-picture check for crops: is the complaint image really a cut-out of the post?

A region match pairs a window of the query with a window of a stored image. When the query is
a crop of the post (any part of it, any aspect ratio, resized or not), that one pair fixes where
the whole query lies in the post: `crop_frame` maps the query's frame through the pair. Two
windows agreeing by chance (two flat skies, two pose maps) say nothing about the rest of the
pictures, so the check compares **every** part of the query with the part of the post the pair
puts it on: both as `GRID` x `GRID` grey cells, compared on structure (less a plane fitted to
each 4 x 4 block: `detail`) by normalised correlation, and only where both have structure in at
least `MIN_STRUCTURED` of those blocks (`structured`). The hashes place the frame to a few per
cent in position and size, so the frame is searched around where they put it, coarse then fine
(`frame_correlation`).

A true crop comes out at 0.9-1.0 (JPEG, resizing and small edits included); a chance agreement
of windows, where the rest of the pictures differ, far lower. `verify.check` turns the result
into the answer: confirmed crops score by their correlation (`crop_score`), refuted ones are
dropped. Numpy and Pillow only: a few milliseconds per candidate once its picture is decoded.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
from PIL import Image

from tracker.matching import hashing
from tracker.matching.similarity import MATCH_SCORE, RegionMatch

Box = tuple[float, float, float, float]
F64 = npt.NDArray[np.float64]

GRID = 32
"""Cells per side the whole query and its frame in the post are compared on."""
COARSE_GRID = 16
"""Cells per side of the first, wide search for the frame."""
OUTSIDE = 0.05
"""How far (fraction of the post) the implied frame may reach past the post's edges and still be a crop."""
OUTSIDE_LOOSE = 0.15
"""How far it may reach and still be looked for as a crop that can only be confirmed, never refuted: a crop
flush with a corner of the post, matched through a stretched window, is placed a few per cent outside it."""
ASPECT_SLACK = 0.5
"""A crop keeps the pixels' shape: the pair's scale factors across and down may differ by this much
(window sizes come in steps of 7-15 % and pHash forgives some more, so a true pair's factors can differ by a third)."""
PROPOSED = 0.3
"""Region matches scoring at least this (below `MATCH_SCORE` too) are checked when they say crop."""
CONFIRMED = 0.8
"""Whole-picture correlation at which the query is a crop of the post; it scores `MATCH_SCORE` there."""
REFUTED = 0.55
"""Whole-picture correlation below which the region match was chance: the candidate is dropped."""
FLAT = 3.0
"""A query whose grid varies less than this (0-255) in structure (`detail`) cannot be checked."""
TEXTURE = 2.5
"""A 4 x 4 block of a grid has structure when it varies at least this much (RMS, 0-255) about its plane."""
MIN_STRUCTURED = 5
"""Blocks (of 16) that must have structure in both pictures for a correlation to say anything (`structured`)."""

_WHOLE: Box = (0.0, 0.0, 1.0, 1.0)


def crop_frame(
    region: RegionMatch, query_size: tuple[int, int], stored_size: tuple[int, int], outside: float = OUTSIDE
) -> Box | None:
    """Where the whole query lies in the post if the matched windows say it is a crop of it, else None.

    A crop keeps the pixels' shape, so the frame is given the query's aspect ratio: the pair's
    two scale factors (pixels of the post per pixel of the query, across and down) are averaged,
    and a pair whose factors differ by more than `ASPECT_SLACK` is no crop. None too when the
    frame reaches more than `outside` past the post (the post is inside the query: a screenshot, a collage).
    """
    scales = _scales(region, query_size, stored_size)
    if scales is None or not _unstretched(*scales):
        return None
    across, down = scales
    (qw, qh), (sw, sh) = query_size, stored_size
    sx0, sy0, sx1, sy1 = region.image_box
    qx0, qy0, qx1, qy1 = region.query_box
    kx, ky = (sx1 - sx0) / (qx1 - qx0), (sy1 - sy0) / (qy1 - qy0)
    scale = float(np.sqrt(across * down))
    # Where the query's centre lands in the post, and the frame's size there (fractions of the post).
    cx, cy = sx0 + (0.5 - qx0) * kx, sy0 + (0.5 - qy0) * ky
    w, h = qw * scale / sw, qh * scale / sh
    frame = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    if min(frame[0], frame[1]) < -outside or max(frame[2], frame[3]) > 1 + outside:
        return None
    return _inside(frame)


def _scales(
    region: RegionMatch, query_size: tuple[int, int], stored_size: tuple[int, int]
) -> tuple[float, float] | None:
    """Pixels of the post per pixel of the query, across and down, that the matched windows imply."""
    sx0, sy0, sx1, sy1 = region.image_box
    qx0, qy0, qx1, qy1 = region.query_box
    (qw, qh), (sw, sh) = query_size, stored_size
    if min(qx1 - qx0, qy1 - qy0, sx1 - sx0, sy1 - sy0) <= 0 or min(qw, qh, sw, sh) <= 0:
        return None
    return (sx1 - sx0) * sw / ((qx1 - qx0) * qw), (sy1 - sy0) * sh / ((qy1 - qy0) * qh)


def in_shape(region: RegionMatch, query_size: tuple[int, int], stored_size: tuple[int, int]) -> bool:
    """Do the matched windows keep the pixels' shape (within `ASPECT_SLACK`)?

    A crop, a screenshot or a collage shows the post's pixels unstretched; windows that only
    agree with one picture squeezed to half its width (two flat shapes, say) show nothing reused.
    """
    scales = _scales(region, query_size, stored_size)
    return scales is not None and _unstretched(*scales)


def _unstretched(across: float, down: float) -> bool:
    return abs(float(np.log(across / down))) <= float(np.log1p(ASPECT_SLACK))


def _inside(frame: Box) -> Box:
    """The frame moved (and if need be shrunk, keeping its shape) to lie within the picture."""
    x0, y0, x1, y1 = frame
    shrink = min(1.0, 1.0 / max(x1 - x0, y1 - y0))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = (x1 - x0) * shrink, (y1 - y0) * shrink
    cx, cy = min(max(cx, w / 2), 1 - w / 2), min(max(cy, h / 2), 1 - h / 2)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _residual(means: F64, grid: int) -> F64:
    """(n, grid * grid) grey means less a plane fitted to each of their 4 x 4 blocks (least squares).

    A block's mean and its slopes across and down are taken out, so a smooth gradient leaves
    nothing: what is left is structure (edges, shapes, texture), which is what two pictures
    must share to be the same picture.
    """
    n = len(means)
    block = grid // 4
    cells = means.reshape(n, 4, block, 4, block)
    offset = np.arange(block, dtype=np.float64) - (block - 1) / 2
    norm = float((offset**2).sum()) * block
    down = offset[None, None, :, None, None]
    across = offset[None, None, None, None, :]
    mean = cells.mean(axis=(2, 4), keepdims=True)
    slope_down = (cells * down).sum(axis=(2, 4), keepdims=True) / norm
    slope_across = (cells * across).sum(axis=(2, 4), keepdims=True) / norm
    return (cells - mean - slope_down * down - slope_across * across).reshape(n, grid * grid)


def detail(means: F64, grid: int) -> F64 | None:
    """(n, grid, grid) grey means as their structure (`_residual`: less a plane per 4x4 block), each
    flattened and scaled to unit norm, so that the dot product of two is their correlation on
    structure (two smooth gradients are not alike for being smooth); None when the first (the
    query) is flat (`FLAT`)."""
    residual = _residual(means, grid)
    spread = np.sqrt((residual**2).mean(axis=1))
    if spread[0] < FLAT:
        return None
    return residual / (np.maximum(spread, 1e-9) * grid)[:, None]


def structured(means: F64, grid: int) -> npt.NDArray[np.bool_]:
    """(n, 16): which of each window's 4 x 4 blocks has structure (`_residual` RMS at least `TEXTURE`)."""
    n = len(means)
    block = grid // 4
    residual = _residual(means, grid).reshape(n, 4, block, 4, block)
    return np.sqrt((residual**2).mean(axis=(2, 4))).reshape(n, 16) >= TEXTURE


@lru_cache(maxsize=4)
def _moves(steps: int, step: float, scales: tuple[float, ...]) -> F64:
    """(n, 3) frame changes: centre shifts across and down (fractions of the frame's size) and a scale factor."""
    shifts = np.arange(-steps, steps + 1) * step
    dx, dy, sc = np.meshgrid(shifts, shifts, scales, indexing="ij")
    return np.stack([dx.ravel(), dy.ravel(), sc.ravel()], axis=1)


def _moved(frame: Box, moves: F64) -> F64:
    """The frame shifted and scaled about its centre by each move, each kept inside the picture (`_inside`)."""
    x0, y0, x1, y1 = frame
    w, h = x1 - x0, y1 - y0
    half_w = np.minimum(w * moves[:, 2], 1.0) / 2
    half_h = np.minimum(h * moves[:, 2], 1.0) / 2
    cx = np.clip((x0 + x1) / 2 + moves[:, 0] * w, half_w, 1 - half_w)
    cy = np.clip((y0 + y1) / 2 + moves[:, 1] * h, half_h, 1 - half_h)
    return np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], axis=1)


def _best(query: F64, integral: npt.NDArray[np.int32], boxes: F64, grid: int) -> tuple[float, Box]:
    means = hashing.grid_means(integral, boxes, grid, grid)
    grids = detail(np.concatenate([query[None], means]), grid)
    if grids is None:
        return 0.0, (0.0, 0.0, 1.0, 1.0)
    scores = grids[1:] @ grids[0]
    best = int(np.argmax(scores))
    x0, y0, x1, y1 = (float(v) for v in boxes[best])
    return float(scores[best]), (x0, y0, x1, y1)


def frame_correlation(query: Image.Image, stored: Image.Image, frame: Box, *more: Box) -> tuple[float, Box] | None:
    """Best correlation of the whole query with the post around `frame` (or around any of `more`, each searched
    on its own, both pictures read once), and the frame that gave it.

    None when the query is too flat to tell, or when fewer than `MIN_STRUCTURED` blocks have
    structure in both it and the frame found. The frame is searched coarse (shifts up to 8 % of
    its size, sizes 7 % apart) then fine around the best, always with the query's shape.
    """
    q_integral = hashing.integral_image(hashing.working_grey(query))
    s_integral = hashing.integral_image(hashing.working_grey(stored))
    tried = (_frame_search(q_integral, s_integral, start) for start in (frame, *more))
    return max((found for found in tried if found is not None), key=lambda found: found[0], default=None)


def _frame_search(
    q_integral: npt.NDArray[np.int32], s_integral: npt.NDArray[np.int32], frame: Box
) -> tuple[float, Box] | None:
    found: tuple[float, Box] | None = None
    for grid, steps, step, scales in (
        (COARSE_GRID, 4, 0.02, (0.86, 0.93, 1.0, 1.07, 1.15)),
        (GRID, 1, 0.01, (0.975, 1.0, 1.025)),
    ):
        whole = hashing.grid_means(q_integral, np.asarray([_WHOLE]), grid, grid)[0]
        if detail(whole[None], grid) is None:
            return None
        start = frame if found is None else found[1]
        found = _best(whole, s_integral, _moved(start, _moves(steps, step, scales)), grid)
    if found is None:
        return None
    # Too little structure in both (a flat page and a smooth gradient, each with one edge) proves nothing.
    means = np.concatenate([whole[None], hashing.grid_means(s_integral, np.asarray([found[1]]), GRID, GRID)])
    blocks = structured(means, GRID)
    return found if int((blocks[0] & blocks[1]).sum()) >= MIN_STRUCTURED else None


def crop_score(correlation: float) -> float:
    """The score of a crop checked at this correlation: `MATCH_SCORE` at `CONFIRMED`, 1 at a perfect match."""
    return float(min(1.0, max(0.0, MATCH_SCORE + (1 - MATCH_SCORE) * (correlation - CONFIRMED) / (1 - CONFIRMED))))
