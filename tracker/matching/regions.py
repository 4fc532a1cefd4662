"""The region multi-index: every searchable window of every stored image, in tables a radius search probes.

A stored image has `WINDOWS` windows: the whole picture (code 0) and each entry of
`hashing.STORED_REGIONS` (code i + 1), the ones with texture enough to match (bit i of its region
mask). Window `w` is code `w % WINDOWS` of row `w // WINDOWS`, so a window needs no row of its
own: its hashes are read from the stored rows (`StoredHashes`) when a candidate survives.

**Search** (multi-index hashing, Norouzi et al.): each 64-bit pHash is cut into k chunks
(`chunk_layout`). Two hashes within r bits agree to within r // k bits on at least one chunk
(pigeonhole), so looking up, in one table per chunk, every chunk value within that many bits of
the query's finds every answer. Each table holds the windows sorted by their chunk (`order`),
the pHashes in that order (`hashes`, so a probed bucket is read as one contiguous run instead
of one cache miss per window) and where each chunk value's run starts (`offsets`). Four 16-bit
chunks probe 137 buckets of N/65536 windows per query window at radius 11; three 21-bit chunks
probe ~1,600 buckets of N/2M: four times fewer candidates, many more buckets. The probes of all
query windows are sorted by bucket before they are looked up (`WindowTables._chunk`), so each
table is read in one sweep rather than one random jump per probe: at 1M images (5M probes per
search) that halved the search. Measured with the ~1,000 query windows at radius 11 and ~2,400
at radius 7 of a real query (a loaded machine), four chunks are faster at 100k images (0.14 s
against 0.28 s), three at 1M (1.1 s; four would read 300M candidates), hence the switch at
`LARGE_FROM` windows. Each chunk is probed within its own radius (`chunk_radii`); from `SPLIT_FROM`,
half the tables on a second thread (`parallel`). Eight 8-bit chunks
serve the smallest tables (`SMALL_FROM`: the candidates of one search checked again, a test's
archive), where building 65,537-entry offset tables would cost more than the windows.

**Trust.** The tables only propose: every proposed window is checked against the stored rows
(`WindowTables.within` recomputes its pHash from them) and the caller reads its dHash from them
too, so tables that are damaged, or that belong to other rows, can lose a match but never make
one. The saved file (`saved_regions.save_regions`) is a cache like the whole-image index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, partial
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from tracker.matching.hashing import STORED_REGIONS
from tracker.matching.parallel import on_two_threads

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

WINDOWS = 1 + len(STORED_REGIONS)
"""Windows per stored image: the whole picture, then each stored region."""
TINY_CHUNKS = (8,) * 8
SMALL_CHUNKS = (16, 16, 16, 16)
LARGE_CHUNKS = (21, 21, 22)
SMALL_FROM = 4096
"""Windows (~120 images) from which four 16-bit chunks beat eight 8-bit ones: below it, building and
probing 65,537-entry offset tables costs more than the few windows (the candidates of one search
checked again against the database's rows, a test's archive)."""
LARGE_FROM = 4_000_000
"""Windows (~115,000 images) from which three 21-bit chunks beat four 16-bit ones: below it, the
2M-entry offset tables cost more in cache misses than the longer runs of four 16-bit chunks."""


def chunk_layout(windows: int) -> tuple[int, ...]:
    """Bits of each chunk of a pHash, lowest first, for tables over this many windows."""
    if windows < SMALL_FROM:
        return TINY_CHUNKS
    return LARGE_CHUNKS if windows >= LARGE_FROM else SMALL_CHUNKS


SPLIT_FROM = 1 << 26
"""Stored windows x query windows (~20,000 posts searched with a full query) from which the chunk tables are
probed on two threads: numpy lets go of the interpreter while it gathers and compares, so both cores work."""

SLICE = 1 << 15
"""Candidates (stored windows in probed buckets) looked up together: the five arrays of one slice (~1 MB)
stay in a core's L2 cache. Cut by candidates, not probes, so the slices fit whatever the bucket sizes: at
100,000 images (~53 windows a bucket) slices of 8,192 probes, ~430,000 candidates, did not, and made
the search 1.5x as slow."""


def chunk_keys(values: U64, c: int, layout: tuple[int, ...]) -> I64:
    """Chunk c of each hash."""
    shift = sum(layout[:c])
    return ((values >> np.uint64(shift)) & np.uint64((1 << layout[c]) - 1)).astype(np.int64)


def chunk_radii(layout: tuple[int, ...], radius: int) -> tuple[int, ...]:
    """Bits each chunk is probed within, so that every hash within `radius` is found.

    A hash differing by more than r_i bits on every chunk i differs by at least sum(r_i + 1)
    bits in all; radii whose sum(r_i + 1) is radius + 1 therefore miss nothing (pigeonhole). The
    remainder of (radius + 1) / k goes to the narrowest chunks, which have the fewest probes:
    radius 7 over three 21/22-bit chunks is probed at 2, 2 and 1 bits (487 probes, not 718).
    """
    k = len(layout)
    base, extra = divmod(max(0, radius) + 1, k)
    narrowest = sorted(range(k), key=lambda c: layout[c])[:extra]
    return tuple(max(0, base - 1 + (c in narrowest)) for c in range(k))


@cache
def probe_masks(bits: int, flips: int) -> I64:
    """Every value of `bits` bits with at most `flips` bits set (the chunk values within `flips` bits)."""
    masks = [0]
    for k in range(1, flips + 1):
        masks.extend(sum(1 << b for b in combo) for combo in combinations(range(bits), k))
    return np.array(masks, dtype=np.int64)


def window_ids(region_mask: I64, start_row: int = 0) -> I64:
    """The searchable windows of rows start_row.. (the whole picture always, regions with texture)."""
    n = len(region_mask)
    bits = (np.asarray(region_mask, dtype=np.int64)[:, None] >> np.arange(len(STORED_REGIONS))[None, :]) & 1
    present = np.concatenate([np.ones((n, 1), dtype=bool), bits.astype(bool)], axis=1)
    rows, codes = np.nonzero(present)
    return (rows + start_row) * WINDOWS + codes


def window_phashes(phash: U64, regions: U64, windows: I64) -> U64:
    """The pHash of each window, read from the stored rows."""
    rows, codes = np.divmod(windows, WINDOWS)
    out = phash[rows]
    inner = np.flatnonzero(codes)
    if len(inner):
        out[inner] = regions[rows[inner], codes[inner] - 1]
    return out


def window_dhashes(dhash: U64, region_dhash: U64, windows: I64) -> U64:
    """The dHash of each window, read from the stored rows."""
    return window_phashes(dhash, region_dhash, windows)


class WindowTables:
    """The chunk tables over some windows (see the module docstring); built, or views on a saved file."""

    def __init__(
        self,
        orders: Sequence[npt.NDArray[np.integer[Any]]],
        hashes: Sequence[U64],
        offsets: Sequence[npt.NDArray[np.integer[Any]]],
        rows: int = 0,
    ) -> None:
        self.orders = list(orders)
        self.hashes = list(hashes)
        self.offsets = list(offsets)
        self.layout = tuple(int(len(o) - 1).bit_length() - 1 for o in self.offsets)
        """Bits of each chunk: the offset tables have 2**bits + 1 entries."""
        self.rows = rows
        """The stored rows these tables cover: rows 0 .. rows - 1 (`of_rows`), or 0 when not stored rows."""

    @classmethod
    def of_rows(cls, phash: U64, regions: U64, region_mask: I64, start_row: int = 0) -> WindowTables:
        """Tables over every searchable window of stored rows start_row .. len(phash) - 1."""
        windows = window_ids(region_mask[start_row:], start_row)
        made = cls.build(windows, window_phashes(phash, regions, windows))
        made.rows = len(phash)
        return made

    @classmethod
    def build(cls, windows: I64, phashes: U64) -> WindowTables:
        """Tables over these windows, whose pHashes are `phashes`."""
        orders, hashes, offsets = [], [], []
        layout = chunk_layout(len(windows))
        for c, bits in enumerate(layout):
            keys = chunk_keys(phashes, c, layout)
            order = np.argsort(keys, kind="stable")
            orders.append(windows[order])
            hashes.append(np.ascontiguousarray(phashes[order]))
            counts = np.bincount(keys, minlength=1 << bits)
            offset: npt.NDArray[np.integer[Any]] = np.zeros((1 << bits) + 1, dtype=np.int64)
            if len(windows) < 2**31:
                offset = offset.astype(np.int32)
            np.cumsum(counts, out=offset[1:])
            offsets.append(offset)
        return cls(orders, hashes, offsets)

    def __len__(self) -> int:
        return len(self.orders[0])

    def well_formed(self) -> bool:
        """Do the tables hang together (lengths, offsets rising to the window count)? Cheap: the offsets only."""
        n = len(self)
        if sum(self.layout) != 64 or self.layout != chunk_layout(n):
            return False
        for order, hashes, offset, bits in zip(self.orders, self.hashes, self.offsets, self.layout, strict=True):
            if len(order) != n or len(hashes) != n or len(offset) != (1 << bits) + 1:
                return False
            if int(offset[0]) != 0 or int(offset[-1]) != n or bool(np.any(np.diff(offset) < 0)):
                return False
        return True

    def within(
        self, queries: U64, radius: int, limit: int, truth: Callable[[I64], U64]
    ) -> tuple[I64, I64, npt.NDArray[np.uint8]]:
        """Every (query index, window, pHash distance) with distance <= radius; pairs may repeat.

        Windows are below `limit`, and `truth` gives a window's pHash from the stored rows: each
        proposed window is checked against it, so a window the tables got wrong is never returned.
        """
        chunks = range(len(self.layout)) if len(self) else range(0)
        if len(self) * len(queries) >= SPLIT_FROM:
            parts = on_two_threads([partial(self._chunk, c, queries, radius) for c in chunks])
        else:
            parts = [self._chunk(c, queries, radius) for c in chunks]
        parts = [p for p in parts if len(p[0])]
        if not parts:
            return _empty()
        q_idx = np.concatenate([p[0] for p in parts])
        windows = np.concatenate([p[1] for p in parts])
        seen = np.concatenate([p[2] for p in parts])
        inside = (windows >= 0) & (windows < limit)
        q_idx, windows, seen = q_idx[inside], windows[inside], seen[inside]
        actual = truth(windows)
        same = actual == seen
        q_idx, windows, actual = q_idx[same], windows[same], actual[same]
        return q_idx, windows, np.bitwise_count(actual ^ queries[q_idx])

    def _chunk(self, c: int, queries: U64, radius: int) -> tuple[I64, I64, U64]:
        """(query index, window, stored pHash) of every window within `radius` found through chunk c.

        Every query's probes are sorted by bucket first, so the table is read in one sweep from
        start to end instead of one random jump per probe (at 1M images, 5M jumps cost seconds).
        The probed runs are then read as rows of one width (`_scan_rows`: most runs fit in one) and
        what is left of the longer ones run by run (`_scan_runs`), about `SLICE` candidates at a time.
        """
        bits = self.layout[c]
        masks = probe_masks(bits, chunk_radii(self.layout, radius)[c])
        probes = (chunk_keys(queries, c, self.layout)[:, None] ^ masks[None, :]).ravel()
        # A stable radix sort on (at most) the top 16 bits: buckets this close share cache lines and pages.
        order = np.argsort((probes >> max(0, bits - 16)).astype(np.uint16), kind="stable")
        probes, owner = probes[order], order // len(masks)
        offset, hashes = self.offsets[c], self.hashes[c]
        starts = offset[probes].astype(np.int64)
        lengths = offset[probes + 1] - starts
        found = _Found(queries, radius, hashes, self.orders[c])
        width = _row_width(lengths, len(hashes))
        if width:
            _scan_rows(found, starts, owner, width)
            longer = np.flatnonzero(lengths > width)
            starts, lengths, owner = starts[longer] + width, lengths[longer] - width, owner[longer]
        _scan_runs(found, starts, lengths, owner)
        return found.arrays()


class _Found:
    """What one chunk's scan found: (query index, window, stored pHash) parts, and what it scans with."""

    def __init__(self, queries: U64, radius: int, hashes: U64, windows: npt.NDArray[np.integer[Any]]) -> None:
        self.queries, self.radius, self.hashes, self.windows = queries, radius, hashes, windows
        self.parts: list[tuple[I64, I64, U64]] = []

    def add(self, who: I64, positions: I64, stored: U64) -> None:
        self.parts.append((who, np.take(self.windows, positions).astype(np.int64), stored))

    def arrays(self) -> tuple[I64, I64, U64]:
        if not self.parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.uint64)
        return (
            np.concatenate([p[0] for p in self.parts]),
            np.concatenate([p[1] for p in self.parts]),
            np.concatenate([p[2] for p in self.parts]),
        )


ROW_SHARE = 0.8
"""The row width of a chunk's scan (`_scan_rows`) is the run length this share of its probes' runs fit in."""
MIN_ROW = 8
"""Narrower rows are not worth it (a small table's short runs): every run is read by itself (`_scan_runs`)."""


def _row_width(lengths: I64, size: int) -> int:
    """How many entries from each probe's run start to read as one row (0: none, read run by run).

    Runs vary in length (a bucket's windows); rows cannot. At the length most runs fit in, a row
    reads a few entries past a short run and a long run's rest is read by itself."""
    if not len(lengths):
        return 0
    sample = np.sort(lengths[:: max(1, len(lengths) // 1024)])
    width = min(int(sample[int(ROW_SHARE * (len(sample) - 1))]), size)
    return width if width >= MIN_ROW else 0


def _scan_rows(found: _Found, starts: I64, owner: I64, width: int) -> None:
    """Compare each probe's query with the `width` entries of its table from where its run starts.

    One row per probe, gathered as a block from a sliding view of the table: no position is computed
    per entry, and each row is compared with its query broadcast. A row also reads entries past its
    run (a neighbouring bucket, or those before the table's end when the run is within `width` of it): a
    pair found there is within `radius` all the same, the same pair its own bucket's probe finds."""
    hashes, queries = found.hashes, found.queries
    rows = np.lib.stride_tricks.sliding_window_view(hashes, width)
    firsts = np.minimum(starts, len(hashes) - width)
    step = max(1, SLICE // width)
    for at in range(0, len(firsts), step):
        first = firsts[at : at + step]
        block = rows[first]
        block ^= queries[owner[at : at + step], None]
        hit = np.flatnonzero(np.bitwise_count(block).ravel() <= found.radius)
        if not len(hit):
            continue
        row, column = np.divmod(hit, width)
        who = owner[at + row]
        found.add(who, first[row] + column, block.ravel()[hit] ^ queries[who])


def _scan_runs(found: _Found, starts: I64, lengths: I64, owner: I64) -> None:
    """Compare each probe's query with every entry of its run, the runs flattened one after another."""
    hashes, queries = found.hashes, found.queries
    ends = np.cumsum(lengths)
    shift = starts - ends + lengths  # a probe's first position less where its run starts in the flattened runs
    for lo, hi in _slices(ends):
        # Positions starts[i] .. starts[i] + lengths[i] - 1 of every probe in the slice, flattened.
        done = int(ends[lo - 1]) if lo else 0
        total = int(ends[hi - 1]) - done
        if total <= 0:
            continue
        run, query = lengths[lo:hi], owner[lo:hi]
        positions = np.repeat(shift[lo:hi] + done, run)
        positions += _counting(total)
        stored = np.take(hashes, positions, mode="clip")  # offsets are checked: "clip" only skips the test
        stored ^= np.repeat(queries[query], run)
        hit = np.flatnonzero(np.bitwise_count(stored) <= found.radius)
        if not len(hit):
            continue
        who = query[np.searchsorted(ends[lo:hi], hit + done, side="right")]
        found.add(who, positions[hit], stored[hit] ^ queries[who])


def _slices(ends: I64) -> list[tuple[int, int]]:
    """(lo, hi) runs of consecutive probes holding about `SLICE` candidates each (`ends`: the running total of
    their bucket sizes); a probe whose bucket alone holds more is a slice of its own."""
    if not len(ends):
        return []
    cuts = np.searchsorted(ends, np.arange(SLICE, int(ends[-1]), SLICE), side="right")
    bounds = [0, *sorted({int(c) for c in cuts} - {0, len(ends)}), len(ends)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


@cache
def _arange(bits: int) -> I64:
    return np.arange(1 << bits, dtype=np.int64)


def _counting(n: int) -> I64:
    """0 .. n - 1, a view on one array kept for every slice (rather than a new one each time)."""
    return _arange(max(16, n.bit_length()))[:n]


def _empty() -> tuple[I64, I64, npt.NDArray[np.uint8]]:
    empty = np.zeros(0, dtype=np.int64)
    return empty, empty, np.zeros(0, dtype=np.uint8)


class WindowColumn:
    """A per-window value read from the stored rows on demand: `column[windows]`."""

    def __init__(self, read: Callable[[I64], npt.NDArray[Any]]) -> None:
        self.read = read

    def __getitem__(self, windows: I64 | np.integer[Any] | int) -> npt.NDArray[Any]:
        return self.read(np.asarray(windows, dtype=np.int64))


class StoredWindows:
    """The searchable windows of stored rows: tables proposing candidates, rows confirming them.

    `tables` cover consecutive runs of rows (a saved base and an appended tail, say); together
    they answer as one multi-index whose entries are window ids.
    """

    def __init__(self, phash: U64, dhash: U64, regions: U64, region_dhash: U64, tables: Sequence[WindowTables]) -> None:
        self.phash, self.dhash_rows = phash, dhash
        self.regions, self.region_dhash = regions, region_dhash
        self.tables = list(tables)
        self.dhash = WindowColumn(lambda w: window_dhashes(self.dhash_rows, self.region_dhash, np.atleast_1d(w)))
        self.owners = WindowColumn(lambda w: w // WINDOWS)
        self.codes = WindowColumn(lambda w: w % WINDOWS)

    def _truth(self, windows: I64) -> U64:
        return window_phashes(self.phash, self.regions, windows)

    def within(self, queries: U64, radius: int) -> tuple[I64, I64, npt.NDArray[np.uint8]]:
        """Every (query index, window, pHash distance) with distance <= radius; pairs may repeat.

        Query windows with the same pHash (neighbours on a plain part of the picture) are searched once: their pairs
        are the same windows at the same distances, handed to each of them (`_shared`)."""
        distinct, inverse = np.unique(queries, return_inverse=True)
        if len(distinct) < len(queries):
            return _shared(self.within(distinct, radius), inverse.ravel(), len(distinct))
        limit = len(self.phash) * WINDOWS
        parts = [t.within(queries, radius, limit, self._truth) for t in self.tables if len(t)]
        if not parts:
            return _empty()
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]),
        )


def _shared(
    found: tuple[I64, I64, npt.NDArray[np.uint8]], inverse: I64, distinct: int
) -> tuple[I64, I64, npt.NDArray[np.uint8]]:
    """The pairs of distinct query pHashes (`found`) as pairs of every query window having one (`inverse`: which)."""
    who, windows, distances = found
    by_hash = np.argsort(inverse, kind="stable")  # the query windows, grouped by their pHash
    counts = np.bincount(inverse, minlength=distinct)
    starts = np.cumsum(counts) - counts  # where each pHash's group starts in by_hash
    times = counts[who]  # each pair is handed to every window of its group
    at = np.repeat(starts[who], times)
    at += np.arange(len(at)) - np.repeat(np.cumsum(times) - times, times)
    return by_hash[at], np.repeat(windows, times), np.repeat(distances, times)
