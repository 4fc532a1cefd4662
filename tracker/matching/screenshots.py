"""Where a picture sits inside a larger one: rectangles proposed from long straight edges.

A post shown in a screenshot (a browser page, a phone app) or pasted into a collage keeps its
own straight borders: along each of its four sides the colour steps sharply, over most of the
side's length, which little else in a picture does. `propose` finds rows and columns with long
runs of such steps, scores every rectangle they bound by how much of each side is edge, and
returns the best few (as fractions of the image). The matcher hashes each of them as a whole
picture (`hashing.query_hashes`), so a post at a quarter of the screen width is compared with
the stored whole-image hashes at the right place, scale and aspect ratio.

Numpy only, on a small colour copy (longest side `PROPOSAL_SIZE`): 15-40 ms for a screenshot,
bounded (at most `MAX_LINES` rows and columns, `MAX_RECTANGLES` ranked) on hostile patterns.
A side found there is placed to a pixel of that copy, which for a wide post small in a tall
phone screen is several per cent of the post's height, so `refine` moves each side onto the
strongest step nearby on the larger copy (`larger_grey`) the rectangles are hashed on.
`tests/benchmarks/matching.py` is the evidence for the constants.

A post whose edges have the colour around them steps against nothing: a white-backed post between a
meme's white caption bars. `caption_bands` finds the bars (one colour, text in them) instead, and tries
the post's sides at small steps in the blank gaps between their text and the post's drawn part. A white post on a
page a few levels off white steps by less than `FAINT_STEP`: `pale_proposals` looks again with `PALE_STEP`.

In a grid of pictures every run of cells is a rectangle, and the bigger ones outrank the cells: the
rectangles no edge line crosses from side to side are proposed besides the best (`_undivided`), and
`grids.grid_cells` places the cells the proposals missed (an outer column bounded by the picture's own
edge). `grid_tiles` counts a grid's pictures, for the answer to say how many were found.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt
from PIL import Image

from tracker.matching.grids import SAME_BOX, Box, grid_cells, grid_groups, gutter_cells, iou, lattice

PROPOSAL_SIZE = 512
"""Longest side of the colour copy rectangles are looked for in."""

EDGE_STEP = 12
"""A colour step (largest channel difference across two pixels, 0-255) that counts as an edge."""

MIN_SIDE = 0.15
"""A proposed rectangle spans at least this fraction of the image's width or height on each side."""

MIN_LONG_SIDE = 0.1
"""Or, along the image's longer side, at least this fraction of its shorter one (a **short** rectangle):
a wide post (up to 2.4:1) at a quarter of a phone screen's width is a tenth of that width tall, 5 % of
the screen's height. Short rectangles are proposed after the others (`MAX_SHORT`)."""

MAX_SHORT = 24
"""Short rectangles proposed besides the `MAX_PROPOSALS` others."""

MAX_SHORT_LINES = 16
"""Lines (rows in a tall image, columns in a wide one) added for short rectangles, besides `MAX_LINES`."""

MIN_COVER = 0.6
"""Every side of a proposed rectangle lies on an edge over at least this fraction of its length."""

MAX_LINES = 48
"""Candidate rows (and columns) kept: the ones with the most edge pixels."""

MAX_PROPOSALS = 96

BORDER_COVER = 0.8
"""How much a side lying on the image's own border counts when proposals are ranked."""

MAX_RECTANGLES = 50_000
"""At most this many qualifying rectangles are ranked (bounds time and memory on a checkerboard)."""

AREA_WEIGHT = 0.2
"""Ranking bonus per unit of sqrt(area fraction): among equally clean rectangles the bigger is likelier the post."""

FAINT_STEP = 5
"""A smaller step that counts where both sides are dark (every channel below `DARK`) or both light (every
channel above `LIGHT`): a night scene on a dark-mode page, line art on a white one. Their borders step by a
few levels only; `EDGE_STEP` alone proposed 209 of 241 corpus posts on dark desktop pages, this 233 (light
pages 215 -> 237), and text, steps of a hundred levels, is unchanged."""

DARK = 80
LIGHT = 215

PALE_STEP = 3
"""A step between light colours that bounds a white post on a page a few levels off white (`pale_proposals`)."""

RUN = 8
"""Edge runs shorter than this (pixels of the colour copy) are text or texture, not a border."""

Rgb = npt.NDArray[np.int16]


def small_rgb(image: Image.Image) -> Rgb:
    """The colour copy (alpha ignored: a screenshot has none), longest side `PROPOSAL_SIZE`."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    w, h = rgb.size
    scale = PROPOSAL_SIZE / max(w, h)
    if scale < 1:
        rgb = rgb.reduce(max(1, int(1 / scale) // 2)) if scale < 0.25 else rgb
        rgb = rgb.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BOX)
    return np.asarray(rgb, dtype=np.int16)


LARGEST = 4 * PROPOSAL_SIZE
"""Longest side of `larger_grey` (a long scrolling screenshot): bounds the work and keeps sums in int32."""


def larger_grey(image: Image.Image, short_side: int) -> npt.NDArray[np.uint8]:
    """A grey copy with its shorter side `short_side` (or its longer `PROPOSAL_SIZE`, whichever is
    larger; never enlarged, never longer than `LARGEST`): what proposals are hashed on (`refine`
    places their sides on it). A phone screenshot keeps 512 pixels across, not 236."""
    grey = image if image.mode == "L" else image.convert("L")  # alpha ignored, as in `small_rgb`
    w, h = grey.size
    scale = min(1.0, max(PROPOSAL_SIZE / max(w, h), short_side / min(w, h)), LARGEST / max(w, h))
    if scale < 1:
        factor = int(1 / scale)  # a whole-pixel box shrink first (fast), then the rest
        if factor > 1:
            grey = grey.reduce(factor)
        grey = grey.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BOX)
    return np.asarray(grey, dtype=np.uint8)


def _edges(rgb: Rgb, pale: int = FAINT_STEP) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(horizontal, vertical): boolean maps of colour steps across rows and across columns.

    A step is measured over two pixels (y-1 to y+1), so a border blurred by resampling still
    counts; only runs of `RUN` steps or more are kept (`_long_runs`).
    """
    h, w = rgb.shape[:2]
    across_rows = np.zeros((h, w), bool)
    across_cols = np.zeros((h, w), bool)
    if h >= 3:
        across_rows[1:-1] = _steps(rgb[:-2], rgb[2:], pale)
    if w >= 3:
        across_cols[:, 1:-1] = _steps(rgb[:, :-2], rgb[:, 2:], pale)
    return _long_runs(across_rows, RUN), _long_runs(across_cols.T, RUN).T


def _steps(before: Rgb, after: Rgb, pale: int = FAINT_STEP) -> npt.NDArray[np.bool_]:
    """Where the colour steps from `before` to `after`: by `EDGE_STEP`, or by `FAINT_STEP` between two dark
    colours and by `pale` (at most `FAINT_STEP`) between two light ones."""
    step = _over_channels(np.maximum, np.abs(after - before))
    brightest = np.maximum(_over_channels(np.maximum, before), _over_channels(np.maximum, after))
    darkest = np.minimum(_over_channels(np.minimum, before), _over_channels(np.minimum, after))
    dark = (step >= FAINT_STEP) & (brightest < DARK)
    light = (step >= pale) & (darkest > LIGHT)
    return (step >= EDGE_STEP) | dark | light


def _over_channels(combine: np.ufunc, rgb: Rgb) -> Rgb:
    """The largest (`np.maximum`) or smallest (`np.minimum`) of each pixel's channels, the same as
    `rgb.max(axis=2)`: combined a channel at a time, not reduced along the last axis three values at a time,
    it takes a twentieth of the time (the proposals of every region search, a turned one's too, pay it)."""
    out = rgb[..., 0]
    for channel in range(1, rgb.shape[2]):
        out = combine(out, rgb[..., channel])
    return out


def _long_runs(edge: npt.NDArray[np.bool_], length: int) -> npt.NDArray[np.bool_]:
    """`edge` keeping only runs of at least `length` along each row (a morphological opening).

    The borders of a picture are long unbroken steps; the strokes of text are short ones.
    """
    h, w = edge.shape
    if w < length:
        return np.zeros_like(edge)
    cum = np.zeros((h, w + 1), np.int32)
    np.cumsum(edge, axis=1, out=cum[:, 1:])
    starts = (cum[:, length:] - cum[:, :-length]) == length  # a full run starts here
    return _dilate(starts, length, w)


def _dilate(starts: npt.NDArray[np.bool_], length: int, width: int) -> npt.NDArray[np.bool_]:
    """Pixels covered by some run of `length` that starts where `starts` is set."""
    h = starts.shape[0]
    padded = np.zeros((h, width + 1), np.int32)
    np.cumsum(np.pad(starts, ((0, 0), (0, width - starts.shape[1]))), axis=1, out=padded[:, 1:])
    # pixel x is covered when a start lies in [x - length + 1, x]
    lo = np.maximum(np.arange(width) - length + 1, 0)
    return (padded[:, np.arange(width) + 1] - padded[:, lo]) > 0


def _lines(edge: npt.NDArray[np.bool_], length: int) -> npt.NDArray[np.intp]:
    """Rows of `edge` (a map read along its rows) holding a run of at least `length` mostly-edge pixels."""
    if edge.shape[1] < length or length < 2:
        return np.zeros(0, np.intp)
    cum = np.zeros((edge.shape[0], edge.shape[1] + 1), np.int32)
    np.cumsum(edge, axis=1, out=cum[:, 1:])
    best = (cum[:, length:] - cum[:, :-length]).max(axis=1)
    strong = np.flatnonzero(best >= MIN_COVER * length)
    # Strongest first (longest full window, then most edge pixels in the row); a row next to a kept one
    # is the same border seen twice (edges are widened by a pixel).
    strong = strong[np.lexsort((-cum[strong, -1], -best[strong]))]
    kept: list[int] = []
    for row in strong.tolist():
        if all(abs(row - k) > 2 for k in kept):
            kept.append(row)
            if len(kept) >= MAX_LINES:
                break
    return np.array(sorted(kept), dtype=np.intp)


def _coverage(
    cum: npt.NDArray[np.int32], lines: npt.NDArray[np.intp], lo: npt.NDArray[np.intp]
) -> npt.NDArray[np.float64]:
    """(lines, n, n): fraction of edge pixels on each line between every pair lo[a] < lo[b]."""
    rows = cum[lines]  # (L, size+1)
    spans = rows[:, None, lo] - rows[:, lo, None]  # [l, a, b] = cum[b] - cum[a]
    length = (lo[None, :] - lo[:, None]).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(length[None] > 0, spans / np.maximum(length[None], 1), 0.0)


_LAST: tuple[tuple[tuple[int, ...], bytes], list[Box]] | None = None
"""The last colour copy `propose` read (its shape and digest) and its rectangles."""


def propose(image: Image.Image, rgb: Rgb | None = None) -> list[Box]:
    """Up to `MAX_PROPOSALS` rectangles (x0, y0, x1, y1 as fractions) that look like a picture's borders,
    then up to `MAX_SHORT` short ones (`MIN_LONG_SIDE`).

    `rgb` is `small_rgb(image)` when the caller already has it. The rectangles depend on the colour copy alone, so
    those of the last one are kept, by its digest: a search and its answer's grid count (`grid_tiles`), or the pixel
    check hashing the query's proposals again, find them once (40-90 ms a picture).
    """
    global _LAST
    rgb = small_rgb(image) if rgb is None else rgb
    key = (rgb.shape, hashlib.blake2b(np.ascontiguousarray(rgb).tobytes(), digest_size=16).digest())
    last = _LAST
    if last is not None and last[0] == key:
        return list(last[1])
    found = _propose(rgb)
    _LAST = (key, found)
    return list(found)


def pale_proposals(image: Image.Image) -> list[Box]:
    """The rectangles `propose` finds when a step of `PALE_STEP` between light colours counts, less those it finds
    without: a white post on a page a few levels off white. Looked for only when nothing sure was found (`rank`)."""
    rgb = small_rgb(image)
    first = propose(image, rgb)
    return [b for b in _propose(rgb, PALE_STEP) if all(iou(b, f) <= SAME_BOX for f in first)]


def _propose(rgb: Rgb, pale: int = FAINT_STEP) -> list[Box]:
    h, w = rgb.shape[:2]
    if min(h, w) < 16:
        return []
    horizontal, vertical = _edges(rgb, pale)
    horizontal = horizontal | np.roll(horizontal, 1, axis=0) | np.roll(horizontal, -1, axis=0)
    vertical = vertical | np.roll(vertical, 1, axis=1) | np.roll(vertical, -1, axis=1)
    # The image's own borders bound a picture shown edge to edge (a phone app's full-width post).
    horizontal[0] = horizontal[-1] = True
    vertical[:, 0] = vertical[:, -1] = True
    min_w, min_h = max(16, round(MIN_SIDE * w)), max(16, round(MIN_SIDE * h))
    # Short rectangles: along the longer side a tenth of the shorter one is enough (`MIN_LONG_SIDE`).
    short = max(16, round(MIN_LONG_SIDE * min(w, h)))
    short_w, short_h = (min_w, min(min_h, short)) if h >= w else (min(min_w, short), min_h)
    rows, cols = _lines(horizontal, min_w), _lines(vertical.T, min_h)
    if short_w < min_w:
        rows = _more_lines(rows, horizontal, short_w)
    if short_h < min_h:
        cols = _more_lines(cols, vertical.T, short_h)
    if len(rows) < 2 or len(cols) < 2:
        return []
    cum_h = np.zeros((h, w + 1), np.int32)
    np.cumsum(horizontal, axis=1, out=cum_h[:, 1:])
    cum_v = np.zeros((w, h + 1), np.int32)
    np.cumsum(vertical.T, axis=1, out=cum_v[:, 1:])
    # top/bottom sides: rows[i] between cols[a] and cols[b]; left/right: cols[a] between rows[i] and rows[j].
    h_cover = _coverage(cum_h, rows, cols)  # (R, C, C)
    v_cover = _coverage(cum_v, cols, rows)  # (C, R, R)
    h_ok, v_ok = h_cover >= MIN_COVER, v_cover >= MIN_COVER
    tall = (rows[None, :] - rows[:, None]) >= short_h
    wide = (cols[None, :] - cols[:, None]) >= short_w
    v_t = np.transpose(v_ok, (1, 2, 0)) & tall[:, :, None]  # [i, j, a]: column a spans rows i..j
    ok = h_ok[:, None, :, :] & h_ok[None, :, :, :] & v_t[:, :, :, None] & v_t[:, :, None, :] & wide[None, None]
    found = np.argwhere(ok)
    if not len(found):
        return []
    if len(found) > MAX_RECTANGLES:  # a grid or checkerboard: every combination is a rectangle; rank a sample
        found = found[:: len(found) // MAX_RECTANGLES + 1]
    i, j, a, b = found.T
    # Rank by the mean cover of the four sides (a side on the image's own border counts for less, so
    # rectangles with four real edges come first), then by size.
    sides = np.stack([h_cover[i, a, b], h_cover[j, a, b], v_cover[a, i, j], v_cover[b, i, j]])
    on_border = np.stack([rows[i] == 0, rows[j] == h - 1, cols[a] == 0, cols[b] == w - 1])
    area = (rows[j] - rows[i]) * (cols[b] - cols[a]) / float(h * w)
    scores = np.where(on_border, BORDER_COVER, sides).mean(axis=0) + AREA_WEIGHT * np.sqrt(area)
    is_short = ((rows[j] - rows[i]) < min_h) | ((cols[b] - cols[a]) < min_w)
    order = np.lexsort((-scores, is_short))  # the others first, each kind best first
    boxes: list[Box] = []
    kept = np.zeros((MAX_PROPOSALS + MAX_SHORT, 4))  # the boxes as an array, to compare a new one with all at once
    counts = [0, 0]  # others, short ones
    for k in order:
        kind = int(is_short[k])
        if counts[kind] >= (MAX_SHORT if kind else MAX_PROPOSALS):
            if counts[0] >= MAX_PROPOSALS and counts[1] >= MAX_SHORT:
                break
            continue
        i_, j_, a_, b_ = found[k]
        box = (cols[a_] / (w - 1), rows[i_] / (h - 1), cols[b_] / (w - 1), rows[j_] / (h - 1))
        if box == (0.0, 0.0, 1.0, 1.0) or bool((_ious(box, kept[: len(boxes)]) > SAME_BOX).any()):
            continue
        kept[len(boxes)] = box
        boxes.append(tuple(float(v) for v in box))  # type: ignore[arg-type]
        counts[kind] += 1
    undivided = ~is_short & _undivided(found, rows, cols, h_cover >= MIN_COVER, v_cover >= MIN_COVER)
    cells: list[Box] = []
    for k in order[undivided[order]]:  # the best first
        i_, j_, a_, b_ = found[k]
        box = (cols[a_] / (w - 1), rows[i_] / (h - 1), cols[b_] / (w - 1), rows[j_] / (h - 1))
        if box != (0.0, 0.0, 1.0, 1.0) and all(iou(box, other) <= SAME_BOX for other in (*boxes, *cells)):
            cells.append(tuple(float(v) for v in box))  # type: ignore[arg-type]
            if len(cells) >= MAX_UNDIVIDED:
                break
    boxes += cells
    boxes += [c for c in gutter_cells(horizontal, vertical) if all(iou(c, b) <= SAME_BOX for b in boxes)]
    return boxes + grid_cells(boxes, h / w)


MAX_UNDIVIDED = 24
"""Rectangles no edge line crosses wall to wall (`_undivided`) proposed besides the others, the best first."""

DIVIDED_MARGIN = 0.1
"""A line crossing a rectangle this close to its side (a fraction of its size) is its own border seen twice."""


def _undivided(
    found: npt.NDArray[np.intp],
    rows: npt.NDArray[np.intp],
    cols: npt.NDArray[np.intp],
    h_ok: npt.NDArray[np.bool_],
    v_ok: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Which rectangles (`found`: rows i, j and columns a, b) no edge line crosses from side to side.

    In a grid of pictures (a phone's profile grid, a gallery) every run of cells is a rectangle, and those
    spanning several cells, bigger, outrank the cells: a rectangle a gutter crosses wall to wall is two
    pictures, not one. The others are proposed besides the best (`MAX_UNDIVIDED`), so each cell is."""
    i, j, a, b = found.T
    margin_y = DIVIDED_MARGIN * (rows[j] - rows[i])
    margin_x = DIVIDED_MARGIN * (cols[b] - cols[a])
    # h_ok[r, a, b]: row r steps between columns a and b; counted over the rows inside the rectangle's margins.
    cum_h = np.concatenate([np.zeros((1, *h_ok.shape[1:]), np.int32), np.cumsum(h_ok, axis=0, dtype=np.int32)])
    cum_v = np.concatenate([np.zeros((1, *v_ok.shape[1:]), np.int32), np.cumsum(v_ok, axis=0, dtype=np.int32)])
    lo_r = np.searchsorted(rows, rows[i] + margin_y, side="right")
    hi_r = np.searchsorted(rows, rows[j] - margin_y, side="left")
    lo_c = np.searchsorted(cols, cols[a] + margin_x, side="right")
    hi_c = np.searchsorted(cols, cols[b] - margin_x, side="left")
    across = cum_h[np.maximum(hi_r, lo_r), a, b] - cum_h[lo_r, a, b]
    down = cum_v[np.maximum(hi_c, lo_c), i, j] - cum_v[lo_c, i, j]
    return (across == 0) & (down == 0)


def _more_lines(kept: npt.NDArray[np.intp], edge: npt.NDArray[np.bool_], length: int) -> npt.NDArray[np.intp]:
    """`kept` and up to `MAX_SHORT_LINES` more rows of `edge` with a run of `length` (`_lines`), none beside one."""
    more = [r for r in _lines(edge, length).tolist() if not len(kept) or np.abs(kept - r).min() > 2]
    return np.array(sorted([*kept.tolist(), *more[:MAX_SHORT_LINES]]), dtype=np.intp)


def _ious(a: Box, others: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """`grids.iou(a, b)` for every row b of `others` (n x 4), the same sums in the same order: one array step for
    all, not a Python call for each (a proposal is compared with up to `MAX_PROPOSALS` kept ones)."""
    ix = np.maximum(0.0, np.minimum(a[2], others[:, 2]) - np.maximum(a[0], others[:, 0]))
    iy = np.maximum(0.0, np.minimum(a[3], others[:, 3]) - np.maximum(a[1], others[:, 1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (others[:, 2] - others[:, 0]) * (others[:, 3] - others[:, 1]) - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, inter / union, 0.0)


TILES_FOUND = 3
"""Cells of one size the proposals found (not placed by the grid) before a picture counts as a grid of tiles."""

TILE_ASPECT = 2.0
"""A grid's tile is at most this much longer one way than the other (a square thumbnail, a gallery's 16:9)."""

GUTTER_COVER = 0.9
"""Every line between a grid's rows (columns) steps over this fraction of the grid's width (height), at least."""


def grid_tiles(image: Image.Image) -> int:
    """How many pictures the picture shows as tiles of a grid (a profile grid, a gallery): its rows times its
    columns (`grids.lattice`, the outer cells placed), 0 when it is no such grid.

    A grid counts when the proposals found `TILES_FOUND` cells of one size (`grids.grid_groups`) at least, tile
    shaped (`TILE_ASPECT`), in two rows and two columns at least, and the colour steps along every line between its
    rows and its columns over nearly all of the grid (`GUTTER_COVER`): the rectangles a halftone pattern or a page's
    long rules bound line up too, but their "gutters" cross text and pictures. Half its cells at least look like
    pictures (`_pictures`): a tiled floor's grout is a grid of no pictures. The finest such grid counts (rectangles
    spanning several cells make coarser ones)."""
    rgb = small_rgb(image)
    h, w = rgb.shape[:2]
    if min(h, w) < 16:
        return 0
    horizontal, vertical = _edges(rgb)
    tiles = 0
    for group in grid_groups(propose(image, rgb)):
        xs, ys, cw, ch = lattice(group, h / w)
        shape = (cw * w) / max(ch * h, 1e-9)
        if len(group) < TILES_FOUND or len(xs) < 2 or len(ys) < 2 or not 1 / TILE_ASPECT <= shape <= TILE_ASPECT:
            continue
        left, top = max(0.0, xs[0]), max(0.0, ys[0])
        right, bottom = min(1.0, xs[-1] + cw), min(1.0, ys[-1] + ch)
        rows = [(a + ch + b) / 2 for a, b in zip(ys, ys[1:], strict=False)]  # the middle of each gutter
        cols = [(a + cw + b) / 2 for a, b in zip(xs, xs[1:], strict=False)]
        if (
            all(_stepped(horizontal, y * h, left * w, right * w) for y in rows)
            and all(_stepped(vertical.T, x * w, top * h, bottom * h) for x in cols)
            and 2 * _pictures(rgb, xs, ys, cw, ch) >= len(xs) * len(ys)
        ):
            tiles = max(tiles, len(xs) * len(ys))
    return tiles


CELL_THUMB = 8
"""A grid's cells are compared as thumbnails this many pixels square (`_pictures`): their layout, not their grain."""

PICTURE_DETAIL = 10.0
"""A cell whose thumbnail's colours vary less than this (standard deviation, 0-255, the mean of the channels) is
one colour or a fine texture (a floor tile, a blank cell), not a picture: pictures' cells vary by 35-60, the tiles of
a tiled floor by 4-7."""

SAME_PICTURE = 8.0
"""A cell whose thumbnail differs from another cell's by less than this (mean channel difference, 0-255) repeats a
pattern (a tiled wall's motif), not a picture of its own: different pictures differ by 40 or more."""


def _pictures(rgb: Rgb, xs: list[float], ys: list[float], cw: float, ch: float) -> int:
    """How many of a grid's cells look like pictures: detailed (`PICTURE_DETAIL`), and unlike every other cell
    (`SAME_PICTURE`). A tiled floor or a wall of one motif lines up as a grid too; its tiles are no pictures to look
    at. Each cell is read inside a tenth of its size from its sides (a gutter placed a pixel off stays out)."""
    h, w = rgb.shape[:2]
    thumbs: list[npt.NDArray[np.float32]] = []
    for y in ys:
        for x in xs:
            x0, x1 = round(max(0.0, x + cw / 10) * w), round(min(1.0, x + cw * 0.9) * w)
            y0, y1 = round(max(0.0, y + ch / 10) * h), round(min(1.0, y + ch * 0.9) * h)
            if x1 - x0 < 2 or y1 - y0 < 2:
                continue
            cell = Image.fromarray(rgb[y0:y1, x0:x1].astype(np.uint8), "RGB")
            thumbs.append(np.asarray(cell.resize((CELL_THUMB, CELL_THUMB), Image.Resampling.BOX), np.float32))
    if len(thumbs) < 2:
        return 0
    cells = np.stack(thumbs).reshape(len(thumbs), -1, 3)
    detailed = cells.std(axis=1).mean(axis=1) >= PICTURE_DETAIL
    apart = np.abs(cells[:, None] - cells[None]).mean(axis=(2, 3))
    np.fill_diagonal(apart, np.inf)
    return int((detailed & (apart.min(axis=1) >= SAME_PICTURE)).sum())


def _stepped(edge: npt.NDArray[np.bool_], at: float, lo: float, hi: float) -> bool:
    """Whether `edge` (read along its rows) steps within two pixels of row `at` over `GUTTER_COVER` of [lo, hi)."""
    first, last = max(0, round(at) - 2), min(edge.shape[0], round(at) + 3)
    span = edge[first:last, max(0, round(lo)) : max(0, round(hi))]
    return bool(span.size) and float(span.any(axis=0).mean()) >= GUTTER_COVER


REFINE_REACH = 2
"""How far (pixels of the colour copy) `refine` looks for a proposed side's exact place on the larger copy."""


def refine(grey: npt.NDArray[np.uint8], boxes: list[Box], reach: int) -> list[Box]:
    """The boxes with each side moved (by at most `reach` pixels of `grey`) onto the strongest step there.

    Sides are found on the small colour copy, to a pixel of it: for a post a tenth of a phone
    screen tall that is 4 % of its height, more than pHash forgives. On the larger grey copy the
    proposals are hashed on, each side is put between the two rows (columns) that differ most
    along the middle of the side. A side on the image's own border stays there.
    """
    g = grey.astype(np.int16)
    h, w = g.shape
    memo: dict[tuple[int, int, int, int], int] = {}

    def edge(axis: int, at: int, lo: int, hi: int) -> int:
        key = (axis, at, lo, hi)
        if key not in memo:
            size = h if axis == 0 else w
            first, last = max(1, at - reach), min(size - 1, at + reach)
            if last < first or hi - lo < 4:
                memo[key] = at
            else:
                margin = (hi - lo) // 8
                band = (
                    g[first - 1 : last + 1, lo + margin : hi - margin]
                    if axis == 0
                    else g[lo + margin : hi - margin, first - 1 : last + 1].T
                )
                steps = np.abs(np.diff(band, axis=0)).mean(axis=1)
                best = int(np.argmax(steps))
                memo[key] = first + best if steps[best] >= EDGE_STEP / 2 else at  # no clear step: stay
        return memo[key]

    out: list[Box] = []
    for box in boxes:
        x0, y0, x1, y1 = (round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h))
        nx0 = x0 if box[0] <= 0 else edge(1, x0, y0, y1)
        nx1 = x1 if box[2] >= 1 else edge(1, x1, y0, y1)
        ny0 = y0 if box[1] <= 0 else edge(0, y0, x0, x1)
        ny1 = y1 if box[3] >= 1 else edge(0, y1, x0, x1)
        if nx1 - nx0 < 8 or ny1 - ny0 < 8:
            out.append(box)
        else:
            out.append((nx0 / w, ny0 / h, nx1 / w, ny1 / h))
    return out


BAND_TOLERANCE = 40
"""Largest channel difference from a caption bar's colour that still counts as that colour (JPEG noise)."""

BAND_BLANK = 0.995
"""A row (column) is blank when at least this fraction of it is the bar's colour."""

BAND_MIN_POST = 0.3
"""The post's inked rows between the bars span at least this fraction of the image."""

BAND_MAX_CAPTION = 0.35
"""A caption's text (from the image's edge to the blank gap before the post) spans at most this fraction."""

BAND_STEP = 0.02
"""A side of the post lying somewhere in a blank gap is tried at steps of this fraction of the post's size
(pHash forgives about 3 % misalignment)."""

BAND_PLACES = 7
"""At most this many places are tried for each side (a wider gap is tried at coarser steps)."""


def caption_bands(rgb: Rgb) -> list[Box]:
    """Windows for a post shown across the width between caption bars (a meme), or across the height between
    side bars (a pillarbox): where the post's own background is the bars' colour, no edge bounds it (`propose`).

    A caption bar is one colour (its first row is) with text in it. Between the bars lies the post's inked part
    (the longest run of rows that are not all the bar's colour); each true side of the post is somewhere in the
    blank gap between that and the caption's text, so it is tried at steps of `BAND_STEP` of the post's size, at
    most `BAND_PLACES` places a side: at most 49 windows each way, 98 in all (under 3 % of a query's windows: every
    window costs search time), and none without a caption.
    """
    h, w = rgb.shape[:2]
    if min(h, w) < 16:
        return []
    boxes = [(0.0, a, 1.0, b) for a, b in _between_captions(rgb)]
    boxes += [(a, 0.0, b, 1.0) for a, b in _between_captions(rgb.transpose(1, 0, 2))]
    return boxes


def _between_captions(rgb: Rgb) -> list[tuple[float, float]]:
    """(top, bottom) fractions of the image for a post across its width between caption bars (`caption_bands`)."""
    h = rgb.shape[0]
    blank = np.concatenate([_blank_rows(rgb[: h // 2], rgb[0]), _blank_rows(rgb[h // 2 :], rgb[-1])])
    start, end = _longest_inked(blank)
    if end - start < BAND_MIN_POST * h:
        return []
    top, bottom = start, end  # the blank gaps either side of the inked part: [top, start) and [end, bottom)
    while top > 0 and blank[top - 1]:
        top -= 1
    while bottom < h and blank[bottom]:
        bottom += 1
    above, below = top > 0, bottom < h  # text beyond a gap: a caption (else the post's own blank margin)
    if not (above or below) or top > BAND_MAX_CAPTION * h or h - bottom > BAND_MAX_CAPTION * h:
        return []
    step = max(1.0, BAND_STEP * (bottom - top + end - start) / 2)
    tops = _places(top, start, step) if above else [0.0]
    bottoms = _places(end, bottom, step) if below else [float(h)]
    return [(a / h, b / h) for a in tops for b in bottoms]


def _blank_rows(rows: Rgb, edge: Rgb) -> npt.NDArray[np.bool_]:
    """Which rows are all (`BAND_BLANK`) the colour of `edge`, the image's first or last row; none when that row
    is not one colour itself (no bar there: most pictures, read no further)."""
    colour = np.median(edge, axis=0).astype(np.int16)
    if not _one_colour(edge[None], colour)[0]:
        return np.zeros(len(rows), bool)
    return _one_colour(rows, colour)


def _one_colour(rows: Rgb, colour: Rgb) -> npt.NDArray[np.bool_]:
    """Which rows are (`BAND_BLANK`) all this colour: channel by channel (numpy's max over 3 channels is slow)."""
    same = np.abs(rows[..., 0] - colour[0]) <= BAND_TOLERANCE
    for channel in (1, 2):
        same &= np.abs(rows[..., channel] - colour[channel]) <= BAND_TOLERANCE
    return same.mean(axis=1) >= BAND_BLANK


def _longest_inked(blank: npt.NDArray[np.bool_]) -> tuple[int, int]:
    """[start, end) of the longest run of rows that are not blank."""
    edges = np.flatnonzero(np.diff(np.concatenate([[True], blank, [True]]).astype(np.int8)))
    if not len(edges):
        return 0, 0
    starts, ends = edges[0::2], edges[1::2]
    k = int(np.argmax(ends - starts))
    return int(starts[k]), int(ends[k])


def _places(lo: int, hi: int, step: float) -> list[float]:
    """Where a side in the gap [lo, hi] is tried: both ends and between, `step` apart (at most `BAND_PLACES`)."""
    count = min(BAND_PLACES, int(np.ceil((hi - lo) / step)) + 1)
    return [float(v) for v in np.linspace(lo, hi, count)] if hi > lo else [float(lo)]
