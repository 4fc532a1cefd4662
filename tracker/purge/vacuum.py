"""The scrub's last stage on SQLite: the bytes of the deleted rows leave the database file.

The scrub deletes with `PRAGMA secure_delete=ON`, so the pages it changes and frees are written back zeroed,
but into the WAL first: until a checkpoint copies them over, the database file keeps the old pages, the
persona's name in them. `checkpoint` copies them at once, right after the deletion commits (a scrub killed
later, before its VACUUM, then leaves no name in the file); `vacuum` rewrites the file without its free pages
and empties the WAL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker.errors import DatabaseError

__all__ = ["checkpoint", "database_bytes", "engine_of", "vacuum"]


def engine_of(factory: sessionmaker[Session]) -> Engine:
    """The engine the session factory's sessions use."""
    with factory() as session:
        engine = session.get_bind()
    assert isinstance(engine, Engine)
    return engine


def database_bytes(database: Path) -> int:
    """The size of the SQLite file and its WAL together."""
    wal = database.with_name(database.name + "-wal")
    return sum(p.stat().st_size for p in (database, wal) if p.exists())


def checkpoint(engine: Engine) -> None:
    """Copy what the WAL holds into the database file and empty it; a checkpoint that another reader keeps from
    finishing (busy, locked) is left to the VACUUM's, which says so when it cannot finish either."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    except sqlite3.OperationalError:
        pass
    finally:
        raw.close()


def vacuum(engine: Engine, again: str) -> bool:
    """VACUUM with secure_delete, then empty the WAL, on a connection outside any transaction. True when the WAL
    could not be emptied (another program reads the database). `again` is the command that finishes the job,
    named in the error when the VACUUM itself fails."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("VACUUM")
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        cursor.close()
    except sqlite3.OperationalError as exc:
        # VACUUM writes a whole new copy of the database (a temporary file, then the WAL): a full disk stops it
        full = "full" in str(exc)
        act = "free some space (VACUUM needs about the database's size)" if full else "close other tracker windows"
        raise DatabaseError(
            f"the persona's rows are deleted, but VACUUM failed ({exc}); {act} and run `{again}` again to finish"
        ) from None
    finally:
        raw.close()
    return bool(busy)
