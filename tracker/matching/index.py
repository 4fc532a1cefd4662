"""The similarity index of one database: its image hashes as numpy arrays, kept on disk between runs.

Loading a million rows from the database takes seconds; the saved arrays are memory-mapped
(`load_saved`) in a fraction of one. The region tables are saved beside this file
(`saved_regions`). The saved index carries a stamp of the image table (row count, highest id, sum
of ids, hash version). When the table has grown, only the new rows are read and appended; when
rows were deleted, the vanished ids are dropped; anything else rebuilds from the rows. The
index is a cache: deleting it loses nothing.

The file is not trusted (`load_saved`): a header names its format, the hash version, the
database it was built from (`HashSource.identity`) and the sha256 of the rows it holds (of the
whole-image fields and of the region hashes apart); the rows are stored uncompressed and
aligned (`ALIGN`), so nothing is inflated or copied, and the file must be exactly as long as its
header says, with no more rows than the database could explain. A file that is damaged, cut
short, too big, from another database or of another format is ignored and rebuilt, never an
error: the owner only notices the time a rebuild takes. Above `REGION_CHECK_BYTES` the region
hashes are not checksummed on each load (the search confirms its candidates against the
database instead), so damage there can hide a match but never report a wrong post.

A lock file beside the index (`index_lock`) is held while the index is read from the database
and saved, and by the persona scrub from its deletions until it has removed the index, so a
search running during a scrub never saves the scrubbed rows again.

This module is handed the database's rows (a `HashSource`, `matching.stored.DatabaseHashes` in
the app): it never opens a session.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import stat
import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from tracker.errors import DatabaseError
from tracker.matching import hashing
from tracker.matching.similarity import StoredHashes
from tracker.support.files import atomic_private, file_lock

INDEX_FORMAT = 3
MAGIC = b"TRACKER-HASH-INDEX\n"
MAX_HEADER = 4096
"""Bytes of the JSON header at most."""
ALIGN = 64
"""The rows start at a multiple of this many bytes (the header is padded with spaces): numpy reads
aligned arrays in place, where misaligned ones are copied or read byte by byte."""
LOCK_WAIT = 60.0
"""Seconds a search waits for a scrub (or another search saving the index) before it goes without the saved index."""
SPARE_ROWS = 1024
"""Rows a saved index may hold beyond twice the database's: more cannot be this database's (rows are rarely deleted)."""
Stamp = tuple[int, int, int, int]
"""(row count, highest id, sum of ids, hash version) of the hashed image rows."""


HashRow = tuple[int, bytes, bytes, bytes | None, bytes | None, bytes | None, int | None]
"""One stored image as the index takes it: id, pHash, dHash, their mirrors, region hashes, region mask."""


class HashSource(Protocol):
    """Where the index reads the database's hashes (`matching.stored.DatabaseHashes`, or a test's rows)."""

    def identity(self) -> str:
        """Which database this is (a saved index from another one is never used)."""
        ...

    def stamp(self) -> Stamp: ...

    def rows(self, after_id: int = 0) -> Iterable[HashRow]: ...

    def ids(self) -> list[int]: ...

    def hash_rows(self, ids: Sequence[int]) -> list[HashRow]:
        """The hashed rows among these ids, by id."""
        ...


def stored_from_rows(rows: Iterable[HashRow]) -> StoredHashes:
    """The index arrays of stored rows (every hash present: a row without one is an inconsistent database)."""
    ids: list[int] = []
    columns: list[list[bytes]] = [[], [], [], [], []]
    masks: list[int] = []
    for row in rows:
        ids.append(row[0])
        for column, value in zip(columns, row[1:6], strict=True):
            if value is None:
                raise DatabaseError(f"database is inconsistent: image {row[0]} is marked hashed but has no hashes")
            column.append(bytes(value))
        masks.append(int(row[6] or 0))
    if not ids:
        return StoredHashes.empty()
    n, r = len(ids), len(hashing.STORED_REGIONS)

    def words(values: list[bytes]) -> np.ndarray:
        return np.frombuffer(b"".join(values), dtype=">u8").astype(np.uint64)

    regions = words(columns[4]).reshape(n, 2, r)
    return StoredHashes(
        ids=np.array(ids, dtype=np.int64),
        phash=words(columns[0]),
        dhash=words(columns[1]),
        phash_mirror=words(columns[2]),
        dhash_mirror=words(columns[3]),
        regions=np.ascontiguousarray(regions[:, 0]),
        region_dhash=np.ascontiguousarray(regions[:, 1]),
        region_mask=np.array(masks, dtype=np.int64),
    )


_FIELDS = ("ids", "phash", "dhash", "phash_mirror", "dhash_mirror", "region_mask", "regions", "region_dhash")
_WIDTHS = (1, 1, 1, 1, 1, 1, len(hashing.STORED_REGIONS), len(hashing.STORED_REGIONS))
"""8-byte words per row of each field, in the file's order: the whole-image fields, then the region hashes."""
ROW_BYTES = 8 * sum(_WIDTHS)
WHOLE_BYTES = 8 * 6
"""Bytes per row of the whole-image fields (ids to region_mask), checksummed on every load."""
REGION_CHECK_BYTES = 16 * 2**20
"""Region hashes up to this size (~30,000 images) have their checksum verified on every load; above it
(54 MB at 100k images, 0.5 GB at 1M: 0.35 s per search) only sampled rows are compared with the
database (`_same_rows`), and every candidate is searched again over its rows as the database holds
them (`search.ConfirmedIndex`)."""


def _stamp_of(stored: StoredHashes) -> Stamp:
    top = int(stored.ids.max()) if len(stored) else 0
    return len(stored), top, int(stored.ids.sum()), hashing.HASH_VERSION


def _payload(stored: StoredHashes) -> list[bytes]:
    """The rows as the file holds them: each field's little-endian 8-byte words, field after field."""
    return [np.ascontiguousarray(getattr(stored, name)).astype("<u8", copy=False).tobytes() for name in _FIELDS]


def _header(identity: str, rows: int, digest: str, regions_digest: str) -> dict[str, Any]:
    return {
        "format": INDEX_FORMAT,
        "hash_version": hashing.HASH_VERSION,
        "regions": len(hashing.STORED_REGIONS),
        "database": identity,
        "rows": rows,
        "sha256": digest,
        "regions_sha256": regions_digest,
    }


def save(path: Path, stored: StoredHashes, identity: str = "") -> None:
    """Write the index atomically (temporary file, then rename), private to the user."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    parts = _payload(stored)
    whole, regions = hashlib.sha256(), hashlib.sha256()
    for name, part in zip(_FIELDS, parts, strict=True):
        (regions if name in ("regions", "region_dhash") else whole).update(part)
    header = json.dumps(_header(identity, len(stored), whole.hexdigest(), regions.hexdigest()), sort_keys=True).encode()
    with atomic_private(path, prefix=".hashindex-", suffix=".npz") as handle:
        handle.write(file_header(MAGIC, header))
        for part in parts:
            handle.write(part)


def load_saved(path: Path, identity: str = "", max_rows: int | None = None) -> StoredHashes | None:
    """The saved index of the database `identity`, or None when there is none or it cannot be used.

    `max_rows` bounds what is looked at before anything else is checked (`SPARE_ROWS`). The rows
    are memory-mapped, not read: the checksum of the whole-image fields is verified (0.03 s per
    million rows), that of the region hashes when they are at most `REGION_CHECK_BYTES`, then the
    arrays are views on the mapping. Nothing about the file is an error: it is only a cache,
    rebuilt by the caller.
    """
    opened = open_mapped(path, MAGIC)
    if opened is None:
        return None
    mapped, header_bytes, start = opened
    header = _read_header(header_bytes, identity)
    if header is None:
        return None
    rows, digest, regions_digest = header
    if (max_rows is not None and rows > max_rows) or len(mapped) != start + rows * ROW_BYTES:
        return None
    data = memoryview(mapped)[start:]
    whole = rows * WHOLE_BYTES
    if hashlib.sha256(data[:whole]).hexdigest() != digest:
        return None
    if len(data) - whole <= REGION_CHECK_BYTES and hashlib.sha256(data[whole:]).hexdigest() != regions_digest:
        return None
    return _arrays(mapped, start, rows)


def file_header(magic: bytes, header: bytes) -> bytes:
    """`magic`, the header's length and the header, padded with spaces to a multiple of `ALIGN` bytes."""
    pad = -(len(magic) + 4 + len(header)) % ALIGN
    header += b" " * pad
    return magic + struct.pack(">I", len(header)) + header


def open_mapped(path: Path, magic: bytes) -> tuple[mmap.mmap, bytes, int] | None:
    """A regular file starting with `magic`, a header length and at most `MAX_HEADER` bytes of
    header, mapped read-only: (mapping, header bytes, where the data starts); None for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size < len(magic) + 4:  # a FIFO or a device put there
            return None
        mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError, OverflowError):
        return None
    finally:
        os.close(fd)
    if mapped[: len(magic)] != magic:
        return None
    (length,) = struct.unpack(">I", mapped[len(magic) : len(magic) + 4])
    start = len(magic) + 4 + length
    if length > MAX_HEADER or start > len(mapped) or start % ALIGN:
        return None
    return mapped, mapped[len(magic) + 4 : start], start


def _read_header(data: bytes, identity: str) -> tuple[int, str, str] | None:
    """(rows, sha256 of the whole-image fields, of the region hashes) of a header written by `save`
    for this database and hash version, else None."""
    try:
        header = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(header, dict):
        return None
    rows, digest, regions_digest = header.get("rows"), header.get("sha256"), header.get("regions_sha256")
    if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
        return None
    if not isinstance(digest, str) or not isinstance(regions_digest, str):
        return None
    if header != _header(identity, rows, digest, regions_digest):
        return None  # another format, hash version, region layout or database
    return rows, digest, regions_digest


def _arrays(mapped: mmap.mmap, start: int, rows: int) -> StoredHashes | None:
    """The fields of a checked file (data from `start`), as views on its mapping.

    None when the rows cannot be an index (ids out of order)."""
    arrays: dict[str, np.ndarray] = {}
    offset = start
    for name, width in zip(_FIELDS, _WIDTHS, strict=True):
        words = np.frombuffer(mapped, dtype="<u8", count=rows * width, offset=offset)
        offset += 8 * rows * width
        signed = name in ("ids", "region_mask")
        values = words.view("<i8") if signed else words
        values = values.astype(np.int64 if signed else np.uint64, copy=False)
        arrays[name] = values.reshape(rows, width) if width > 1 else values
    ids, masks = arrays["ids"], arrays["region_mask"]
    if rows and (int(ids[0]) <= 0 or bool(np.any(np.diff(ids) <= 0)) or bool(np.any(masks < 0))):
        return None
    try:
        return StoredHashes(**arrays)
    except ValueError:
        return None


@contextmanager
def index_lock(path: Path, wait: float | None = None) -> Iterator[bool]:
    """Hold the lock file beside the index `path`: yields True when held, False after `wait` seconds
    (`LOCK_WAIT` by default) without it, or where no lock file can be made (then no index is saved
    there either). The persona scrub takes the same lock (`purge.scrub`)."""
    with file_lock(lock_file(path), LOCK_WAIT if wait is None else wait) as held:
        yield held


def lock_file(path: Path) -> Path:
    """The lock file beside the index `path`."""
    return path.with_name(path.name + ".lock")


SAMPLE = 16
"""Rows of a saved index checked against the database before it is trusted."""


def _same_rows(source: HashSource, saved: StoredHashes) -> bool:
    """Do some saved rows (the newest, and others spread over the index) still hold the database's hashes?

    The stamp alone cannot tell a saved index from another database that happens to have the same
    ids (a database deleted and started again beside an old index file, an id reused). Every
    hash of these rows is compared, the region hashes too (whose checksum a big index skips).
    """
    if not len(saved):
        return True
    n = len(saved)
    picks = sorted(set(np.linspace(0, n - 1, SAMPLE).astype(int).tolist()) | set(range(max(0, n - SAMPLE), n)))
    try:
        database = stored_from_rows(source.hash_rows([int(saved.ids[i]) for i in picks]))
    except DatabaseError:
        return False
    keep = np.zeros(n, dtype=bool)
    keep[picks] = True
    return same_hashes(database, saved.select(keep))


def same_hashes(a: StoredHashes, b: StoredHashes) -> bool:
    """Do two sets of rows hold the same ids and hashes, row for row?"""
    return len(a) == len(b) and all(np.array_equal(getattr(a, name), getattr(b, name)) for name in _FIELDS)


def refresh(source: HashSource, saved: StoredHashes | None) -> tuple[StoredHashes, bool]:
    """Bring a saved index up to date with the database's rows; returns (hashes, changed)."""
    want = source.stamp()
    if saved is not None and not _same_rows(source, saved):
        saved = None
    if saved is not None and _stamp_of(saved) == want:
        return saved, False
    if saved is not None and len(saved):
        newest = int(saved.ids.max())
        current = saved.concat(stored_from_rows(source.rows(after_id=newest)))
        if _stamp_of(current) != want:
            ids = np.array(source.ids(), dtype=np.int64)
            current = current.select(np.isin(current.ids, ids))
        if _stamp_of(current) == want:
            return current, True
    return stored_from_rows(source.rows()), True
