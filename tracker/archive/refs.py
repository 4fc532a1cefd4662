"""Which archive files the database still names (for `archive.writing`'s clean-up of leftovers, and for
`tracker status`, which tells of those leftovers meanwhile).

SQL text (`db.plain`), so that it runs on the ORM session of a writer and on the standard library's
connection of `tracker status` alike (a status loads no SQLAlchemy).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.archive.store import Referenced, remove
from tracker.db.plain import Readable, chunks, fetch_all, in_list

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

_NAMING = ("image", "complaint_image")
"""The tables whose rows name archived files to keep (`purge_file` names files to delete)."""


def referenced_by(factory: sessionmaker[Session]) -> Referenced:
    """A callback answering, for some archive paths, which ones an image or complaint image row names."""

    def referenced(rels: Sequence[str]) -> set[str]:
        with factory() as session:
            return named_among(session, rels)

    return referenced


def remove_unnamed(factory: sessionmaker[Session], root: Path, rels: Sequence[str]) -> None:
    """Undo what a unit of work that failed had stored in the archive: each of `rels` that no committed row names.

    A Ctrl+C can land just after the commit, before the block that committed returns: its rows then name the files,
    which must stay (deleted, they left a post whose image is MISSING, and every backup refused). When the database
    cannot say (the failure was the database's own), the files stay for the next writer's sweep, which deletes those
    no row names (they are journalled: `store.writing`)."""
    if not rels:
        return
    from sqlalchemy.exc import SQLAlchemyError

    try:
        named = referenced_by(factory)(rels)
    except (SQLAlchemyError, sqlite3.Error, OSError):
        return
    for rel in rels:
        if rel not in named:
            remove(root, rel)


def named_among(db: Readable, rels: Sequence[str]) -> set[str]:
    """The archive paths of `rels` that an image or complaint image row of `db` names."""
    found: set[str] = set()
    for chunk in chunks(rels):
        listed, params = in_list("rel", chunk)
        for table in _NAMING:
            rows = fetch_all(db, f"SELECT archive_path FROM {table} WHERE archive_path IN {listed}", params)
            found.update(str(row[0]) for row in rows)
    return found
