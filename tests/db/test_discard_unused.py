"""A database a failed first command made is taken away only when nothing is in it and no other tracker has it
open (`db.sqlite.discard_unused`): never a database in use, never one that holds a row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tracker.db.sqlite import discard_unused


def _database(path: Path, rows: int = 0) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
    connection.execute("INSERT INTO alembic_version VALUES ('0020')")
    connection.execute("CREATE TABLE persona (id INTEGER PRIMARY KEY, name TEXT)")
    connection.executemany("INSERT INTO persona (name) VALUES (?)", [("moth",)] * rows)
    connection.commit()
    return connection


def test_an_empty_database_no_one_has_open_goes_with_its_wal_files(tmp_path: Path) -> None:
    _database(tmp_path / "tracker.db").close()
    assert discard_unused(tmp_path / "tracker.db")
    assert list(tmp_path.iterdir()) == []


def test_a_database_another_tracker_has_open_or_that_holds_a_row_stays(tmp_path: Path) -> None:
    used = tmp_path / "used.db"
    writer = _database(used)
    reader = sqlite3.connect(used)
    reader.execute("SELECT count(*) FROM persona").fetchone()
    assert not discard_unused(used) and used.is_file(), "another connection has it open"
    reader.close()
    writer.close()

    recorded = tmp_path / "recorded.db"
    _database(recorded, rows=1).close()
    assert not discard_unused(recorded) and recorded.is_file()
    assert not discard_unused(tmp_path / "missing.db") and not (tmp_path / "missing.db").exists()
