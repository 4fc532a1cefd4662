"""The ORM over an open database: the session factory and transactional session scopes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import WRITE_OPTION, audit
from tracker.db.engine import SQLITE_READONLY_DBMOVED, open_engine
from tracker.errors import DatabaseError, DiskFullError
from tracker.support.settings import Settings


def open_database(settings: Settings) -> sessionmaker[Session]:
    """Open (creating if needed) and upgrade the database; return a session factory for it."""
    return session_factory(open_engine(settings))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on an open engine, every change written to the audit trail."""
    factory = sessionmaker(engine, expire_on_commit=False)
    audit.install(factory)
    event.listen(factory, "after_commit", _note_saved)
    return factory


SAVED: list[str] = []
"""The commands (`session_scope`'s names: "log", "complaint add") whose change this process committed, in order:
a Ctrl+C that lands after one of them says the change was kept (`tracker.cli.main`), not just "aborted"."""

KEPT = "kept"
"""The `session.info` key of what a commit saves, in the words a Ctrl+C after it says was kept ("the post was saved
as #12: ..."), set by a scope that knows (`tracker log`); the last such commit's words are `KEPT_WORDS`."""

KEPT_WORDS: list[str] = []
"""What the last commit that said it (`KEPT`) saved, at most one: cleared with `SAVED` by each command."""

CACHES = frozenset({"rehash"})
"""Writing scopes that only bring a cache up to date (stored hashes): not a change the owner made."""


def _note_saved(session: Session) -> None:
    """After a commit reached the database (before the code that asked for it hears back)."""
    command = session.info.get("command")
    if command and command not in CACHES:
        SAVED.append(str(command))
        KEPT_WORDS[:] = [str(session.info[KEPT])] if session.info.get(KEPT) else []


@contextmanager
def session_scope(factory: sessionmaker[Session], command: str | None = None) -> Iterator[Session]:
    """One writing transaction: commit when the block ends, roll back everything if it raises.

    On SQLite it starts with BEGIN IMMEDIATE, so concurrent writers queue on the busy timeout.
    """
    session = factory()
    session.info["command"] = command
    try:
        session.connection(execution_options={WRITE_OPTION: True})
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise _unavailable(exc) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


POSTGRES_DISK_FULL = "53100"
"""PostgreSQL's SQLSTATE for a disk with no room left (`disk_full`)."""


def _unavailable(exc: OperationalError) -> DatabaseError:
    """A unit of work the database refused, as one line: a full disk says so (waiting will not help, freeing
    space will), and a file SQLite may not write (permissions: waiting will not help either); anything else is a
    busy or unreachable database worth trying again (a database a restore replaced meanwhile too)."""
    orig = exc.orig
    reason = str(orig).splitlines()[0] if orig and str(orig) else str(exc).splitlines()[0]
    full = getattr(orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or POSTGRES_DISK_FULL in (
        getattr(orig, "sqlstate", None),
        getattr(orig, "pgcode", None),
    )
    if full:
        what = f"the disk is full ({reason})"
        return DiskFullError(f"{what}: this change was not saved; free some space, then run the command again", what)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None and code & 0xFF == sqlite3.SQLITE_READONLY and code != SQLITE_READONLY_DBMOVED:
        return DatabaseError(
            f"the database cannot be written ({reason}): this change was not saved; check that you may write the "
            "database file, its folder and its -wal and -shm files (one left by another user, after sudo, say)"
        )
    return DatabaseError(f"the database is busy or unavailable ({reason}); try again")
