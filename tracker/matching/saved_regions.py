"""The region multi-index kept on disk beside the whole-image index, so no search rebuilds it.

Building the region tables (`regions.WindowTables`) takes tens of seconds at a million images
(35 windows each); the saved file is memory-mapped in milliseconds. It sits beside the whole-image index
(`regions_path`: `<index>.regions`), is written the same way (atomically, 0600, under the
index lock) and is a cache the same way: a file that is damaged, cut short, foreign or stale is
ignored and rebuilt, never an error.

**What ties it to the rows.** The tables cover the first `rows` rows of the whole-image index (the
rows when they were built). Its header names the format, hash version, chunk layout, the
database (`HashSource.identity`), `rows`, the window count, the sha256 of those rows' ids, pHashes
and masks, and of their region pHashes when the tables are checked in full (`rows_sha256`,
recomputed from the loaded rows each time: 0.02 s at 1M), and the sha256 of its own data. Rows
added later (`log`, `import`) are not in it: a search makes tables for that tail itself
(`similarity.MatchIndex`), and once the tail passes `TAIL_ROWS` the tables are rebuilt for
every row and saved again. Rows deleted or re-hashed change the rows' checksum (their ids, or
the hash version in both headers), so the tables are rebuilt. Each array starts at a multiple of
`index.ALIGN` bytes, so numpy reads it in place.

**Why the data checksum is not always verified.** The tables are 12 bytes per window per chunk
(1.3 GB at 1M images of 35 windows); hashing them in every process would cost more than the
search. They are verified in full when they are at most `FULL_CHECK_BYTES`; above that, only
their shape is checked (every offset, so no lookup leaves the file) and a sample of entries
against the rows. That is still safe: the tables only propose windows, every proposal is
checked against the whole-image index's rows (`regions.StoredWindows.within`), and every
candidate the search reports is searched again over its rows as the database holds them
(`search.ConfirmedIndex`). So damaged tables can hide a region match, never report a wrong
post; the sample catches damage spread over the file and a rebuild follows.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from tracker.matching import hashing
from tracker.matching.index import ALIGN, file_header, index_lock, open_mapped
from tracker.matching.regions import WINDOWS, WindowTables, chunk_layout, window_phashes
from tracker.matching.similarity import RegionTablesFor, StoredHashes
from tracker.support.files import atomic_private

REGION_FORMAT = 2
MAGIC = b"TRACKER-REGION-INDEX\n"
TAIL_ROWS = 20_000
"""Rows a search may add tables for by itself (~0.2 s); past this the saved tables are rebuilt for every row."""
FULL_CHECK_BYTES = 128 * 2**20
"""Tables up to this size (~180,000 images) have their whole checksum verified on every load."""
SAMPLE = 64
"""Entries of each table checked against the rows when the whole checksum is not verified."""
MAX_WINDOWS = 2**31 - 1
"""Window ids are saved as 32-bit integers; more windows than this (113M images) are never saved."""


def regions_path(index: Path) -> Path:
    """The saved region tables beside the whole-image index `index`."""
    return index.with_name(index.name + ".regions")


def rows_digest(stored: StoredHashes, rows: int, windows: int) -> str:
    """sha256 of what the tables are made from: the ids, pHashes and masks of the first `rows` rows, and
    their region pHashes too when the tables are checked in full (`FULL_CHECK_BYTES`; above, 0.3 GB
    at 1M images, they are sampled like the tables and a search confirms its candidates anyway)."""
    digest = hashlib.sha256()
    columns = [stored.ids, stored.phash, stored.region_mask]
    if _data_size(windows) <= FULL_CHECK_BYTES:
        columns.append(stored.regions)
    for column in columns:
        digest.update(np.ascontiguousarray(column[:rows]).data)  # in place: no copy of a million rows
    return digest.hexdigest()


def _header(identity: str, rows: int, windows: int, rows_sha256: str, sha256: str) -> dict[str, Any]:
    return {
        "format": REGION_FORMAT,
        "hash_version": hashing.HASH_VERSION,
        "regions": len(hashing.STORED_REGIONS),
        "chunks": list(chunk_layout(windows)),
        "database": identity,
        "rows": rows,
        "windows": windows,
        "rows_sha256": rows_sha256,
        "sha256": sha256,
    }


def _parts(tables: WindowTables) -> list[bytes]:
    """The tables as the file holds them, chunk after chunk: order (int32), pHashes (uint64), offsets (int32),
    each padded with zeros to a multiple of `index.ALIGN` bytes (so each is read in place, aligned)."""
    parts = []
    for order, hashes, offsets in zip(tables.orders, tables.hashes, tables.offsets, strict=True):
        parts.append(_padded(np.asarray(order).astype("<i4").tobytes()))
        parts.append(_padded(np.asarray(hashes).astype("<u8").tobytes()))
        parts.append(_padded(np.asarray(offsets).astype("<i4").tobytes()))
    return parts


def _padded(data: bytes) -> bytes:
    return data + bytes(-len(data) % ALIGN)


def _size(nbytes: int) -> int:
    return nbytes + -nbytes % ALIGN


def _data_size(windows: int) -> int:
    return sum(_size(4 * windows) + _size(8 * windows) + _size(4 * ((1 << bits) + 1)) for bits in chunk_layout(windows))


def save_regions(path: Path, tables: WindowTables, stored: StoredHashes, identity: str) -> bool:
    """Write the tables over the first `tables.rows` rows of `stored` atomically (0600).

    False when they cannot be saved (more windows than a 32-bit id holds)."""
    if len(tables) > MAX_WINDOWS or tables.rows > len(stored):
        return False
    parts = _parts(tables)
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    rows_sha256 = rows_digest(stored, tables.rows, len(tables))
    header = _header(identity, tables.rows, len(tables), rows_sha256, digest.hexdigest())
    body = json.dumps(header, sort_keys=True).encode()
    with atomic_private(path, prefix=".hashindex-", suffix=".npz") as handle:
        handle.write(file_header(MAGIC, body))
        for part in parts:
            handle.write(part)
    return True


def load_regions(path: Path, stored: StoredHashes, identity: str) -> WindowTables | None:
    """The saved tables over the first rows of `stored` (the rows they were built from), or None when unusable."""
    opened = open_mapped(path, MAGIC)
    if opened is None:
        return None
    mapped, header_bytes, start = opened
    try:
        header = json.loads(header_bytes)
    except (ValueError, RecursionError):
        return None
    if not isinstance(header, dict):
        return None
    rows, windows = header.get("rows"), header.get("windows")
    rows_sha, sha = header.get("rows_sha256"), header.get("sha256")
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (rows, windows)):
        return None
    if not isinstance(rows_sha, str) or not isinstance(sha, str):
        return None
    assert isinstance(rows, int) and isinstance(windows, int)
    if header != _header(identity, rows, windows, rows_sha, sha):
        return None  # another format, hash version, layout or database
    if rows > len(stored) or windows > rows * WINDOWS or len(mapped) != start + _data_size(windows):
        return None
    if rows_digest(stored, rows, windows) != rows_sha:
        return None  # built from other rows (deleted, re-hashed, another database's)
    data = memoryview(mapped)[start:]
    if len(data) <= FULL_CHECK_BYTES and hashlib.sha256(data).hexdigest() != sha:
        return None
    tables = _views(mapped, start, windows, rows)
    if not tables.well_formed() or not _sample_holds(tables, stored):
        return None
    return tables


def _views(mapped: Any, start: int, windows: int, rows: int) -> WindowTables:
    orders, hashes, offsets = [], [], []
    at = start
    for bits in chunk_layout(windows):
        orders.append(np.frombuffer(mapped, dtype="<i4", count=windows, offset=at))
        at += _size(4 * windows)
        hashes.append(np.frombuffer(mapped, dtype="<u8", count=windows, offset=at).astype(np.uint64, copy=False))
        at += _size(8 * windows)
        offsets.append(np.frombuffer(mapped, dtype="<i4", count=(1 << bits) + 1, offset=at))
        at += _size(4 * ((1 << bits) + 1))
    return WindowTables(orders, hashes, offsets, rows=rows)


def _sample_holds(tables: WindowTables, stored: StoredHashes) -> bool:
    """Do some entries of each table name a window of the covered rows holding the pHash the table says?"""
    n = len(tables)
    if not n:
        return True
    # sorted(set()) rather than np.unique, which imports numpy.ma (10 ms of every search process)
    picks = np.array(sorted({int(i) for i in np.linspace(0, n - 1, SAMPLE)}), dtype=np.int64)
    limit = tables.rows * WINDOWS
    for order, hashes in zip(tables.orders, tables.hashes, strict=True):
        windows = np.asarray(order[picks], dtype=np.int64)
        if bool(np.any((windows < 0) | (windows >= limit))):
            return False
        if not np.array_equal(window_phashes(stored.phash, stored.regions, windows), hashes[picks]):
            return False
    return True


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, modification time) of a file, None when there is none: tells whether it was replaced."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def region_tables(
    index: Path, identity: str, saved_as: tuple[int, int, int] | None, rebuild: bool = False
) -> RegionTablesFor:
    """What `similarity.MatchIndex` calls, on its first region search, for the saved tables of its rows.

    Under the index lock: the saved tables when they fit the rows and leave at most `TAIL_ROWS`
    uncovered; else tables made for every row and saved. They are saved only while the
    whole-image index is still the file `saved_as` stamps (the one these rows came from): a scrub
    that removed it meanwhile, or a process that saved other rows, is never undone. Without
    the lock (a long scrub), nothing is read or saved: the search makes its tables itself.
    """

    def provide(stored: StoredHashes) -> WindowTables | None:
        path = regions_path(index)
        with index_lock(index) as held:
            if not held:
                return None
            if not rebuild:
                tables = load_regions(path, stored, identity)
                if tables is not None and len(stored) - tables.rows <= TAIL_ROWS:
                    return tables
            tables = WindowTables.of_rows(stored.phash, stored.regions, stored.region_mask)
            if saved_as is not None and file_stamp(index) == saved_as:
                try:
                    save_regions(path, tables, stored, identity)
                except OSError:
                    pass  # a cache that cannot be written costs speed next time, nothing else
            return tables

    return provide
