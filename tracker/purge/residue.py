"""Checking the bytes after a scrub: does the database file (or its WAL) still hold the persona's name or URLs?

When the name is still there, the rows left are searched for it too (`name_where`), so the owner is told which
record holds the same text ("decision #1's notes") rather than left to guess.
"""

from __future__ import annotations

import json
import mmap
import sqlite3
from collections.abc import Collection, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Residue:
    """What a byte search of the database file(s) still found after the scrub."""

    files: tuple[str, ...]
    name_found: bool
    urls_checked: int
    urls_found: int
    name_where: tuple[str, ...] = ()
    """The records left that hold the name, as the owner reads them ("decision #1's notes"; `NAMED_AT_MOST`, then
    a count); empty when no row does (the bytes are then in freed space or the WAL)."""


NAMED_AT_MOST = 3
"""Records named one by one where the name still appears; the rest are counted."""


def find_residue(files: Iterable[Path], name: str, urls: Collection[str], database: Path | None = None) -> Residue:
    """Search the raw bytes of the database files for the persona's name and post URLs.

    Both the UTF-8 text and its JSON-escaped form (how the audit trail stores non-ASCII text) are
    searched. A name short or common enough to occur in other records is reported as found: the
    check cannot tell whose text it is in, but when it is found, the rows of `database` (the SQLite file)
    are searched for it, so the owner is told which records hold the same text.
    """
    names = _forms(name)
    wanted = {form for url in urls for form in _forms(url)}
    checked: list[str] = []
    name_found = False
    found: set[bytes] = set()
    for path in files:
        if not path.is_file() or path.stat().st_size == 0:
            continue
        checked.append(str(path))
        with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            name_found = name_found or any(data.find(form) != -1 for form in names)
            found |= _urls_in(data, wanted)
    hits = {url for url in urls if any(form in found for form in _forms(url))}
    where = _rows_holding(database, names) if name_found and database is not None else ()
    return Residue(tuple(checked), name_found, len(urls), len(hits), where)


def _rows_holding(database: Path, forms: Collection[bytes]) -> tuple[str, ...]:
    """The records of the SQLite file that hold any of `forms` in a column, read-only: "decision #1's notes".

    Every column of every table is searched (`instr`: case as stored, as the byte search is); a row without an
    `id` is named by its table alone. A file that cannot be read names nothing."""
    needles = [form.decode("utf-8") for form in forms]
    found: list[str] = []
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in sorted(t for t in tables if not t.startswith("sqlite_") and t != "alembic_version"):
                columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
                key = "id" if "id" in columns else "rowid"
                for column in columns:
                    hit = " OR ".join(f'instr(CAST("{column}" AS TEXT), ?) > 0' for _ in needles)
                    query = f'SELECT {key} FROM "{table}" WHERE {hit} ORDER BY {key}'  # noqa: S608 (names from the schema)
                    found += [
                        f"{table} #{row[0]}'s {column.replace('_', ' ')}" for row in connection.execute(query, needles)
                    ]
    except sqlite3.Error:
        return ()
    more = len(found) - NAMED_AT_MOST
    return tuple(found[:NAMED_AT_MOST]) + ((f"{more} more",) if more > 0 else ())


def _forms(text: str) -> set[bytes]:
    return {text.encode("utf-8"), json.dumps(text)[1:-1].encode("ascii")} - {b""}


def _urls_in(data: mmap.mmap, wanted: set[bytes]) -> set[bytes]:
    """Which of `wanted` occur in data: one pass over every `://`, not one search per URL."""
    lengths: dict[int, set[int]] = {}
    found: set[bytes] = set()
    for url in wanted:
        offset = url.find(b"://")
        if offset < 0:
            if data.find(url) != -1:
                found.add(url)
            continue
        lengths.setdefault(offset, set()).add(len(url))
    position = data.find(b"://")
    while position != -1:
        for offset, sizes in lengths.items():
            start = position - offset
            if start < 0:
                continue
            for size in sizes:
                chunk = data[start : start + size]
                if chunk in wanted:
                    found.add(chunk)
        position = data.find(b"://", position + 3)
    return found
