"""Content and perceptual hashes: the only module that knows how images become hash bits.

Every perceptual hash comes from one greyscale working copy of the image (longest side
`WORK_SIZE` pixels, transparency composited onto white) and from box averages over an integral
image of it, so a hash of the whole picture and a hash of any window of it are made the same way
and can be compared with each other:

- **pHash** (64-bit DCT hash, the imagehash recipe: 32x32 means, 2-D DCT-II, the 8x8 lowest
  frequencies compared with their median) and **dHash** (64-bit gradient hash: 9x8 means,
  each cell brighter than its left neighbour?). Both survive resizing, re-encoding, brightness
  and colour changes; they fail on geometry in different ways, so the whole-image distance is
  their mean.
- Their **mirror-image** variants (the same grid read right to left), so a flipped repost
  matches.
- **Region hashes**: pHashes and dHashes of `STORED_REGIONS`, 34 fixed windows (three-quarter,
  half and 0.4 size on coarse grids). A complaint image that is a crop of a post usually contains
  one of them whole (an off-centre crop keeping 40-85 % of the area with its aspect ratio changed
  up to 2x: 93 % of the time; without the 0.4 windows 59 %), and the query windows find it at the
  right scale and offset: `dense_windows` (about 1,100 square windows, half size to whole, on a
  stride of 1/16 window) and `stretched_windows` (about 2,400 whose width and height scale apart,
  0.4 to whole, on a stride of 1/8: `QueryHashes.narrow`; in a large archive they are searched at
  a smaller pHash radius, `similarity.NARROW_RADIUS_LARGE`, so they cost less). The same
  dense windows find a post pasted inside a larger complaint image (collage, border, frame) by
  matching the post's whole-image pHash. `tests/benchmarks/match_accuracy.py` and
  `tests/benchmarks/matching.py` are the evidence for this layout.

**Proposals** (`screenshots.propose`): rectangles bounded by long straight colour steps, where a
post sits inside a screenshot (a browser page, a phone app) or a collage, at any size and
aspect ratio. Each is hashed as a whole picture on a larger working copy (shorter side
`PROPOSAL_SHORT_SIDE`, sides placed to its pixel: `screenshots.refine`), so a post shown at a
quarter of a screenshot's width, even a wide post in a tall phone screen, is compared with the
stored whole-image hashes; inside the clearest two, the stored regions are placed as if the rectangle were the post
(`covered_windows`), so a post partly covered by stickers or a caption (a phone story) is found by the parts left
uncovered. A square tile (a profile grid, a phone's two-column feed) may show only
the centre square of a post that is not square: inside it, the stored regions of such a post are
placed for the usual aspects (`thumbnail_windows`) and searched like the others. A post across the
width of a meme whose caption bars have the post's own background colour (white on white) steps against
nothing: `screenshots.caption_bands` places windows between the bars' text and the post's drawn part.

Windows with almost no texture (a flat background) are marked and never used for matching:
every blank sky looks like every other blank sky.

Hashes are fixed-width bytes (8 bytes, big-endian, bit order row-major from the top-left
frequency, as imagehash lays out its bit matrix) for storage, and uint64 for search.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from PIL import Image

HASH_VERSION = 3
"""Bumped whenever any stored hash would come out differently; older rows are re-hashed."""

WORK_SIZE = 256
"""Longest side of the greyscale working copy every hash is computed from."""

FLAT_STD = 10.0
"""A window whose 32x32 grid of means has a standard deviation below this (0-255 scale) is flat."""

BLANK_STD = 2.0
"""A whole picture whose 32x32 grid of means varies less than this is blank: its hashes are noise."""

WHOLE_BIT = 34
"""`region_mask` bit set when the whole picture is not blank (bits 0-33 are the regions)."""

Boxes = npt.NDArray[np.float64]
"""(n, 4) windows as fractions of the image: x0, y0, x1, y1."""
Grey = npt.NDArray[np.uint8]
U64s = npt.NDArray[np.uint64]
Bools = npt.NDArray[np.bool_]


def _grid(scale: float, offsets: tuple[float, ...]) -> list[tuple[float, float, float, float]]:
    return [(x, y, x + scale, y + scale) for y in offsets for x in offsets]


STORED_REGIONS: tuple[tuple[float, float, float, float], ...] = tuple(
    _grid(0.75, (0.0, 0.125, 0.25)) + _grid(0.5, (0.0, 0.25, 0.5)) + _grid(0.4, (0.0, 0.2, 0.4, 0.6))
)
"""The post windows whose pHashes are stored (fractions x0, y0, x1, y1); index i is bit i of the mask."""

Box4 = tuple[float, float, float, float]

SMALL_REGION = 0.45
"""Stored regions at most this wide (the 0.4 grid) are small: a match on one is a proposal for the pixels to confirm."""

QUERY_SCALES: tuple[float, ...] = tuple(1.07**-i for i in range(11))
"""Window sizes tried on a complaint image, whole down to about half (as a fraction of each side)."""

QUERY_STRIDE = 1 / 16
"""Dense windows move by this fraction of their own size: pHash tolerates about 3% misalignment."""

STRETCH_STEP = 1.15
"""Width and height of the stretched query windows each take the sizes 1.15**-i, whole down to `STRETCH_MIN`."""
STRETCH_MIN = 0.4
STRETCH_MAX = 2.0
"""Largest ratio between a stretched window's relative width and height (a crop changing the aspect ratio 2x)."""
STRETCH_STRIDE = 1 / 8
"""Stretched windows move by this fraction of their own size (searched at `NARROW_RADIUS` only)."""


@dataclass(frozen=True)
class ImageHashes:
    """The perceptual hashes kept for every image (see the module docstring)."""

    phash: bytes
    dhash: bytes
    phash_mirror: bytes
    dhash_mirror: bytes
    regions: bytes
    """The pHash (8 bytes) of each entry of `STORED_REGIONS` in order, then the dHash of each."""
    region_mask: int
    """Bit i is set when region i has enough texture to be matched; bit `WHOLE_BIT` when the picture is not blank."""
    blank: bool
    """The whole image is (nearly) one colour: its hashes are noise (never matched as a whole)."""


@dataclass(frozen=True)
class QueryHashes:
    """What a complaint image is searched with."""

    whole: ImageHashes
    windows: Boxes
    """(n, 4) fractions of the query image; row 0 is the whole image."""
    window_hashes: npt.NDArray[np.uint64]
    """pHash of each window (flat windows already removed)."""
    window_dhashes: npt.NDArray[np.uint64]
    """dHash of each window."""
    narrow: npt.NDArray[np.bool_] | None = None
    """The stretched windows (`stretched_windows`): proposals only, searched at a smaller radius in a large archive."""
    guessed: npt.NDArray[np.bool_] | None = None
    """The windows placed in a square tile as if it showed a post's centre (`thumbnail_windows`): a pair through one
    is reported only when it is clearly the best of its post's pairs (`similarity.GUESS_MARGIN`)."""


def working_grey(image: Image.Image) -> Grey:
    """The greyscale working copy: alpha composited on white, longest side `WORK_SIZE`.

    Everything runs on single-band images, where Pillow is fastest: grey first (transparent
    pixels composited on white, skipped when every pixel is opaque),
    then an integer shrink (`Image.reduce`, a box filter), then a box resize to the final size.
    16/32-bit grey is scaled to 8 bits when it uses more than 8.
    """
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        with_alpha = image if image.mode in ("RGBA", "LA") else image.convert("RGBA")
        alpha = with_alpha.getchannel("A")
        grey = with_alpha.convert("L")
        lowest, _ = alpha.getextrema()  # of one band: (min, max), without the copy np.asarray makes
        if isinstance(lowest, int | float) and lowest < 255:  # some pixel is not opaque
            white = Image.new("L", grey.size, 255)
            white.paste(grey, mask=alpha)
            grey = white
    elif image.mode in ("I", "F") or image.mode.startswith("I;16"):
        wide = np.asarray(image, dtype=np.float32)
        if wide.size and float(wide.max()) > 255:
            wide = wide / 257.0
        grey = Image.fromarray(np.clip(wide, 0, 255).astype(np.uint8), "L")
    else:
        grey = image if image.mode == "L" else image.convert("L")
    factor = max(1, min(max(grey.size) // (2 * WORK_SIZE), min(grey.size)))
    if factor > 1:
        grey = grey.reduce(factor)
    w, h = grey.size
    scale = WORK_SIZE / max(w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if size != grey.size:
        if scale < 1:
            grey = grey.resize(size, Image.Resampling.BOX, reducing_gap=2.0)
        else:
            grey = grey.resize(size, Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.uint8)


def integral_image(grey: Grey) -> npt.NDArray[np.int32]:
    """Summed-area table (exact in int32: at most 256 x 256 x 255 per entry)."""
    integral = np.zeros((grey.shape[0] + 1, grey.shape[1] + 1), dtype=np.int32)
    np.cumsum(grey, axis=0, dtype=np.int32, out=integral[1:, 1:])
    np.cumsum(integral[1:, 1:], axis=1, out=integral[1:, 1:])
    return integral


def _cells(
    lo: npt.NDArray[np.float64], hi: npt.NDArray[np.float64], cells: int, size: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """(starts, ends): integer pixel spans of `cells` equal cells between lo and hi, one pixel at least.

    Where the window has as many pixels as cells the spans tile it exactly; where it has fewer
    (a thin banner), neighbouring cells share pixels rather than come out empty.
    """
    edges = lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, cells + 1)[None, :]
    rounded = np.clip(np.rint(edges), 0, size).astype(np.intp)
    if size >= cells:
        # Keep every cell non-empty: push edges apart left to right, then back inside the image.
        rounded = np.maximum(rounded, rounded[:, :1] + np.arange(cells + 1)[None, :])
        rounded = np.minimum(rounded, size - cells + np.arange(cells + 1)[None, :])
    starts = np.minimum(rounded[:, :-1], size - 1)
    return starts, np.maximum(rounded[:, 1:], starts + 1)


_Corners = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]
"""Flat offsets of each cell's (bottom-right, top-right, bottom-left, top-left) corner in a raveled integral image."""


@dataclass(frozen=True)
class _Sampling:
    """Where to read the cell sums of some windows in a raveled integral image, and the cells' areas.

    Windows whose cells tile them (the usual case) share corners between neighbouring cells: their
    (rows + 1) x (cols + 1) corner grid is read once (`grid`, a quarter of the reads); the others
    (fewer pixels than cells: neighbouring cells overlap) read four corners per cell (`corners`).
    Either way the same integer sums, so the same means to the last bit.
    """

    tiled: npt.NDArray[np.intp]
    grid: npt.NDArray[np.intp]
    rest: npt.NDArray[np.intp]
    corners: _Corners
    areas: npt.NDArray[np.float64]


def _sampling(boxes: Boxes, height: int, width: int, rows: int, cols: int) -> _Sampling:
    x0, x1 = _cells(boxes[:, 0] * width, boxes[:, 2] * width, cols, width)
    y0, y1 = _cells(boxes[:, 1] * height, boxes[:, 3] * height, rows, height)
    areas = (y1 - y0).astype(np.float64)[:, :, None] * (x1 - x0).astype(np.float64)[:, None, :]  # exact: small ints
    tiles = np.all(x0[:, 1:] == x1[:, :-1], axis=1) & np.all(y0[:, 1:] == y1[:, :-1], axis=1)
    tiled, rest = np.flatnonzero(tiles), np.flatnonzero(~tiles)
    stride = width + 1
    ys = np.concatenate([y0[tiled], y1[tiled, -1:]], axis=1) * stride
    xs = np.concatenate([x0[tiled], x1[tiled, -1:]], axis=1)
    grid = ys[:, :, None] + xs[:, None, :]
    top, bottom = y0[rest, :, None] * stride, y1[rest, :, None] * stride
    left, right = x0[rest, None, :], x1[rest, None, :]
    corners = (bottom + right, top + right, bottom + left, top + left)
    return _Sampling(tiled, grid, rest, corners, areas)


@lru_cache(maxsize=64)
def _stored_sampling(height: int, width: int, rows: int, cols: int) -> _Sampling:
    """The sampling of the stored windows for one working-image size (a bulk import sees few sizes)."""
    return _sampling(_WHOLE_AND_REGIONS, height, width, rows, cols)


def grid_means(integral: npt.NDArray[np.int32], boxes: Boxes, rows: int, cols: int) -> npt.NDArray[np.float64]:
    """(n, rows, cols) box averages of each window (fractions) over the image behind `integral`."""
    height, width = integral.shape[0] - 1, integral.shape[1] - 1
    if boxes is _WHOLE_AND_REGIONS:
        plan = _stored_sampling(height, width, rows, cols)
    else:
        plan = _sampling(boxes, height, width, rows, cols)
    flat = integral.ravel()
    if not len(plan.rest):
        return np.diff(np.diff(flat.take(plan.grid), axis=1), axis=2) / plan.areas
    sums = np.empty((len(boxes), rows, cols), dtype=np.int32)
    if len(plan.tiled):
        sums[plan.tiled] = np.diff(np.diff(flat.take(plan.grid), axis=1), axis=2)
    br, tr, bl, tl = plan.corners
    sums[plan.rest] = flat.take(br) - flat.take(tr) - flat.take(bl) + flat.take(tl)
    return sums / plan.areas


@lru_cache(maxsize=1)
def _dct_rows() -> npt.NDArray[np.float64]:
    n = np.arange(32)
    return np.cos(np.pi * (2 * n[None, :] + 1) * np.arange(8)[:, None] / 64)


def _pack(bits: npt.NDArray[np.bool_]) -> npt.NDArray[np.uint64]:
    """(n, 64) bits, first bit most significant -> (n,) uint64."""
    packed = np.packbits(bits.reshape(len(bits), 64), axis=1)
    return packed.view(">u8").reshape(len(bits)).astype(np.uint64)


def _phash_bits(means: npt.NDArray[np.float64]) -> npt.NDArray[np.uint64]:
    dct = _dct_rows()
    low = np.matmul(np.matmul(dct, means), dct.T).reshape(len(means), 64)
    middle = np.partition(low, (31, 32), axis=1)[:, 31:33]  # np.median's two middle values, without its overhead
    return _pack(low > (middle[:, :1] + middle[:, 1:]) / 2)


def _dhash_bits(means: npt.NDArray[np.float64]) -> npt.NDArray[np.uint64]:
    return _pack(means[:, :, 1:] > means[:, :, :-1])


def _flat(means: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    return means.reshape(len(means), -1).std(axis=1) < FLAT_STD


def to_bytes(value: int | np.uint64) -> bytes:
    """A 64-bit hash as its 8 stored bytes."""
    return int(value).to_bytes(8, "big")


def from_bytes(data: bytes) -> int:
    """8 stored bytes back to the 64-bit hash."""
    return int.from_bytes(data, "big")


_WHOLE_AND_REGIONS = np.asarray([(0.0, 0.0, 1.0, 1.0), *STORED_REGIONS], dtype=np.float64)


def _whole_hashes(integral: npt.NDArray[np.int32]) -> ImageHashes:
    p_means = grid_means(integral, _WHOLE_AND_REGIONS, 32, 32)
    d_means = grid_means(integral, _WHOLE_AND_REGIONS, 8, 9)
    p_bits = _phash_bits(p_means)
    d_bits = _dhash_bits(d_means)
    mirror_p = _phash_bits(p_means[:1, :, ::-1])[0]
    mirror_d = _dhash_bits(d_means[:1, :, ::-1])[0]
    flat = _flat(p_means)
    blank = bool(p_means[0].std() < BLANK_STD)
    mask = int(sum(1 << i for i in np.flatnonzero(~flat[1:]))) | (0 if blank else 1 << WHOLE_BIT)
    return ImageHashes(
        phash=to_bytes(p_bits[0]),
        dhash=to_bytes(d_bits[0]),
        phash_mirror=to_bytes(mirror_p),
        dhash_mirror=to_bytes(mirror_d),
        regions=np.concatenate([p_bits[1:], d_bits[1:]]).astype(">u8").tobytes(),
        region_mask=mask,
        blank=blank,
    )


def image_hashes(image: Image.Image) -> ImageHashes:
    """Every stored perceptual hash of one decoded image."""
    return _whole_hashes(integral_image(working_grey(image)))


@lru_cache(maxsize=1)
def dense_windows() -> Boxes:
    """The query windows: every scale in `QUERY_SCALES` on a stride of `QUERY_STRIDE` of itself."""
    boxes: list[tuple[float, float, float, float]] = []
    for scale in QUERY_SCALES:
        offsets = _offsets(scale, QUERY_STRIDE)
        boxes.extend((x, y, x + scale, y + scale) for y in offsets for x in offsets)
    return np.asarray(boxes, dtype=np.float64)


def _offsets(scale: float, stride: float) -> list[float]:
    """Where a window of this size starts, moved by `stride` of its size, the last one flush with the edge."""
    step = scale * stride
    span = 1.0 - scale
    count = int(np.floor(span / step + 1e-9)) + 1
    offsets = [i * step for i in range(count)]
    if span - offsets[-1] > 1e-9:
        offsets.append(span)
    return offsets


@lru_cache(maxsize=1)
def stretched_windows() -> Boxes:
    """Query windows whose width and height (as fractions of the query) differ, up to `STRETCH_MAX` times.

    A crop that changes the aspect ratio shows a stored (square-fraction) region stretched: its
    window in the query is wider than tall, relative to the query, or the other way round.
    """
    count = int(np.ceil(np.log(1 / STRETCH_MIN) / np.log(STRETCH_STEP)))
    scales = [max(STRETCH_MIN, STRETCH_STEP**-i) for i in range(count + 1)]
    boxes: list[tuple[float, float, float, float]] = []
    for sy in scales:
        for sx in scales:
            if sx == sy or max(sx, sy) / min(sx, sy) > STRETCH_MAX + 1e-9:
                continue
            xs, ys = _offsets(sx, STRETCH_STRIDE), _offsets(sy, STRETCH_STRIDE)
            boxes.extend((x, y, x + sx, y + sy) for y in ys for x in xs)
    return np.asarray(boxes, dtype=np.float64).reshape(-1, 4)


PROPOSAL_SHORT_SIDE = 512
"""Shorter side of the grey copy proposals are hashed on (`proposal_windows`); at most the image's own."""

PROPOSAL_INSET = 0.02
"""Each proposed rectangle is also hashed shrunk by this fraction of its size on each side (frames, round corners),
and as `screenshots.propose` found it when `screenshots.refine` moved a side."""


def proposal_windows(
    image: Image.Image, guesses: bool = True, pale: bool = False
) -> tuple[Boxes, npt.NDArray[np.int32], Bools]:
    """Windows around the rectangles `screenshots.propose` finds, and the integral image to hash them on.

    With `guesses`, also the windows guessed inside square tiles (`thumbnail_windows`, marked in the third array):
    the turned searches of `tilted` do without them, most of the windows of a picture with many squares. With `pale`,
    around those only `screenshots.pale_proposals` finds (a white post on a page a few levels off white) instead.

    The integral image is of the proposals' own larger working copy (`screenshots.larger_grey`:
    shorter side `PROPOSAL_SHORT_SIDE`), so a post shown at a quarter of a screenshot's width,
    a desktop's or a phone's, still gets a 128-pixel-wide window.
    """
    from tracker.matching import screenshots  # only the query side needs it

    rgb = screenshots.small_rgb(image)
    proposed = screenshots.pale_proposals(image) if pale else screenshots.propose(image, rgb)
    captioned = [] if pale else screenshots.caption_bands(rgb)  # a post between caption bars of its background
    if not proposed and not captioned:
        return np.zeros((0, 4), np.float64), integral_image(np.zeros((1, 1), np.uint8)), np.zeros(0, dtype=bool)
    grey = screenshots.larger_grey(image, PROPOSAL_SHORT_SIDE)
    reach = int(np.ceil(screenshots.REFINE_REACH * max(grey.shape) / max(rgb.shape[:2])))
    boxes: list[tuple[float, float, float, float]] = []
    guesses_made: list[Box4] = []
    refined = screenshots.refine(grey, proposed, reach)
    for rank, (found, (x0, y0, x1, y1)) in enumerate(zip(proposed, refined, strict=True)):
        dx, dy = (x1 - x0) * PROPOSAL_INSET, (y1 - y0) * PROPOSAL_INSET
        boxes += [(x0, y0, x1, y1), (x0 + dx, y0 + dy, x1 - dx, y1 - dy)]
        if max(abs(a - b) for a, b in zip(found, boxes[-2], strict=True)) > 1e-3:
            boxes.append(found)  # a side moved onto a step inside the post, perhaps: the rectangle as found too
        if guesses:
            guesses_made += thumbnail_windows((x0, y0, x1, y1), image.size)
            if rank < COVERED_PROPOSALS:
                guesses_made += covered_windows((x0, y0, x1, y1))
    boxes += captioned
    guessed = np.arange(len(boxes) + len(guesses_made)) >= len(boxes)
    return np.asarray(boxes + guesses_made, dtype=np.float64).reshape(-1, 4), integral_image(grey), guessed


COVERED_PROPOSALS = 2
"""The clearest proposed rectangles whose stored regions are placed inside them (`covered_windows`)."""


def covered_windows(box: Box4) -> list[Box4]:
    """Where the stored regions (not the small ones) of a post shown whole at `box` lie: a post partly covered by
    stickers, a caption or a big watermark (a phone story) matches neither as a whole nor by windows of the dense grid
    placed off the rectangle, but its uncovered regions match where the post sits."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    return [(x0 + a * w, y0 + b * h, x0 + c * w, y0 + d * h) for a, b, c, d in STORED_REGIONS if c - a > SMALL_REGION]


THUMBNAIL_ASPECTS = (1.25, 4 / 3, 1.5, 16 / 9, 2.0)
"""Height / width of the posts (and width / height, turned) a square thumbnail may be the centre of."""
SQUARE_TILE = 1.15
"""A proposed rectangle whose sides differ by at most this ratio is a square tile (a grid's thumbnail)."""


def thumbnail_windows(box: Box4, size: tuple[int, int]) -> list[Box4]:
    """Where the stored regions of a post would be inside a square tile that shows its centre square.

    Profile grids and phone feeds show a post that is not square as its centre square: neither its whole
    picture nor any stored region is the tile. For each usual aspect (`THUMBNAIL_ASPECTS`, portrait and
    landscape) the stored regions of such a post that lie inside its centre square are placed in the tile
    (`_in_centre_square`): the region search then finds the post through them, as it finds an off-centre crop.
    """
    x0, y0, x1, y1 = box
    width, height = (x1 - x0) * size[0], (y1 - y0) * size[1]
    if not width or not height or max(width, height) / min(width, height) > SQUARE_TILE:
        return []
    w, h = x1 - x0, y1 - y0
    return [(x0 + a * w, y0 + b * h, x0 + c * w, y0 + d * h) for a, b, c, d in _in_centre_square()]


@lru_cache(maxsize=1)
def _in_centre_square() -> tuple[Box4, ...]:
    """The stored regions (not the small ones) that lie inside the centre square of a post of each usual aspect,
    as fractions of that square."""
    windows: list[Box4] = []
    for ratio in THUMBNAIL_ASPECTS:
        low, high = 0.5 - 0.5 / ratio, 0.5 + 0.5 / ratio  # the centre square, along the post's long side
        for rx0, ry0, rx1, ry1 in STORED_REGIONS:
            if rx1 - rx0 <= SMALL_REGION:
                continue
            for along, (a0, a1, b0, b1) in (("y", (ry0, ry1, rx0, rx1)), ("x", (rx0, rx1, ry0, ry1))):
                if a0 < low - 1e-9 or a1 > high + 1e-9:
                    continue
                t0, t1 = (a0 - low) * ratio, (a1 - low) * ratio  # along the square's side, 0..1
                windows.append((b0, t0, b1, t1) if along == "y" else (t0, b0, t1, b1))
    return tuple(windows)


def _textured(integral: npt.NDArray[np.int32], windows: Boxes, keep_first: bool) -> tuple[Bools, U64s, U64s]:
    """Which windows have texture enough to match (the first one always when `keep_first`), and their
    pHashes and dHashes; each window's hashes are the same whichever other windows it is hashed with."""
    if not len(windows):
        empty = np.zeros(0, np.uint64)
        return np.zeros(0, dtype=bool), empty, empty
    blocks = [
        _textured_block(integral, windows[at : at + HASH_BLOCK], keep_first and not at)
        for at in range(0, len(windows), HASH_BLOCK)
    ]
    return tuple(np.concatenate(parts) for parts in zip(*blocks, strict=True))  # type: ignore[return-value]


HASH_BLOCK = 128
"""Windows hashed together: their 32x32 grids (~1 MB a step) stay in a core's cache, where the ~3,400
query windows at once (~30 MB a step, faulted in afresh by a new process) did not."""


def _textured_block(integral: npt.NDArray[np.int32], windows: Boxes, keep_first: bool) -> tuple[Bools, U64s, U64s]:
    means = grid_means(integral, windows, 32, 32)
    keep = ~_flat(means)
    if keep_first:
        keep[0] = True
    return keep, _phash_bits(means[keep]), _dhash_bits(grid_means(integral, windows[keep], 8, 9))


def query_hashes(
    image: Image.Image,
    proposals: bool = True,
    regions: bool = True,
    stretched: bool = True,
    guessed: bool = True,
    pale: bool = False,
) -> QueryHashes:
    """The whole-image hashes of a complaint image plus the hashes of every textured query window.

    Windows: the dense grid (`dense_windows`), then the stretched ones (`stretched_windows`; not with
    `stretched=False`: the turned searches of `tilted` do without them), then the rectangles where a picture
    seems to sit inside the query (`proposal_windows`: a post inside a screenshot or a collage), with the windows
    guessed inside the square ones unless `guessed=False` (`tilted` again: each window's hashes are the same
    without them, which are most of the windows of a picture with many squares). Without
    `regions` (a whole-image search: `tracker match --no-regions`) only the whole picture is hashed. The grid is
    hashed in two halves, one on each core. With `pale`, the windows are the whole picture and those around the
    rectangles only a step between light colours too small for `proposal_windows` bounds (`rank`'s pale search).
    """
    integral = integral_image(working_grey(image))
    if not regions:
        whole = _whole_hashes(integral)
        return QueryHashes(
            whole=whole,
            windows=np.array([[0.0, 0.0, 1.0, 1.0]]),
            window_hashes=np.array([from_bytes(whole.phash)], dtype=np.uint64),
            window_dhashes=np.array([from_bytes(whole.dhash)], dtype=np.uint64),
            narrow=np.zeros(1, dtype=bool),
        )
    from tracker.matching.parallel import on_two_threads

    grid = np.concatenate([dense_windows(), stretched_windows()]) if stretched else dense_windows()
    grid = grid[:1] if pale else grid  # the whole picture, kept as row 0
    is_stretched = np.arange(len(grid)) >= len(dense_windows())
    half = max(1, len(grid) // 2)

    proposed_boxes: list[Boxes] = []
    guessed_parts: list[Bools] = []

    def proposed() -> tuple[Bools, U64s, U64s]:
        boxes, big, guesses = proposal_windows(image, guesses=guessed, pale=pale)
        proposed_boxes.append(boxes)
        guessed_parts.append(guesses)
        return _textured(big, boxes, keep_first=False)

    parts = on_two_threads(
        [
            lambda: _textured(integral, grid[:half], keep_first=True),
            lambda: _textured(integral, grid[half:], keep_first=False),
            *([proposed] if proposals else []),
        ]
    )
    boxes = np.concatenate([grid, *proposed_boxes])
    keep = np.concatenate([part[0] for part in parts])
    narrow = np.concatenate([is_stretched, np.zeros(len(boxes) - len(grid), dtype=bool)])[keep]
    guesses = np.concatenate([np.zeros(len(grid), dtype=bool), *guessed_parts])[keep] if guessed_parts else None
    windows = boxes[keep]
    p_hashes = np.concatenate([part[1] for part in parts])
    d_hashes = np.concatenate([part[2] for part in parts])
    return QueryHashes(
        whole=_whole_hashes(integral),
        windows=windows,
        window_hashes=p_hashes,
        window_dhashes=d_hashes,
        narrow=narrow,
        guessed=guesses,
    )


def region_hashes(data: bytes) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """Stored region bytes back to (pHashes, dHashes), one uint64 per entry of `STORED_REGIONS` each."""
    values = np.frombuffer(data, dtype=">u8").astype(np.uint64)
    count = len(STORED_REGIONS)
    if len(values) != 2 * count:
        raise ValueError(f"region hashes must be {16 * count} bytes")
    return values[:count], values[count:]


def to_hex(value: bytes) -> str:
    """A stored hash as the hex string imagehash would print for it."""
    return value.hex()
