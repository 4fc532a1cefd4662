"""`--db` / `TRACKER_DB` given a URL that keeps nothing or cannot be read, or a database file cut short: one line
that says what to do, nothing recorded.

A SQLite database in memory (`sqlite://`, `sqlite:///:memory:`) took every command's change and kept none of it (a
post "logged", then gone); a URL whose port is no number ended in an internal error; and neither line may show
the password in the URL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pytestmark = pytest.mark.sqlite_only


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:?cache=shared", "sqlite:///x.db?mode=memory"]
)
def test_a_database_in_memory_is_refused_before_anything_is_recorded(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, url: str
) -> None:
    drawing(1).save(tmp_path / "a.png")
    result = tracker("--db", url, "log", tmp_path / "a.png", "--url", "https://x.com/a/status/1", ok=False)
    assert result.exit_code == 2
    assert result.stderr == (
        f"tracker: error: {url} is a SQLite database in memory, which keeps nothing once the command ends: give a "
        "database file (--db PATH, or TRACKER_DB=PATH)\n"
    )
    assert not isolated_env.exists()  # no archive made for a database that keeps nothing


@pytest.mark.parametrize("url", ["postgresql://moth:s3cret@[::1/tracker", "postgresql://moth:s3@cret@db.lan:x/tracker"])
def test_a_url_whose_port_is_no_number_is_one_line_without_its_password(
    tracker: Tracker, isolated_env: Path, url: str
) -> None:
    result = tracker("--db", url, "status", ok=False)
    assert result.exit_code == 2
    assert result.stderr.startswith("tracker: error: not a database URL: 'postgresql://moth:***@")
    assert len(result.stderr.splitlines()) == 1 and "s3" not in result.stderr and "cret" not in result.stderr


@pytest.mark.parametrize("kept", [100, 4096, 50_000])
def test_a_database_cut_short_says_it_is_damaged_and_to_restore_a_backup(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, kept: int
) -> None:
    """It said only 'the database cannot be read [database disk image is malformed]', with nothing to do about it."""
    drawing(1).save(tmp_path / "a.png")
    tracker("log", tmp_path / "a.png", "--url", "https://x.com/a/status/1", "--persona", "moth")
    cut = tmp_path / "cut.db"
    cut.write_bytes((isolated_env / "tracker.db").read_bytes()[:kept])
    for command in (["status"], ["posts"], ["log", tmp_path / "a.png", "--url", "https://x.com/a/status/2"]):
        result = tracker("--db", cut, *command, ok=False)
        assert result.stderr.startswith(
            f"tracker: error: cannot open database {cut}: the file is damaged (cut short or overwritten, a disk "
            "error?): restore it from a backup (tracker restore --force FILE)"
        ), result.stderr
        assert len(result.stderr.splitlines()) == 1 and result.exit_code in (1, 2)
