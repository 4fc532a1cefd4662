"""Which archive files the database still names (for `archive.writing`'s clean-up of leftovers)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.archive.store import Referenced
from tracker.db.models import ComplaintImage, Image

_CHUNK = 500


def referenced_by(factory: sessionmaker[Session]) -> Referenced:
    """A callback answering, for some archive paths, which ones an image or complaint image row names."""

    def referenced(rels: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with factory() as session:
            for start in range(0, len(rels), _CHUNK):
                chunk = list(rels[start : start + _CHUNK])
                found.update(session.scalars(select(Image.archive_path).where(Image.archive_path.in_(chunk))))
                found.update(
                    session.scalars(select(ComplaintImage.archive_path).where(ComplaintImage.archive_path.in_(chunk)))
                )
        return found

    return referenced
