"""Opening the database without the ORM: the engine, its per-backend set-up, and the schema check.

`open_engine` is all `tracker status` needs: one query tells whether the database is at the
revision this tracker knows (`schema.REVISION`); alembic is loaded and run only when it is not.
The ORM's session factory (`db.session`) is built on the same engine.

A SQLite file in a read-only data folder is opened read-only (`db.sqlite.reading_uri`): commands
that only read work, and the first writing unit of one that writes (BEGIN IMMEDIATE) is refused
with `ReadOnlyError` before anything is changed; a database there that needs an upgrade is refused.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from tracker.db import WRITE_OPTION
from tracker.db.revision import TRACKER_TABLES
from tracker.db.schema import REVISION
from tracker.db.sqlite import (
    BUSY_TIMEOUT_MS,
    ReadOnlyError,
    make_own_private,
    prepare_file,
    read_only_where,
    reading_uri,
    refuse_non_file,
)
from tracker.errors import DatabaseError, TrackerError
from tracker.support.settings import Settings


def _may_switch(cursor: Any) -> bool:
    """Whether this file is to be switched to WAL: it is not in WAL yet, and records no table (a new database, or
    one alembic only stamped) or is tracker's. Another program's SQLite file given by mistake (`--db`) is refused
    later (`db.migrate`): a command must not have changed its journal mode (its header, and how that program
    then opens it) first."""
    mode = cursor.execute("PRAGMA journal_mode").fetchone()
    if mode is not None and str(mode[0]).lower() == "wal":
        return False  # nothing to switch
    tables = {str(row[0]) for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    tables = {name for name in tables if not name.startswith("sqlite_")}
    return tables <= {"alembic_version"} or tables >= TRACKER_TABLES


def _set_wal(cursor: Any) -> None:
    """Switch to WAL (unless the file is another program's: `_may_switch`); on a new file two processes may race
    for the lock this needs, so retry."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if _may_switch(cursor):
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if time.monotonic() > deadline or _moved(exc):
                raise
            time.sleep(0.02)


SQLITE_READONLY_DBMOVED = 1032
"""SQLite's refusal to write a file that was renamed over or deleted since it was opened."""


def _moved(exc: BaseException | None) -> bool:
    """Was the database file replaced (a `tracker restore`) while this connection waited for its lock?
    Waiting longer never helps: the connection has the replaced file open."""
    return getattr(exc, "sqlite_errorcode", None) == SQLITE_READONLY_DBMOVED


def _sqlite_setup(engine: Engine, read_only: Path | None = None) -> None:
    """foreign_keys and a busy timeout on every connection, WAL on a new file or tracker's own (never on another
    program's, `_may_switch`); real BEGIN for transactions.

    pysqlite's own transaction handling skips BEGIN before DDL; taking it over makes every
    unit of work (migrations included) a real transaction. On a read-only data folder or database file
    (`read_only`: which of them) the file is left in its journal mode and a writing unit is refused.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if read_only is None:
            _set_wal(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writing unit takes the write lock up front: two deferred transactions that both read
        # and then write would fail with SQLITE_BUSY instead of waiting for each other.
        writes = conn.get_execution_options().get(WRITE_OPTION)
        if writes and read_only is not None:
            raise ReadOnlyError(read_only)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


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


CONNECT_TIMEOUT_S = 10
"""How long a PostgreSQL server is given to answer a connection (libpq's `connect_timeout`; a URL's own
`?connect_timeout=` wins): one that never answers (an SSH tunnel whose far end is gone, a firewall that drops) is
then a one-line error, not a command that hangs for minutes."""


def _connect_options(db_url: str) -> dict[str, Any]:
    """`create_engine`'s options for the URL: a connection timeout for PostgreSQL (`CONNECT_TIMEOUT_S`)."""
    url = make_url(db_url)
    if url.get_backend_name() != "postgresql" or "connect_timeout" in url.query:
        return {}
    return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_S}}


def _unsupported(settings: Settings, exc: BaseException) -> str:
    """Why SQLAlchemy cannot make an engine for the URL (a misspelt scheme, a driver not installed), in one line."""
    said = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if make_url(settings.db_url).drivername in ("postgres", "postgres+psycopg", "postgres+psycopg2"):
        return f"{said} (the scheme is postgresql://, not postgres://)"
    if isinstance(exc, ImportError) and make_url(settings.db_url).drivername in ("postgresql", "postgresql+psycopg"):
        return f"{said} (its driver is not installed: pip install '.[postgres]' in tracker's folder)"
    if isinstance(exc, ImportError):
        return f"{said} (its driver is not installed)"
    return said


_UNPRINTED = logging.NullHandler()
"""SQLAlchemy's own log, never printed: a Ctrl+C while its pool closes a connection would have Python's last-resort
handler print "Exception closing connection" and a traceback on the terminal (or over the TUI) before the one line
the interrupt ends in. One handler object, so opening the database again adds nothing."""


def create_db_engine(settings: Settings, created: Callable[[Path], None] | None = None) -> Engine:
    """An engine for the configured URL, with the SQLite connection set-up where it applies; `created` is told
    the SQLite file when this call created it (`db.sqlite.prepare_file`)."""
    logging.getLogger("sqlalchemy").addHandler(_UNPRINTED)  # every engine: a restore's scratch one too
    sqlite_file = settings.sqlite_path
    if sqlite_file is not None:
        refuse_non_file(sqlite_file)
    if sqlite_file is None and "@" in (make_url(settings.db_url).host or ""):
        # `postgresql://bob:pa@ss@host/db`: the URL ends its password at the first @, and would show the rest as
        # the server's name in every error; the URL is not shown at all
        raise DatabaseError(
            "cannot open the database: its URL has more than one @ (a password with @ in it?); write each @ in "
            "the user name or password as %40"
        )
    read_only = read_only_where(sqlite_file) if sqlite_file is not None else None
    if sqlite_file is not None and read_only is None and prepare_file(sqlite_file) and created is not None:
        created(sqlite_file)
    try:
        if sqlite_file is not None and read_only is not None:
            if not sqlite_file.is_file():
                raise ReadOnlyError(read_only)
            uri = reading_uri(sqlite_file)  # the URL's own options give way: the file is only read
            engine = create_engine(
                settings.db_url, creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
            )
        else:
            engine = create_engine(settings.db_url, **_connect_options(settings.db_url))
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise DatabaseError(f"cannot open database {settings.database_label}: {_unsupported(settings, exc)}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine, read_only)
    elif engine.dialect.name == "postgresql":
        _postgresql_setup(engine)
    return engine


def schema_revision(engine: Engine) -> str | None:
    """The alembic revision the database is at; None for a new (or foreign) database."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # no such table: a database tracker never opened
            return None


def open_engine(
    settings: Settings,
    started: Callable[[str, bool], None] | None = None,
    created: Callable[[Path], None] | None = None,
) -> Engine:
    """Open (creating if needed) the database and bring it to this tracker's schema; return its engine.

    A database already at `schema.REVISION` costs one query; otherwise it is backed up and upgraded
    by alembic (`db.migrate`), which is imported only then. `started` is told the database's label when
    the database records nothing (`records_nothing`): it was empty and has just been made a new archive (True),
    or it was made before by a command killed before it recorded anything (False); a mistyped `--db` or data
    folder is then said, not taken for the owner's archive. A SQLite file is made private only once it is
    found to be tracker's (`db.sqlite.make_own_private`), never a file given by mistake. `created` is told the
    SQLite file when this call created it, before anything is written to it (so a command that then fails can
    take it away again: `db.sqlite.discard_unused`).
    """
    engine = create_db_engine(settings, created)
    sqlite_file = settings.sqlite_path
    try:
        revision = schema_revision(engine)
        read_only = read_only_where(sqlite_file) if sqlite_file is not None else None
        if revision != REVISION and sqlite_file is not None and read_only is not None:
            where = "data folder" if read_only.is_dir() else "database file"
            then = f"make it writable (chmod u+w {read_only})"
            if read_only.is_dir():
                then = "copy the folder somewhere writable"
            raise DatabaseError(
                f"the {where} {read_only} is read-only and its database is at schema revision {revision or 'none'}, "
                f"not this tracker's {REVISION}: it cannot be upgraded there; {then}"
            )
        if revision != REVISION:
            from tracker.db.migrate import upgrade_to_head  # alembic loads only when an upgrade is due

            upgrade_to_head(engine, settings.sqlite_path)
        if sqlite_file is not None:
            make_own_private(sqlite_file, settings.data_dir)
    except TrackerError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        if _moved(getattr(exc, "orig", None)):
            raise DatabaseError(
                "the database was replaced (by tracker restore) while this command waited for it: nothing was "
                "saved; run the command again"
            ) from None
        raise DatabaseError(cannot_open(settings, exc)) from None
    if started is not None and (revision is None or records_nothing(engine)):
        started(settings.database_label, revision is None)
    return engine


def records_nothing(engine: Engine) -> bool:
    """Whether no table of tracker's holds a row (alembic's revision aside): a database just made, or one whose
    first command was killed after it made the schema and before it recorded anything. One query (an EXISTS on
    each table); a database that ever recorded anything holds its audit trail at least."""
    from sqlalchemy import exists, or_, select

    from tracker.db.schema import metadata

    with engine.connect() as conn:
        return not conn.execute(select(or_(*(exists().select_from(t) for t in metadata.sorted_tables)))).scalar()


def cannot_open(settings: Settings, exc: SQLAlchemyError) -> str:
    """Why the database cannot be opened, in plain words first, with the driver's own line after them."""
    driver = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    orig = getattr(exc, "orig", None)
    said = str(orig).lower()
    if settings.sqlite_path is None:
        plain = (
            "the database server cannot be reached or refused the connection"
            if isinstance(exc, OperationalError)
            else "the database cannot be read"
        )
    elif getattr(orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        plain = "the disk is full; free some space, then run the command again"
    elif "malformed" in said:
        plain = (
            "the file is damaged (cut short or overwritten, a disk error?): restore it from a backup "
            "(tracker restore --force FILE)"
        )
    elif "not a database" in said:
        plain = "the file is not a SQLite database (another kind of file, or damaged or encrypted)"
    elif "unable to open" in said:
        plain = "the file cannot be opened (check that its folder exists and that you may read and write it)"
    else:
        plain = "the database cannot be read"
    return f"cannot open database {settings.database_label}: {plain} [{driver}]"
