"""Whether a SQLite database holds exactly tracker's schema at the revision it records (for `restore`).

A database from a backup is foreign input: a trigger of its own would run on the next `log`, a
table of its own would survive a scrub. So `schema_problems` compares every object in its
`sqlite_master` (tables, indexes, triggers, views) with the schema the alembic migrations produce
at the revision the database records. The expected schema is made by running the shipped
migrations to that revision on a scratch SQLite file, once per revision per process.

Statements are compared token by token, not as text: case, quoting, whitespace and comments do not
count, nor the order of a table's constraints (a different SQLAlchemy or alembic may render them
otherwise); every column, type, default, constraint, index and its columns does.

A CHECK constraint's name is the one thing two genuine databases at one revision may differ in: the
migrations take their naming convention from the app's metadata, which named a check
`ck_<table>_<name>` until the schema moved to `db/schema.py` and leaves the migration's `<name>`
since. A database created before that keeps the long names through every later upgrade, one created
after has the short ones, so both are the same constraint here (`_check_name`); its expression counts.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tracker.db import WRITE_OPTION
from tracker.errors import DatabaseError
from tracker.support.settings import Settings, sqlite_url

Tokens = tuple[str, ...]


@dataclass(frozen=True)
class SchemaObject:
    """One row of `sqlite_master`, its statement reduced to what SQLite makes of it."""

    type: str
    name: str
    table: str
    shape: tuple[object, ...] | None


Schema = dict[tuple[str, str], SchemaObject]
"""(type, lower-case name) -> object."""

_EXPECTED: dict[str, Schema] = {}
"""Schemas the migrations produce, per revision, made once per process."""

_TOKEN = re.compile(
    r"""\s+|--[^\n]*|/\*.*?(?:\*/|\Z)|'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[\w$]+|.""",
    re.DOTALL,
)
_CONSTRAINT_WORDS = {"constraint", "primary", "unique", "check", "foreign"}


def tokens(sql: str) -> Tokens:
    """SQL as SQLite reads it: words and identifiers lower-cased and unquoted, literals kept, no comments."""
    found: list[str] = []
    for match in _TOKEN.finditer(sql):
        token = match.group()
        if token[0].isspace() or token.startswith(("--", "/*")):
            continue
        if token[0] == "'":
            found.append(token)
        elif token[0] in '"`':
            found.append(token[1:-1].replace(token[0] * 2, token[0]).lower())
        elif token[0] == "[":
            found.append(token[1:-1].lower())
        else:
            found.append(token.lower())
    return tuple(found)


def _split_body(found: Tokens) -> tuple[list[Tokens], Tokens] | None:
    """A CREATE TABLE's parenthesised clauses (split at top-level commas) and what follows them."""
    try:
        start = found.index("(")
    except ValueError:
        return None
    clauses: list[Tokens] = []
    current: list[str] = []
    depth = 0
    for position in range(start + 1, len(found)):
        token = found[position]
        if token == "(":
            depth += 1
        elif token == ")":
            if depth == 0:
                clauses.append(tuple(current))
                return clauses, found[position + 1 :]
            depth -= 1
        elif token == "," and depth == 0:
            clauses.append(tuple(current))
            current = []
            continue
        current.append(token)
    return None


def _shape(kind: str, sql: str | None) -> tuple[object, ...] | None:
    """What a statement defines: for a table its columns in order and its constraints in any order."""
    if sql is None:
        return None  # an index SQLite made for a UNIQUE or PRIMARY KEY clause
    found = tokens(sql)
    if kind != "table":
        return ("statement", _without_if_not_exists(found))
    split = _split_body(found)
    if split is None:
        return ("statement", found)
    clauses, after = split
    columns = tuple(c for c in clauses if not c or c[0] not in _CONSTRAINT_WORDS)
    table = found[found.index("(") - 1]
    constraints = tuple(sorted(_check_name(c, table) for c in clauses if c and c[0] in _CONSTRAINT_WORDS))
    return ("table", columns, constraints, after)


def _check_name(clause: Tokens, table: str) -> Tokens:
    """A named CHECK constraint with the `ck_<table>_` the older naming convention put before its name removed."""
    prefix = f"ck_{table}_"
    if len(clause) > 2 and clause[0] == "constraint" and clause[2] == "check" and clause[1].startswith(prefix):
        return (clause[0], clause[1].removeprefix(prefix), *clause[2:])
    return clause


def _without_if_not_exists(found: Tokens) -> Tokens:
    for position in range(len(found) - 2):
        if found[position : position + 3] == ("if", "not", "exists"):
            return found[:position] + found[position + 3 :]
    return found


def read_schema(conn: sqlite3.Connection) -> Schema:
    """Every object in a database's `sqlite_master`; raises sqlite3.Error on an unreadable file."""
    schema: Schema = {}
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        key = (str(kind), str(name).lower())
        schema[key] = SchemaObject(str(kind), str(name), str(table).lower(), _shape(str(kind), sql))
    return schema


def recorded_revision(conn: sqlite3.Connection) -> str | None:
    """The one alembic revision a database records, None when it records none (or several)."""
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version LIMIT 2").fetchall()
    except sqlite3.OperationalError:  # no such table
        return None
    if len(rows) != 1 or not isinstance(rows[0][0], str):
        return None
    return str(rows[0][0])


def known_revisions() -> set[str]:
    """Every revision id the shipped migrations define."""
    from alembic.script import ScriptDirectory

    from tracker.db.migrate import alembic_config

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def expected_schema(revision: str) -> Schema:
    """The schema the migrations produce at `revision` (a known revision id), cached in the process."""
    if revision not in _EXPECTED:
        if revision not in known_revisions():
            raise DatabaseError(f"schema revision {revision!r} is not one this tracker knows")
        _EXPECTED[revision] = _migrate_scratch(revision)
    return _EXPECTED[revision]


def _migrate_scratch(revision: str) -> Schema:
    """Run the migrations up to `revision` on a new SQLite file, as the app does, and read its schema."""
    from alembic import command

    from tracker.db.engine import create_db_engine
    from tracker.db.migrate import alembic_config

    with tempfile.TemporaryDirectory(prefix="tracker-schema-") as folder:
        path = Path(folder) / "scratch.db"
        settings = Settings(db_url=sqlite_url(path), data_dir=Path(folder), archive_dir=Path(folder) / "archive")
        engine = create_db_engine(settings)
        try:
            config = alembic_config()
            with engine.connect() as connection, connection.execution_options(**{WRITE_OPTION: True}).begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        finally:
            engine.dispose()
        conn = sqlite3.connect(path)
        try:
            return read_schema(conn)
        finally:
            conn.close()


def schema_problems(found: Schema, expected: Schema) -> list[str]:
    """How a database's schema differs from the expected one, one short phrase each (empty: identical)."""
    problems: list[str] = []
    for key in sorted(found.keys() - expected.keys()):
        problems.append(f"a {key[0]} {found[key].name!r} of its own")
    for key in sorted(expected.keys() - found.keys()):
        problems.append(f"no {key[0]} {expected[key].name!r}")
    for key in sorted(found.keys() & expected.keys()):
        mine, theirs = found[key], expected[key]
        if mine.table != theirs.table or mine.shape != theirs.shape:
            problems.append(f"a different {key[0]} {mine.name!r}")
    return problems


def columns_named(schema: Schema, column: str) -> list[str]:
    """The tables of a (verified) schema that have a column of this name."""
    tables = []
    for obj in schema.values():
        if obj.type == "table" and obj.shape and obj.shape[0] == "table":
            columns = obj.shape[1]
            if isinstance(columns, tuple) and any(c and c[0] == column for c in columns):
                tables.append(obj.name)
    return sorted(tables)
