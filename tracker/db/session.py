"""The ORM over an open database: the session factory and transactional session scopes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import WRITE_OPTION, audit
from tracker.db.engine import open_engine
from tracker.errors import DatabaseError
from tracker.support.settings import Settings


def open_database(settings: Settings) -> sessionmaker[Session]:
    """Open (creating if needed) and upgrade the database; return a session factory for it."""
    return session_factory(open_engine(settings))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on an open engine, every change written to the audit trail."""
    factory = sessionmaker(engine, expire_on_commit=False)
    audit.install(factory)
    return factory


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
        reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        raise DatabaseError(f"the database is busy or unavailable ({reason}); try again") from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
