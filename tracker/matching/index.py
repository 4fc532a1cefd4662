"""The similarity index of one database: its image hashes as numpy arrays, kept on disk between runs.

Loading a million rows from the database takes seconds; loading the saved arrays takes a
fraction of one. The saved index carries a stamp of the image table (row count, highest id, sum
of ids, hash version). When the table has grown, only the new rows are read and appended; when
rows were deleted, the vanished ids are dropped; anything else rebuilds from the database. The
index is a cache: deleting it loses nothing.

Rows hashed by an older `hashing.HASH_VERSION` (or before hashes were versioned) are re-hashed
from their archived copies first, in one transaction.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image as PILImage
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.db.models import Image
from tracker.db.session import session_scope
from tracker.errors import DatabaseError
from tracker.matching import hashing
from tracker.matching.similarity import MatchIndex, StoredHashes
from tracker.support.files import atomic_private
from tracker.support.settings import Settings

INDEX_FORMAT = 1
Stamp = tuple[int, int, int, int]
"""(row count, highest id, sum of ids, hash version) of the hashed image rows."""


def _hashed() -> ColumnElement[bool]:
    return Image.hash_version == hashing.HASH_VERSION


def db_stamp(session: Session) -> Stamp:
    count, top, total = session.execute(
        select(func.count(Image.id), func.max(Image.id), func.sum(Image.id)).where(_hashed())
    ).one()
    return int(count or 0), int(top or 0), int(total or 0), hashing.HASH_VERSION


def _read_rows(session: Session, after_id: int = 0) -> StoredHashes:
    query = (
        select(
            Image.id,
            Image.phash,
            Image.dhash,
            Image.phash_mirror,
            Image.dhash_mirror,
            Image.region_hashes,
            Image.region_mask,
        )
        .where(_hashed(), Image.id > after_id)
        .order_by(Image.id)
    )
    ids: list[int] = []
    columns: list[list[bytes]] = [[], [], [], [], []]
    masks: list[int] = []
    for row in session.execute(query.execution_options(yield_per=20000)):
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


def rehash_stale(
    factory: sessionmaker[Session], settings: Settings, progress: Callable[[int, int], None] | None = None
) -> int:
    """Re-hash image rows made by an older hash version from their archived copies; returns how many."""
    with factory() as session:
        stale = session.scalars(select(Image.id).where(~_hashed() | Image.hash_version.is_(None))).all()
    if not stale:
        return 0
    done = 0
    with session_scope(factory, command="rehash") as session:
        for number, image_id in enumerate(stale, 1):
            image = session.get(Image, image_id)
            if image is None:
                continue
            path = settings.archive_dir / image.archive_path
            try:
                with PILImage.open(io.BytesIO(path.read_bytes())) as pixels:
                    pixels.load()
                    hashes = hashing.image_hashes(pixels)
            except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
                continue  # archived copy missing or unreadable: left out of the index until it is back
            image.phash, image.dhash = hashes.phash, hashes.dhash
            image.phash_mirror, image.dhash_mirror = hashes.phash_mirror, hashes.dhash_mirror
            image.region_hashes, image.region_mask = hashes.regions, hashes.region_mask
            image.hash_version = hashing.HASH_VERSION
            done += 1
            if progress:
                progress(number, len(stale))
    return done


SAMPLE = 16
"""Rows of a saved index checked against the database before it is trusted."""


def _same_rows(session: Session, saved: StoredHashes) -> bool:
    """Do some saved rows (the newest, and others spread over the index) still hold the database's hashes?

    The stamp alone cannot tell a saved index from another database that happens to have the same
    ids (a database deleted and started again beside an old index file, an id reused).
    """
    if not len(saved):
        return True
    n = len(saved)
    picks = sorted(set(np.linspace(0, n - 1, SAMPLE).astype(int).tolist()) | set(range(max(0, n - SAMPLE), n)))
    ids = [int(saved.ids[i]) for i in picks]
    rows = {
        row[0]: row[1] for row in session.execute(select(Image.id, Image.phash).where(Image.id.in_(ids), _hashed()))
    }
    return all(
        i in rows and hashing.from_bytes(bytes(rows[i])) == int(saved.phash[p]) for i, p in zip(ids, picks, strict=True)
    )


def refresh(session: Session, path: Path, saved: StoredHashes | None) -> tuple[StoredHashes, bool]:
    """Bring a saved index up to date with the database; returns (hashes, changed)."""
    want = db_stamp(session)
    if saved is not None and not _same_rows(session, saved):
        saved = None
    if saved is not None and _stamp_of(saved) == want:
        return saved, False
    if saved is not None and len(saved):
        newest = int(saved.ids.max())
        current = saved.concat(_read_rows(session, after_id=newest))
        if _stamp_of(current) != want:
            ids = np.array(session.scalars(select(Image.id).where(_hashed())).all(), dtype=np.int64)
            current = current.select(np.isin(current.ids, ids))
        if _stamp_of(current) == want:
            return current, True
    return _read_rows(session), True


def open_index(factory: sessionmaker[Session], settings: Settings, rebuild: bool = False) -> MatchIndex:
    """The up-to-date similarity index of the database (re-hashing old rows, saving what changed)."""
    rehash_stale(factory, settings)
    path = settings.index_path
    saved = None if rebuild else load_saved(path)
    with factory() as session:
        stored, changed = refresh(session, path, saved)
    if changed or rebuild:
        try:
            save(path, stored)
        except OSError:
            pass  # a cache that cannot be written costs speed next time, nothing else
    return MatchIndex(stored)
