"""The cells of a grid of pictures (a phone's profile grid, a desktop's gallery, a collage) from a few found.

`screenshots.propose` finds rectangles bounded by long straight colour steps. In a grid, those that span
several cells outnumber and outrank the cells themselves, a cell whose picture does not step against its
gutter bounds nothing, and an outer column of a phone's grid steps against nothing but the screenshot's
own edge. Where a few proposals of one size lie side by side in rows and columns (`grid_groups`), the
grid's pitch places its other cells (`grid_cells`), and how many it holds (`grid_tiles`) tells the owner
how many pictures a match should account for.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Box = tuple[float, float, float, float]

SAME_BOX = 0.95
"""Proposals overlapping a better one by more than this (intersection over union) are dropped."""

GRID_SAME = 0.015
"""Proposals whose widths and heights (fractions of the image) differ by less than this are one cell size."""

GRID_SAME_CELL = 0.8
"""Proposals of one size overlapping this much (intersection over union) are one cell."""

GRID_MAX = 40
"""Grid cells added at most (`grid_cells`)."""

GRID_OUTSIDE = 0.1
"""A grid's outer cell may reach past the picture's edge by this fraction of its size (the cells' size and
places are measured to a pixel of the small copy, several of the picture's): it is cut at the edge."""

GRID_GAP = 0.25
"""The gutter between a grid's cells is at most this fraction of a cell (a profile grid's is a hundredth): only
then is a column's pitch inferred from its rows' (or a row's from its columns')."""


def grid_cells(boxes: list[Box], aspect: float = 1.0) -> list[Box]:
    """The other cells of a grid whose cells the proposals found in part.

    A picture whose edge does not step against its gutter (a pale sky beside a white gutter, a dark
    picture in a black grid) bounds no rectangle; the outer column of a phone's profile grid steps against
    nothing but the screenshot's own edge, and the rectangles spanning several cells outrank it. But where
    proposals of one size, side by side, line up in rows and columns, the cells of a grid lie at every column
    of them in every row of them, and at every pitch further along each that fits in the picture. Where the
    cells were found in one column only (or one row), the other axis' pitch is the cell's size plus the same
    gutter (`GRID_GAP`; `aspect` is the picture's height / width, to carry the gutter across). Those not
    proposed already are added (at most `GRID_MAX`), the grids with the narrowest gutters first (a picture's own
    shapes line up in looser ones), then the biggest cells (halves of cells line up too). They are hashed like
    any proposal, so a wrong cell only costs its hashing.
    """
    added: list[Box] = []
    grids = [lattice(group, aspect) for group in grid_groups(boxes)]
    grids.sort(key=lambda grid: (max(_gutter(grid[0], grid[2]), _gutter(grid[1], grid[3])), -grid[2] * grid[3]))
    for xs, ys, w, h in grids:
        for y in ys:
            for x in xs:
                cell = (max(0.0, x), max(0.0, y), min(1.0, x + w), min(1.0, y + h))
                if all(iou(cell, other) <= SAME_BOX for other in (*boxes, *added)):
                    added.append(cell)
                    if len(added) >= GRID_MAX:
                        return added
    return added


GUTTER_LONG = 0.3
"""A column (row) of the picture that steps over this fraction of the picture's height (width), at least, is a
gutter of a grid, or its outer side (`gutter_cells`): a picture's own edges are a cell long at most."""

GUTTER_NEAR = 0.9
"""Only the columns (rows) stepping over this fraction of the longest one's length, at least, are gutters."""

GUTTER_SAME = 0.04
"""Cells between gutters whose widths (heights) differ by less than this fraction (or two pixels) are one size."""


def gutter_cells(horizontal: npt.NDArray[np.bool_], vertical: npt.NDArray[np.bool_]) -> list[Box]:
    """The cells of a grid whose gutters step along most of the picture (`horizontal`, `vertical`: the edge maps
    across rows and across columns, the picture's own sides included).

    A cell whose picture has a long straight step of its own inside (a dark painting's faint bands) is crossed by
    it, so no rectangle of `propose` is that cell alone; and where the grid has a margin (a phone's 24 pixels), its
    outer column is no edge of the picture either. But the gutters step over the whole grid, several cells long:
    between the columns (rows) that step over `GUTTER_LONG` of the picture, the spans of one size (`GUTTER_SAME`)
    side by side, two at least each way, are the grid's columns (rows), and every cell where one of each crosses is
    proposed (at most `GRID_MAX`)."""
    h, w = horizontal.shape
    xs = _spans(_long_lines(vertical.mean(axis=0)), w)
    ys = _spans(_long_lines(horizontal.mean(axis=1)), h)
    if not xs or not ys:
        return []
    cells = [(x0 / (w - 1), y0 / (h - 1), x1 / (w - 1), y1 / (h - 1)) for y0, y1 in ys for x0, x1 in xs]
    return cells[:GRID_MAX]


def _long_lines(share: npt.NDArray[np.float64]) -> list[int]:
    """The columns (rows) stepping over `GUTTER_LONG` of the picture and nearly as long as the longest
    (`GUTTER_NEAR`; a picture's busy texture steps over a third of a column too), one for each run of neighbours
    (the middle of the longest), and the picture's own first and last."""
    size = len(share)
    inside = share[1:-1]
    if not len(inside) or float(inside.max()) < GUTTER_LONG:
        return []
    lines: list[int] = []
    group: list[int] = []
    for at in (np.flatnonzero(inside >= GUTTER_NEAR * float(inside.max())) + 1).tolist():
        if group and at - group[-1] > 2:
            lines.append(_middle(group, share))
            group = []
        group.append(at)
    if group:
        lines.append(_middle(group, share))
    return sorted({0, size - 1, *lines})


def _middle(group: list[int], share: npt.NDArray[np.float64]) -> int:
    """The middle of the longest lines among neighbouring ones."""
    top = max(float(share[at]) for at in group)
    longest = [at for at in group if float(share[at]) >= top - 0.01]
    return longest[len(longest) // 2]


def _spans(lines: list[int], size: int) -> list[tuple[int, int]]:
    """The grid's columns (rows) between these lines: the longest run of spans of one size (`GUTTER_SAME`), each a
    gutter (`GRID_GAP`) from the next, two at least, each at least a tenth of the picture (`[]`: no grid)."""
    spans = [(a, b) for a, b in zip(lines, lines[1:], strict=False) if b - a >= size / 10]
    best: list[tuple[int, int]] = []
    for first, (a, b) in enumerate(spans):
        run = [(a, b)]
        for c, d in spans[first + 1 :]:
            length = b - a
            if abs((d - c) - length) > max(2, GUTTER_SAME * length) or c - run[-1][1] > GRID_GAP * length:
                break
            run.append((c, d))
        if len(run) > len(best):
            best = run
    return best if len(best) >= 2 else []


def _gutter(starts: list[float], size: float) -> float:
    """The gutter between neighbouring cells along one axis, as a fraction of a cell (0 with one cell)."""
    pitches = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    return max(0.0, min(pitches) - size) / size if pitches and size > 0 else 0.0


def lattice(group: list[Box], aspect: float) -> tuple[list[float], list[float], float, float]:
    """Where the grid of these cells (`grid_groups`) has its columns and rows (`_lattice`), and the cells' width
    and height; `aspect` is the picture's height / width."""
    w = float(np.median([b[2] - b[0] for b in group]))
    h = float(np.median([b[3] - b[1] for b in group]))
    xs, ys = _starts([b[0] for b in group], w), _starts([b[1] for b in group], h)
    pitch_x, pitch_y = _pitch(xs, w), _pitch(ys, h)
    if pitch_x is None and pitch_y is not None and pitch_y - h <= GRID_GAP * h:
        pitch_x = w + max(0.0, pitch_y - h) * aspect  # the same gutter, as a fraction of the width
    elif pitch_y is None and pitch_x is not None and pitch_x - w <= GRID_GAP * w:
        pitch_y = h + max(0.0, pitch_x - w) / aspect
    return _lattice(xs, w, pitch_x), _lattice(ys, h, pitch_y), w, h


def grid_groups(boxes: list[Box]) -> list[list[Box]]:
    """The cells (one box each) of every grid among the proposals: two or more boxes of one size
    (`GRID_SAME`) that do not overlap, a cell found twice (either side of a gutter) counted once."""
    groups: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b[2] - b[0], b[3] - b[1])):
        w, h = box[2] - box[0], box[3] - box[1]
        for sized in groups:
            first = sized[0]
            if abs(first[2] - first[0] - w) < GRID_SAME and abs(first[3] - first[1] - h) < GRID_SAME:
                sized.append(box)
                break
        else:
            groups.append([box])
    grids: list[list[Box]] = []
    for found in groups:
        group: list[Box] = []
        for box in found:  # one cell seen twice (either side of a gutter) counts once
            if all(iou(box, other) < GRID_SAME_CELL for other in group):
                group.append(box)
        if len(group) >= 2 and all(iou(a, b) <= 0.02 for i, a in enumerate(group) for b in group[i + 1 :]):
            grids.append(group)  # else one cell, or cells overlapping: no grid
    return grids


def _starts(starts: list[float], size: float) -> list[float]:
    """One start per column (row): starts closer than `GRID_SAME`, or than half a cell, are one, at their median."""
    clusters: list[list[float]] = []
    for start in sorted(starts):
        if clusters and start - clusters[-1][0] <= max(GRID_SAME, size / 2):
            clusters[-1].append(start)
        else:
            clusters.append([start])
    return [float(np.median(c)) for c in clusters]


def _pitch(found: list[float], size: float) -> float | None:
    """The distance between neighbouring cells along one axis (the closest two starts at least a cell apart)."""
    pitches = [b - a for a, b in zip(found, found[1:], strict=False) if b - a >= size - GRID_SAME]
    return min(pitches) if pitches else None


def _lattice(found: list[float], size: float, pitch: float | None) -> list[float]:
    """Where cells of this size start along one axis: the starts found, one every pitch between them where none was
    found (a row of cells none of which bounded a rectangle), and every pitch before the first and after the last
    where the cell fits in the picture (`GRID_OUTSIDE`)."""
    if pitch is None or pitch <= 0:
        return list(found)
    out = [found[0]]
    for start in found[1:]:
        while start - out[-1] > 1.5 * pitch:
            out.append(out[-1] + pitch)
        out.append(start)
    reach = GRID_OUTSIDE * size
    while out[0] - pitch >= -reach:
        out.insert(0, out[0] - pitch)
    while out[-1] + pitch + size <= 1 + reach:
        out.append(out[-1] + pitch)
    return out


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (fractions of one picture)."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
