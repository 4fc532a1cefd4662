"""The hashes the database stores: read for the index, and re-made when the hash version changed.

The index (`matching.index`) is handed what this module reads: it never opens a session. Rows are
read in SQL text (`db.plain`) on whatever connection the command holds: a search loads no ORM, and
on a SQLite file at this revision no SQLAlchemy (`db.quick`). Re-hashing
old rows is the one write, in one ORM transaction (so it is audited), and the ORM is imported
only when there are such rows. `refresh_saved_index` is what `tracker log` and `tracker import`
call to extend a saved index.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeAlias, cast

from PIL import Image as PILImage

from tracker.db.plain import (
    Readable,
    Reader,
    chunks,
    database_label,
    fetch_all,
    fetch_iter,
    fetch_one,
    in_list,
    reading,
)
from tracker.errors import TrackerError
from tracker.matching import hashing
from tracker.matching.index import SPARE_ROWS, HashRow, Stamp, index_lock, load_saved, refresh, save
from tracker.matching.saved_regions import file_stamp, region_tables, regions_path
from tracker.metadata.decoding import as_displayed
from tracker.support.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

Database: TypeAlias = "Reader | Engine | sessionmaker[Session]"
"""What a search is handed: a `db.quick` reader (`tracker match` on a SQLite file at this revision),
the engine (`tracker match` elsewhere), or the ORM session factory (the TUI, triage)."""


def engine_of(database: Database) -> Engine:
    """The engine behind a reader or a session factory (or the engine itself): opened now for a reader."""
    from sqlalchemy import Engine

    if isinstance(database, Reader):
        return database.engine()
    if isinstance(database, Engine):
        return database
    with database() as session:
        bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


@contextmanager
def read_connection(database: Database) -> Iterator[Readable]:
    """A connection to read on: the reader's own, or a new one of the engine's."""
    with reading(database if isinstance(database, Reader) else engine_of(database)) as connection:
        yield connection


def _sessions(database: Database) -> sessionmaker[Session]:
    """An (audited) ORM session factory for the one write a search may do."""
    from sqlalchemy.orm import sessionmaker

    if isinstance(database, sessionmaker):
        return database
    from tracker.db.session import session_factory

    return session_factory(engine_of(database))


HASH_COLUMNS = "id, phash, dhash, phash_mirror, dhash_mirror, region_hashes, region_mask"
"""A `HashRow` as the database holds it."""


_HASHED = "FROM image WHERE hash_version = :version"
_STAMP = f"SELECT (SELECT count(*) {_HASHED}), (SELECT max(id) {_HASHED}), (SELECT sum(id) {_HASHED})"
"""`DatabaseHashes.stamp`: the hashed rows' count, highest id and sum of ids (`id` is the primary key: never null)."""


class DatabaseHashes:
    """The hashed image rows of one database, as the index asks for them (`index.HashSource`).

    Read in SQL text (`db.plain`) on any connection: the standard library's, SQLAlchemy's, a session's."""

    def __init__(self, db: Readable) -> None:
        self.db = db
        self._stamp: Stamp | None = None
        self._version = {"version": hashing.HASH_VERSION}

    def identity(self) -> str:
        """Which database this is: where it is (`plain.database_label`) and its first image row, hashed.

        There is no id of its own in the schema; the first row's id, sha256 and creation time
        change only when that image is deleted (a scrub, which removes the index anyway) or the
        database is replaced, and the label tells apart two copies of one database.
        """
        first = fetch_one(self.db, "SELECT id, sha256, created_at FROM image ORDER BY id LIMIT 1")
        label = database_label(self.db)
        facts = [label, *(str(value) for value in first)] if first is not None else [label]
        return hashlib.sha256("\n".join(facts).encode()).hexdigest()

    def stamp(self) -> Stamp:
        """(row count, highest id, sum of ids, hash version) of the hashed rows.

        Read once per instance (one session, one index refresh): it scans an index of every
        row, about 0.05 s per million. Three aggregates of one each, not one of three: SQLite
        counts index entries and finds the highest id (the index's last entry) without reading
        each row's id, and only the sum walks them; together they took twice as long, the
        longest statement of a `tracker match` at 100,000 posts."""
        if self._stamp is None:
            row = fetch_one(self.db, _STAMP, self._version)
            count, top, total = row if row is not None else (0, 0, 0)
            self._stamp = int(count or 0), int(top or 0), int(total or 0), hashing.HASH_VERSION
        return self._stamp

    def rows(self, after_id: int = 0) -> Iterator[HashRow]:
        """Every hashed row with an id above `after_id`, by id."""
        sql = f"SELECT {HASH_COLUMNS} FROM image WHERE hash_version = :version AND id > :after ORDER BY id"
        for row in fetch_iter(self.db, sql, {**self._version, "after": after_id}, batch=20000):
            yield cast(HashRow, row)  # `index.stored_from_rows` checks and converts each value

    def ids(self) -> list[int]:
        """The ids of every hashed row."""
        return [
            int(row[0])
            for row in fetch_all(self.db, "SELECT id FROM image WHERE hash_version = :version", self._version)
        ]

    def hash_rows(self, ids: Sequence[int]) -> list[HashRow]:
        """The hashed rows among these ids, by id."""
        found: list[HashRow] = []
        for part in chunks(sorted(set(ids))):
            listed, params = in_list("id", part)
            sql = f"SELECT {HASH_COLUMNS} FROM image WHERE hash_version = :version AND id IN {listed} ORDER BY id"
            found.extend(cast(HashRow, row) for row in fetch_all(self.db, sql, {**self._version, **params}))
        return found


def rehash_stale(database: Database, settings: Settings, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-hash image rows made by an older hash version (or cleared by a migration: 0014 for pictures turned
    by their EXIF orientation) from their archived copies, as viewers show them; returns how many.

    Rows whose archived copy is missing stay out of the index until it is back; they are told
    apart before anything is opened, so an archive with thousands of missing files costs every
    `tracker match` one query and a look at each path, not an ORM session and a read per row.
    """
    # Below, above or missing rather than "not equal": each is a search of the hash_version index,
    # where "not equal" scans all of it (0.2 s at a million rows, in every `tracker match`).
    stale_sql = (
        "SELECT id, archive_path FROM image WHERE hash_version < :v OR hash_version > :v OR hash_version IS NULL"
    )
    with read_connection(database) as connection:
        stale = fetch_all(connection, stale_sql, {"v": hashing.HASH_VERSION})
    present = [int(image_id) for image_id, path in stale if path and (settings.archive_dir / path).is_file()]
    if not present:
        return 0
    from tracker.db.models import Image
    from tracker.db.session import session_scope

    done = 0
    with session_scope(_sessions(database), command="rehash") as session:
        for number, image_id in enumerate(present, 1):
            image = session.get(Image, image_id)
            if image is None:
                continue
            path = settings.archive_dir / image.archive_path
            try:
                with PILImage.open(io.BytesIO(path.read_bytes())) as pixels:
                    pixels.load()
                    hashes = hashing.image_hashes(as_displayed(pixels))
            except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
                continue  # archived copy gone meanwhile or unreadable: left out of the index until it is back
            image.phash, image.dhash = hashes.phash, hashes.dhash
            image.phash_mirror, image.dhash_mirror = hashes.phash_mirror, hashes.dhash_mirror
            image.region_hashes, image.region_mask = hashes.regions, hashes.region_mask
            image.hash_version = hashing.HASH_VERSION
            done += 1
            if progress:
                progress(number, len(present))
    return done


def refresh_saved_index(database: Database, settings: Settings) -> None:
    """After `log` or `import`: append the new rows to the saved index, so the next `match` starts at once.

    Only an index that exists is brought up to date (the first `match` builds it: a user who
    never matches never pays for it), and its region tables only when they exist and the rows
    they leave uncovered passed `saved_regions.TAIL_ROWS` (then they are rebuilt). A saved
    index that is damaged, stale in another way or locked (a scrub, a search saving it) is left
    to the next `match`. Never an error: the rows are committed already, the index is a cache.
    """
    from sqlalchemy.exc import SQLAlchemyError  # `log` and `import` have it loaded already

    path = settings.index_path
    if not path.is_file():
        return
    try:
        with index_lock(path, wait=0) as held:
            if not held:
                return
            with read_connection(database) as connection:
                source = DatabaseHashes(connection)
                identity = source.identity()
                saved = load_saved(path, identity, max_rows=2 * source.stamp()[0] + SPARE_ROWS)
                if saved is None:
                    return
                stored, changed = refresh(source, saved)
                if changed:
                    save(path, stored, identity)
            saved_as = file_stamp(path)
        if regions_path(path).is_file():
            region_tables(path, identity, saved_as)(stored)  # loads them, or rebuilds them when due
    except (OSError, sqlite3.Error, SQLAlchemyError, TrackerError):
        return
