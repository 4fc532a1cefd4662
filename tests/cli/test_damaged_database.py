"""A damaged SQLite file (a page overwritten) met by a writing command: one line saying so, non-zero exit,
no SQL statement and no traceback, and nothing half-written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png


@pytest.mark.sqlite_only
def test_a_damaged_database_is_one_line_not_an_internal_error(
    tracker: Tracker, isolated_env: Path, tmp_path: Path
) -> None:
    first = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", first, "--url", "https://www.pixiv.net/artworks/1", "--persona", "moth")
    database = isolated_env / "tracker.db"
    with open(database, "r+b") as handle:  # a page in the middle of the file, as a failing disk leaves it
        handle.seek(40960)
        handle.write(b"\xff" * 4096)
    second = write_png(tmp_path / "b.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=3))
    result = tracker("log", second, "--url", "https://www.pixiv.net/artworks/2", "--persona", "moth", ok=False)
    assert result.exit_code not in (0, 70) and "internal error" not in result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("tracker: error:")]
    assert len(error) == 1 and "the database is damaged" in error[0] and "SELECT" not in result.stderr
    urls = [row[0] for row in sqlite3.connect(database).execute("SELECT url FROM post")]
    assert urls == ["https://www.pixiv.net/artworks/1"], "the failed log left no half-written post"
    status = tracker("status", ok=False)
    assert status.exit_code == 2 and "the database is damaged" in status.stderr, "never a quiet all-clear"
