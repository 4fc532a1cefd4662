"""One SQL text, read on whichever connection a command holds: the standard library's or SQLAlchemy's.

Searches (`matching.stored`, `matching.search`) ask a few small questions of the database. Written
as SQL text with named parameters (`:name`, which both sqlite3 and SQLAlchemy's `text` read) they
run unchanged on a `db.quick` connection (no SQLAlchemy loaded: `tracker match` starts a quarter
of a second sooner), on a SQLAlchemy connection or an ORM session (the TUI), on SQLite and
PostgreSQL alike. Values come back as the driver gives them: text for a SQLite timestamp, a
datetime on PostgreSQL, 0/1 or a boolean for a condition.

`Reader` pairs a read connection with the engine, opened only when something must be written
(re-hashing old rows) or the ORM is needed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session

Readable: TypeAlias = "sqlite3.Connection | Connection | Session"
"""A connection SQL text can be run on."""

Row = tuple[Any, ...]

IN_CHUNK = 500
"""Values per `IN (...)` list: far below SQLite's (32,766) and PostgreSQL's (65,535) parameter limits."""
MAX_DIGITS = 18
"""A number typed with more digits is no row's id (the database's integer would overflow): a lookup by it finds
nothing without asking the database (`tracker show N`, the TUI's Find)."""


def fetch_all(db: Readable, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
    """Every row of one statement, as plain tuples."""
    return list(fetch_iter(db, sql, params))


def fetch_one(db: Readable, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
    """The first row of one statement, or None."""
    for row in fetch_iter(db, sql, params):
        return row
    return None


def fetch_iter(db: Readable, sql: str, params: Mapping[str, Any] | None = None, batch: int = 0) -> Iterator[Row]:
    """The rows of one statement as they come (`batch` rows at a time through SQLAlchemy, when given)."""
    if isinstance(db, sqlite3.Connection):
        cursor = db.execute(sql, dict(params or {}))
        try:
            yield from cursor
        finally:
            cursor.close()
        return
    from sqlalchemy import text

    statement = text(sql).execution_options(yield_per=batch) if batch else text(sql)
    for row in db.execute(statement, dict(params or {})):
        yield tuple(row)


def stored_time(value: str | datetime | None) -> datetime | None:
    """A `UTCDateTime` column's value as the driver gives it (SQLite: text; PostgreSQL: a naive datetime), aware UTC."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def stored_moment(value: str | datetime) -> datetime:
    """`stored_time` of a column that is never NULL (an audit entry's time, a decision's)."""
    moment = stored_time(value)
    if moment is None:
        raise ValueError("a time that may not be empty is empty")
    return moment


def stored_json(value: Any) -> Any:
    """A JSON column's value as the driver gives it: text on SQLite, already parsed on PostgreSQL."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def in_list(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`(:name_0, :name_1, ...)` and its parameters: a list of values for `IN`, at most `IN_CHUNK` of them."""
    if not 0 < len(values) <= IN_CHUNK:
        raise ValueError(f"an IN list takes 1 to {IN_CHUNK} values, not {len(values)}")
    params = {f"{name}_{i}": value for i, value in enumerate(values)}
    return "(" + ", ".join(f":{key}" for key in params) + ")", params


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """`values` in runs of at most `IN_CHUNK` (one `in_list` each)."""
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


@dataclass
class Reader:
    """A read connection that needs no SQLAlchemy (`db.quick`), and the engine, opened only if asked for."""

    connection: sqlite3.Connection
    engine: Callable[[], Engine]


def database_label(db: Readable) -> str:
    """Which database a connection reads, the same from every kind of connection to it: a SQLite
    file as `sqlite:///` and its absolute path (SQLite's own answer), any other database as its
    URL without the password."""
    if isinstance(db, sqlite3.Connection):
        return _sqlite_label(fetch_all(db, "PRAGMA database_list"))
    from sqlalchemy import Connection

    bind: Any = db.engine if isinstance(db, Connection) else db.get_bind()
    url = bind.engine.url
    if url.get_backend_name() == "sqlite":
        return _sqlite_label(fetch_all(db, "PRAGMA database_list"))
    return str(url.render_as_string(hide_password=True))


def _sqlite_label(databases: list[Row]) -> str:
    main = next((row for row in databases if row[1] == "main"), None)
    return f"sqlite:///{main[2] if main is not None else ''}"


@contextmanager
def reading(database: Reader | Engine) -> Iterator[Readable]:
    """A connection to read on: the reader's own (left open: it is the command's), or a new one of the engine's."""
    if isinstance(database, Reader):
        yield database.connection
        return
    with database.connect() as connection:
        yield connection
