"""Opening the database: engine set-up, upgrade to head, and transactional session scopes."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import WRITE_OPTION, audit
from tracker.db.migrate import upgrade_to_head
from tracker.errors import DatabaseError, TrackerError
from tracker.support.settings import Settings

BUSY_TIMEOUT_MS = 15_000


def make_private_dir(path: Path) -> None:
    """Create a folder readable by the owner only (0700), tightening it if it exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)


def _prepare_sqlite_file(path: Path) -> None:
    """Create the database file 0600 before SQLite does, so it is never world-readable."""
    make_private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def _set_wal(cursor: Any) -> None:
    """Switch to WAL; on a new file two processes may race for the lock this needs, so retry."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_setup(engine: Engine) -> None:
    """foreign_keys, WAL and a busy timeout on every connection; real BEGIN for transactions.

    pysqlite's own transaction handling skips BEGIN before DDL; taking it over makes every
    unit of work (migrations included) a real transaction.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _set_wal(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writing unit takes the write lock up front: two deferred transactions that both read
        # and then write would fail with SQLITE_BUSY instead of waiting for each other.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


WRITER_LOCK_KEY = 0x7472_6B72
"""PostgreSQL advisory lock that writing units take (the key spells 'trkr')."""


def _postgresql_setup(engine: Engine) -> None:
    """Writing units queue on one transaction-scoped advisory lock, as BEGIN IMMEDIATE does on SQLite.

    Two `tracker log` runs that both create the same persona would otherwise both insert it, and
    one would fail on the unique name instead of waiting for the other. Readers never wait.
    """

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_MS}ms'")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")


def create_db_engine(settings: Settings) -> Engine:
    """An engine for the configured URL, with the SQLite connection set-up where it applies."""
    sqlite_file = settings.sqlite_path
    if sqlite_file is not None:
        _prepare_sqlite_file(sqlite_file)
    try:
        engine = create_engine(settings.db_url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise DatabaseError(f"cannot open database {settings.db_url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    elif engine.dialect.name == "postgresql":
        _postgresql_setup(engine)
    return engine


def open_database(settings: Settings) -> sessionmaker[Session]:
    """Open (creating if needed) and upgrade the database; return a session factory for it."""
    engine = create_db_engine(settings)
    try:
        upgrade_to_head(engine, settings.sqlite_path)
    except TrackerError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open database: {str(exc).splitlines()[0]}") from None
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
