"""`tracker status` as cron or a login script sees it: its exit code must never be a false all-clear.

0: nothing overdue or due within a day; 1: overdue; 2: the answer is unknown (no database, an unreadable
one); 3: due today or within 24 hours, or a take-down promised in a sent reply not confirmed. Complaints due today and
tomorrow are named by number. Files an interrupted import left in the archive are told of (exit 0).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.killpoints import kill_at


def _one_error(result: Result, *fragments: str) -> None:
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("tracker: error: ") and "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr


def _local_today(hour: int) -> datetime:
    return datetime.now().astimezone().replace(hour=hour, minute=0, second=0, microsecond=0)


def _add(tracker: Tracker, deadline: datetime | str) -> None:
    received = (datetime.now(UTC) - timedelta(days=5)).isoformat()
    deadline_text = deadline if isinstance(deadline, str) else deadline.isoformat()
    tracker(
        "complaint", "add", "--persona", "moth", "--new-persona", "--name", "A",
        "--received", received, "--deadline", deadline_text,
    )  # fmt: skip


@pytest.mark.sqlite_only
def test_a_missing_database_is_an_error_with_its_own_exit_code(tracker: Tracker, tmp_path: Path) -> None:
    typo = tmp_path / "typo"
    result = tracker("--data-dir", typo, "status", ok=False)
    assert result.exit_code == 2 and result.stdout == ""
    _one_error(result, "no database at", str(typo / "tracker.db"))
    assert not typo.exists() or not any(typo.iterdir()), "status creates no database"
    as_json = tracker("--data-dir", typo, "status", "--json", ok=False)
    assert as_json.exit_code == 2 and as_json.stdout == ""


@pytest.mark.sqlite_only
def test_an_unreadable_database_is_not_mistaken_for_overdue(tracker: Tracker, isolated_env: Path) -> None:
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "tracker.db").write_bytes(b"this is not a database\n" * 200)
    result = tracker("status", ok=False)
    assert result.exit_code == 2
    _one_error(result)


@pytest.mark.db
def test_due_today_and_tomorrow_are_named_and_due_today_exits_3(tracker: Tracker) -> None:
    # Days, not hours: the end of the day (a time of day today would be overdue after it, whenever this runs).
    _add(tracker, (_local_today(12) + timedelta(days=1)).date().isoformat())  # #1 due tomorrow
    _add(tracker, _local_today(12).date().isoformat())  # #2 due today
    _add(tracker, (_local_today(12) + timedelta(days=9)).date().isoformat())  # #3 not soon
    result = tracker("status", ok=False)
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0] == "3 complaints unanswered, none overdue"
    assert "1 due today (#2), 1 due tomorrow (#1)" in lines
    data = json.loads(tracker("status", "--json", ok=False).stdout)
    assert data["due_today"] == [2] and data["due_tomorrow"] == [1]


@pytest.mark.db
def test_due_tomorrow_alone_is_named_but_exits_0(tracker: Tracker) -> None:
    _add(tracker, (_local_today(12) + timedelta(days=1)).date().isoformat())  # the end of tomorrow: over 24 hours
    result = tracker("status")
    assert "1 due tomorrow (#1)" in result.stdout.splitlines()


@pytest.mark.db
def test_overdue_wins_over_due_today(tracker: Tracker) -> None:
    _add(tracker, _local_today(12).date().isoformat())
    _add(tracker, _local_today(12) - timedelta(days=2))
    result = tracker("status", ok=False)
    assert result.exit_code == 1
    assert "1 due today (#1)" in result.stdout.splitlines()


@pytest.mark.db
def test_an_empty_database_is_all_clear(tracker: Tracker) -> None:
    from tracker.db.session import open_database
    from tracker.support.settings import load_settings

    open_database(load_settings())
    said = tracker("status").stdout.splitlines()
    assert said[0] == "no unanswered complaints"
    assert said[1].startswith("No post logged yet in ") and said[1].endswith(": is it the archive you meant?")
    data = tracker.json("status")
    assert not any(data.pop("provenance").values()) and data.pop("unverified_takedowns") == 0
    assert data == {
        "unanswered": 0, "overdue": 0, "oldest_overdue": None, "complaints": [], "due_today": [], "due_tomorrow": [],
        "takedowns_to_confirm": [], "unfinished_scrub_files": 0, "awaiting_their_answer": [],
        "unrecorded_archive_files": 0, "interrupted_restore_files": 0, "interrupted_restore": None,
        "restore_archive_files": 0, "returned_personas": [], "unsaved_in_tui": [], "unfinished_backups": [],
        "only_in_replaced_databases": [],
    }  # fmt: skip


@pytest.mark.db
def test_complaint_list_marks_the_due_day_too(tracker: Tracker) -> None:
    _add(tracker, _local_today(12).date().isoformat())  # the end of today: "today" at any hour of the run
    _add(tracker, _local_today(12) + timedelta(days=1))
    _add(tracker, _local_today(12) - timedelta(days=1))
    rows = {line.split()[0]: line for line in tracker("complaint", "list").stdout.splitlines()[1:]}
    assert " today " in rows["1"] and " tomorrow " in rows["2"] and "OVERDUE" in rows["3"]


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_files_an_interrupted_import_left_in_the_archive_are_told_of(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """Killed before its rows committed, an import leaves private images no record names: until the next import
    or log removes them, status says so (no deadline hangs on it: exit 0); files its rows name are no leftovers."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    for n in range(3):
        drawing(40 + n).save(folder / f"draft{n}.png")
    args = ["import", str(folder), "--persona", "moth"]
    assert kill_at(args, isolated_env, "import:before-commit#1")
    said = tracker("status").stdout
    assert (
        "An import or log was interrupted: 3 archived files belong to no post or complaint; the next tracker import "
        "or tracker log removes them (run the interrupted import again to finish it)." in " ".join(said.split())
    )
    assert tracker.json("status")["unrecorded_archive_files"] == 3
    assert kill_at(args, isolated_env, "import:after-commit#1")  # its journal stays; its rows name every file
    assert "An import or log was interrupted" not in tracker("status").stdout
    assert tracker.json("status")["unrecorded_archive_files"] == 0


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_what_a_killed_restore_left_is_told_of_with_the_command_that_clears_it(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """Killed once the backup is staged, a restore leaves a full copy of it beside the database: status says so in
    one line, naming what removes it (no deadline hangs on it: exit 0), and says nothing once a log removed it."""
    drawing(50).save(tmp_path / "a.png")
    tracker("log", tmp_path / "a.png", "--url", "https://www.pixiv.net/artworks/50", "--persona", "moth")
    tracker("backup", tmp_path / "b.tar")
    assert kill_at(["restore", str(tmp_path / "b.tar"), "--force"], isolated_env, "restore:verified")
    said = " ".join(tracker("status").stdout.split())
    assert (
        "A restore was interrupted before it changed anything (the database from before is in use): it left 1 "
        "unfinished copy beside the database and archive (.tracker.db" in said
    )
    assert "the next tracker log or tracker import (or tracker restore) removes it." in said, said
    assert tracker.json("status")["interrupted_restore_files"] == 1

    drawing(51).save(tmp_path / "b.png")
    tracker("log", tmp_path / "b.png", "--url", "https://www.pixiv.net/artworks/51", "--persona", "moth")
    assert "restore was interrupted" not in tracker("status").stdout
    assert tracker.json("status")["interrupted_restore_files"] == 0


@pytest.mark.slow
def test_status_and_the_complaint_list_start_without_sqlalchemy(tracker: Tracker) -> None:
    """A login script's `tracker status` reads a SQLite file at this revision through the standard library's driver:
    the tenth of a second SQLAlchemy takes to load is not spent, and the answer and its exit code are the same."""
    import os
    import subprocess
    import sys

    if os.environ.get("TRACKER_DB"):
        pytest.skip("the quick path is for SQLite files; PostgreSQL opens through the engine")
    _add(tracker, datetime.now(UTC) - timedelta(days=2))  # overdue: exit 1
    _add(tracker, _local_today(12) + timedelta(days=1))
    for command in (["status"], ["status", "--json"], ["complaint", "list", "--all"]):
        expected = tracker(*command, ok=False)
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "tracker", *command], capture_output=True)
        assert (done.returncode, done.stdout) == (expected.exit_code, expected.stdout_bytes), command
        loaded = done.stderr.decode()
        assert "tracker.complaints.queue" in loaded and "sqlalchemy" not in loaded, command


def test_status_fits_80_columns_and_a_pipe_keeps_one_line_each(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(tracker, _local_today(12) - timedelta(days=2))
    _add(tracker, _local_today(12) + timedelta(days=10))
    tracker("complaint", "decide", "2", "--action", "ask_info")
    tracker("complaint", "reply", "2", "--answered")
    monkeypatch.setenv("COLUMNS", "80")
    folded = tracker("status", ok=False).stdout.splitlines()
    assert all(len(line) <= 80 for line in folded), folded
    assert any(line.startswith("  ") for line in folded), "a long line continues indented"
    monkeypatch.delenv("COLUMNS")
    piped = tracker("status", ok=False).stdout.splitlines()
    waiting = next(line for line in piped if "waiting for the sender's answer" in line)
    assert len(waiting) > 80 and waiting.endswith(": tracker complaint message 2 --from FILE")


@pytest.mark.db
def test_an_unanswered_complaint_due_later_is_named_with_its_deadline(tracker: Tracker) -> None:
    """ "2 complaints unanswered, none overdue" alone exits 0 and names none: the one due first is named."""
    later = (_local_today(12) + timedelta(days=9)).date().isoformat()
    _add(tracker, (_local_today(12) + timedelta(days=12)).date().isoformat())
    _add(tracker, later)
    said = tracker("status").stdout.splitlines()
    assert said[:2] == [
        "2 complaints unanswered, none overdue",
        f"Next to answer: #2 by {later} (tracker complaint list lists all 2)",
    ]
    _add(tracker, (_local_today(12) + timedelta(days=1)).date().isoformat())  # due tomorrow: named there instead
    assert not any(line.startswith("Next to answer") for line in tracker("status").stdout.splitlines())


@pytest.mark.db
def test_complaint_add_and_show_say_due_today_or_tomorrow_beside_the_deadline(tracker: Tracker) -> None:
    """As `status` and `complaint list` name them: `complaint show` of a complaint due tomorrow said only the date."""
    tomorrow = (_local_today(12) + timedelta(days=1)).date().isoformat()
    added = tracker(
        "complaint", "add", "--persona", "moth", "--new-persona", "--name", "A", "--deadline", tomorrow
    ).stdout  # fmt: skip
    assert f"Logged complaint #1: answer by {tomorrow}  due tomorrow" in added.splitlines()
    assert f"  answer by  {tomorrow}  due tomorrow" in tracker("complaint", "show", "1").stdout.splitlines()
    tracker("complaint", "set", "1", "--deadline", "today")
    today = _local_today(12).date().isoformat()
    assert f"  answer by  {today}  due today" in tracker("complaint", "show", "1").stdout.splitlines()
    later = (_local_today(12) + timedelta(days=5)).date().isoformat()
    tracker("complaint", "set", "1", "--deadline", later)
    assert f"  answer by  {later}" in tracker("complaint", "show", "1").stdout.splitlines()
    tracker("complaint", "set", "1", "--deadline", "today")
    tracker("complaint", "decide", "1", "--action", "withdrawn")
    tracker("complaint", "reply", "1", "--answered")
    assert not any("due today" in line for line in tracker("complaint", "show", "1").stdout.splitlines())


def test_an_overdue_complaint_at_80_columns_keeps_its_legal_basis_whole_under_its_text(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Japanese platform law` was cut into `Japanese` and `platform law` under the complaint's number, read as a
    line of its own: folded, the basis goes whole under the line's text."""
    received = (datetime.now(UTC) - timedelta(days=20)).isoformat()
    name = ["--name", "Sato Hana", "--org", "Atelier Kirisame"]
    tracker("complaint", "add", *name, "--basis", "jp", "--received", received)
    monkeypatch.setenv("COLUMNS", "80")
    lines = tracker("status", ok=False).stdout.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("  #1  OVERDUE since"))
    assert lines[at + 1] == "      Japanese platform law", lines
    monkeypatch.delenv("COLUMNS")
    assert any(
        line.endswith("Atelier Kirisame)  Japanese platform law")
        for line in tracker("status", ok=False).stdout.splitlines()
    )
