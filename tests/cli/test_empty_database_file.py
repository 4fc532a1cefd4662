"""A database file cut to 0 bytes (a copy cut short, a disk that filled up) is no archive: reading commands say so.

SQLite reads an empty file as a new, empty database. Read as one, `tracker status` would make an archive in it and
answer "no unanswered complaints", exit 0: an all-clear while the real archive, with its complaints due, is lost.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli.test_missing_database import READING_COMMANDS
from fixtures.common import Tracker

pytestmark = [pytest.mark.sqlite_only]


@pytest.fixture
def emptied(isolated_env: Path) -> Path:
    isolated_env.mkdir(parents=True, exist_ok=True)
    database = isolated_env / "tracker.db"
    database.write_bytes(b"")
    return database


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_an_empty_database_file_is_an_error_not_an_empty_archive(
    tracker: Tracker, emptied: Path, command: tuple[str, ...]
) -> None:
    result = tracker(*command, ok=False)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"tracker: error: the database {emptied} is an empty file (0 bytes: a copy cut short, or a disk that filled "
        "up?): nothing is recorded in it; restore a backup over it (tracker restore --force FILE), or check "
        "TRACKER_DATA_DIR / --data-dir / --db\n"
    )
    assert result.stdout == "", "no empty listing beside the error"
    assert emptied.stat().st_size == 0, "no archive is made in it"


def test_backup_of_an_empty_database_file_writes_none(tracker: Tracker, emptied: Path, tmp_path: Path) -> None:
    result = tracker("backup", tmp_path / "b.tar", ok=False)
    assert result.exit_code == 2
    assert "is an empty file (0 bytes): nothing to back up, no backup written" in result.stderr
    assert not (tmp_path / "b.tar").exists()
