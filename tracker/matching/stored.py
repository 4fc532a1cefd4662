"""The hashes the database stores: read for the index, and re-made when the hash version changed.

The index (`matching.index`) is handed what this module reads: it never opens a session. Rows are
read in SQLAlchemy Core over `db.schema`; re-hashing old rows is the one write, in one transaction.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator, Sequence

from PIL import Image as PILImage
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import schema
from tracker.db.models import Image
from tracker.db.session import session_scope
from tracker.matching import hashing
from tracker.matching.index import HashRow, Stamp
from tracker.support.settings import Settings

_image = schema.image.c


def _hashed() -> ColumnElement[bool]:
    return _image.hash_version == hashing.HASH_VERSION


class DatabaseHashes:
    """The hashed image rows of one database, as the index asks for them (`index.HashSource`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def identity(self) -> str:
        """Which database this is: its URL (without a password) and its first image row, hashed.

        There is no id of its own in the schema; the first row's id, sha256 and creation time
        change only when that image is deleted (a scrub, which removes the index anyway) or the
        database is replaced, and the URL tells apart two copies of one database.
        """
        url = self.session.get_bind().engine.url.render_as_string(hide_password=True)
        first = self.session.execute(
            select(_image.id, _image.sha256, _image.created_at).order_by(_image.id).limit(1)
        ).first()
        facts = [url, *(str(value) for value in first)] if first is not None else [url]
        return hashlib.sha256("\n".join(facts).encode()).hexdigest()

    def stamp(self) -> Stamp:
        """(row count, highest id, sum of ids, hash version) of the hashed rows."""
        count, top, total = self.session.execute(
            select(func.count(_image.id), func.max(_image.id), func.sum(_image.id)).where(_hashed())
        ).one()
        return int(count or 0), int(top or 0), int(total or 0), hashing.HASH_VERSION

    def rows(self, after_id: int = 0) -> Iterator[HashRow]:
        """Every hashed row with an id above `after_id`, by id."""
        query = (
            select(
                _image.id,
                _image.phash,
                _image.dhash,
                _image.phash_mirror,
                _image.dhash_mirror,
                _image.region_hashes,
                _image.region_mask,
            )
            .where(_hashed(), _image.id > after_id)
            .order_by(_image.id)
        )
        for row in self.session.execute(query.execution_options(yield_per=20000)):
            yield tuple(row)

    def ids(self) -> list[int]:
        """The ids of every hashed row."""
        return list(self.session.scalars(select(_image.id).where(_hashed())).all())

    def phashes(self, ids: Sequence[int]) -> dict[int, bytes]:
        """The stored pHash of each of these rows that is hashed."""
        query = select(_image.id, _image.phash).where(_image.id.in_(list(ids)), _hashed())
        return {row[0]: bytes(row[1]) for row in self.session.execute(query)}


def rehash_stale(
    factory: sessionmaker[Session], settings: Settings, progress: Callable[[int, int], None] | None = None
) -> int:
    """Re-hash image rows made by an older hash version from their archived copies; returns how many."""
    with factory() as session:
        stale = session.scalars(select(_image.id).where(~_hashed() | _image.hash_version.is_(None))).all()
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
