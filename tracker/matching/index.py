"""The similarity index of one database: its image hashes as numpy arrays, kept on disk between runs.

Loading a million rows from the database takes seconds; loading the saved arrays takes a
fraction of one. The saved index carries a stamp of the image table (row count, highest id, sum
of ids, hash version). When the table has grown, only the new rows are read and appended; when
rows were deleted, the vanished ids are dropped; anything else rebuilds from the rows. The
index is a cache: deleting it loses nothing.

This module is handed the database's rows (a `HashSource`, `matching.stored.DatabaseHashes` in
the app): it never opens a session.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from tracker.errors import DatabaseError
from tracker.matching import hashing
from tracker.matching.similarity import StoredHashes
from tracker.support.files import atomic_private

INDEX_FORMAT = 1
Stamp = tuple[int, int, int, int]
"""(row count, highest id, sum of ids, hash version) of the hashed image rows."""


HashRow = tuple[int, bytes, bytes, bytes | None, bytes | None, bytes | None, int | None]
"""One stored image as the index takes it: id, pHash, dHash, their mirrors, region hashes, region mask."""


class HashSource(Protocol):
    """Where the index reads the database's hashes (`matching.stored.DatabaseHashes`, or a test's rows)."""

    def stamp(self) -> Stamp: ...

    def rows(self, after_id: int = 0) -> Iterable[HashRow]: ...

    def ids(self) -> list[int]: ...

    def phashes(self, ids: Sequence[int]) -> dict[int, bytes]: ...


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


_FIELDS = ("ids", "phash", "dhash", "phash_mirror", "dhash_mirror", "regions", "region_dhash", "region_mask")


def _stamp_of(stored: StoredHashes) -> Stamp:
    top = int(stored.ids.max()) if len(stored) else 0
    return len(stored), top, int(stored.ids.sum()), hashing.HASH_VERSION


def save(path: Path, stored: StoredHashes) -> None:
    """Write the index atomically (temporary file, then rename), private to the user."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with atomic_private(path, prefix=".hashindex-", suffix=".npz") as handle:
        arrays = {name: getattr(stored, name) for name in _FIELDS}
        np.savez(handle, format=np.array([INDEX_FORMAT, *_stamp_of(stored)], dtype=np.int64), **arrays)


def load_saved(path: Path) -> StoredHashes | None:
    """The saved index, or None when there is none or it cannot be used (it is only a cache)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            header = data["format"]
            if int(header[0]) != INDEX_FORMAT or int(header[4]) != hashing.HASH_VERSION:
                return None
            stored = StoredHashes(**{name: data[name] for name in _FIELDS})
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return stored


SAMPLE = 16
"""Rows of a saved index checked against the database before it is trusted."""


def _same_rows(source: HashSource, saved: StoredHashes) -> bool:
    """Do some saved rows (the newest, and others spread over the index) still hold the database's hashes?

    The stamp alone cannot tell a saved index from another database that happens to have the same
    ids (a database deleted and started again beside an old index file, an id reused).
    """
    if not len(saved):
        return True
    n = len(saved)
    picks = sorted(set(np.linspace(0, n - 1, SAMPLE).astype(int).tolist()) | set(range(max(0, n - SAMPLE), n)))
    ids = [int(saved.ids[i]) for i in picks]
    rows = source.phashes(ids)
    return all(
        i in rows and hashing.from_bytes(bytes(rows[i])) == int(saved.phash[p]) for i, p in zip(ids, picks, strict=True)
    )


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
