"""The hashes the database stores: read for the index, and re-made when the hash version changed.

The index (`matching.index`) is handed what this module reads: it never opens a session. Rows are
read in SQLAlchemy Core over `db.schema`, on a plain connection: a search loads no ORM. Re-hashing
old rows is the one write, in one ORM transaction (so it is audited), and the ORM is imported
only when there are such rows. `refresh_saved_index` is what `tracker log` and `tracker import`
call to extend a saved index.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from PIL import Image as PILImage
from sqlalchemy import ColumnElement, Connection, Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from tracker.db import schema
from tracker.errors import TrackerError
from tracker.matching import hashing
from tracker.matching.index import SPARE_ROWS, HashRow, Stamp, index_lock, load_saved, refresh, save
from tracker.matching.saved_regions import file_stamp, region_tables, regions_path
from tracker.support.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

Database: TypeAlias = "Engine | sessionmaker[Session]"
"""What a search is handed: the engine (`tracker match`), or the ORM session factory (the TUI, triage)."""


def engine_of(database: Database) -> Engine:
    """The engine behind a session factory (or the engine itself): searches read on plain connections."""
    if isinstance(database, Engine):
        return database
    with database() as session:
        bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _sessions(database: Database) -> sessionmaker[Session]:
    """An (audited) ORM session factory for the one write a search may do."""
    if not isinstance(database, Engine):
        return database
    from tracker.db.session import session_factory

    return session_factory(database)


_image = schema.image.c


def _hashed() -> ColumnElement[bool]:
    return _image.hash_version == hashing.HASH_VERSION


class DatabaseHashes:
    """The hashed image rows of one database, as the index asks for them (`index.HashSource`).

    Read on a Core connection (a search) or an ORM session (both execute Core statements)."""

    def __init__(self, db: Connection | Session) -> None:
        self.db = db
        self._stamp: Stamp | None = None

    def identity(self) -> str:
        """Which database this is: its URL (without a password) and its first image row, hashed.

        There is no id of its own in the schema; the first row's id, sha256 and creation time
        change only when that image is deleted (a scrub, which removes the index anyway) or the
        database is replaced, and the URL tells apart two copies of one database.
        """
        bind: Any = self.db.engine if isinstance(self.db, Connection) else self.db.get_bind()
        url = bind.engine.url.render_as_string(hide_password=True)
        first = self.db.execute(
            select(_image.id, _image.sha256, _image.created_at).order_by(_image.id).limit(1)
        ).first()
        facts = [url, *(str(value) for value in first)] if first is not None else [url]
        return hashlib.sha256("\n".join(facts).encode()).hexdigest()

    def stamp(self) -> Stamp:
        """(row count, highest id, sum of ids, hash version) of the hashed rows.

        Read once per instance (one session, one index refresh): it scans an index of every
        row, about 0.1 s per million."""
        if self._stamp is None:
            count, top, total = self.db.execute(
                select(func.count(_image.id), func.max(_image.id), func.sum(_image.id)).where(_hashed())
            ).one()
            self._stamp = int(count or 0), int(top or 0), int(total or 0), hashing.HASH_VERSION
        return self._stamp

    def rows(self, after_id: int = 0) -> Iterator[HashRow]:
        """Every hashed row with an id above `after_id`, by id."""
        query = select(*_HASH_COLUMNS).where(_hashed(), _image.id > after_id).order_by(_image.id)
        for row in self.db.execute(query.execution_options(yield_per=20000)):
            yield tuple(row)

    def ids(self) -> list[int]:
        """The ids of every hashed row."""
        return list(self.db.scalars(select(_image.id).where(_hashed())).all())

    def hash_rows(self, ids: Sequence[int]) -> list[HashRow]:
        """The hashed rows among these ids, by id."""
        query = select(*_HASH_COLUMNS).where(_image.id.in_(list(ids)), _hashed()).order_by(_image.id)
        return [tuple(row) for row in self.db.execute(query)]


_HASH_COLUMNS = (
    _image.id,
    _image.phash,
    _image.dhash,
    _image.phash_mirror,
    _image.dhash_mirror,
    _image.region_hashes,
    _image.region_mask,
)
"""A `HashRow` as the database holds it."""


def rehash_stale(database: Database, settings: Settings, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-hash image rows made by an older hash version from their archived copies; returns how many."""
    # Below, above or missing rather than "not equal": each is a search of the hash_version index,
    # where "not equal" scans all of it (0.2 s at a million rows, in every `tracker match`).
    version = _image.hash_version
    older_or_newer = (version < hashing.HASH_VERSION) | (version > hashing.HASH_VERSION) | version.is_(None)
    with engine_of(database).connect() as connection:
        stale = connection.scalars(select(_image.id).where(older_or_newer)).all()
    if not stale:
        return 0
    from tracker.db.models import Image
    from tracker.db.session import session_scope

    done = 0
    with session_scope(_sessions(database), command="rehash") as session:
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


def refresh_saved_index(database: Database, settings: Settings) -> None:
    """After `log` or `import`: append the new rows to the saved index, so the next `match` starts at once.

    Only an index that exists is brought up to date (the first `match` builds it: a user who
    never matches never pays for it), and its region tables only when they exist and the rows
    they leave uncovered passed `saved_regions.TAIL_ROWS` (then they are rebuilt). A saved
    index that is damaged, stale in another way or locked (a scrub, a search saving it) is left
    to the next `match`. Never an error: the rows are committed already, the index is a cache.
    """
    path = settings.index_path
    if not path.is_file():
        return
    try:
        with index_lock(path, wait=0) as held:
            if not held:
                return
            with engine_of(database).connect() as connection:
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
    except (OSError, SQLAlchemyError, TrackerError):
        return
