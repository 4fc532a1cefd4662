"""What only the database a finished `restore --force` replaced held stays in view until the owner deals with it.

The restore says it once as it finishes; then only the kept `tracker.db.old-*` copy holds it. An unanswered
complaint logged after the backup must not be forgotten there: `tracker status` names it (with its deadline, exit 3;
exit 1 once overdue), names the copy and how to read it, every time, until the owner deletes or moves that copy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker

pytestmark = [pytest.mark.sqlite_only]


def _status(tracker: Tracker, *args: str) -> tuple[int, str]:
    said = tracker("status", *args, ok=False)
    return said.exit_code, said.stdout


@pytest.fixture
def restored(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> Path:
    """A backup, then a complaint logged after it (due in a week), then that backup restored over it."""
    tracker("complaint", "add", "--message", "Please remove my photo.", "--name", "Ann")
    tracker("backup", tmp_path / "b.tar")
    tracker("complaint", "add", "--message", "Take my picture down, please.", "--name", "Bob")
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert "1 complaint: #2 open, answer by" in done.stderr
    (kept,) = isolated_env.glob("tracker.db.old-*")
    return kept


def test_status_keeps_naming_an_open_complaint_only_the_replaced_database_holds(
    tracker: Tracker, restored: Path, tmp_path: Path
) -> None:
    for _ in range(2):  # not said once only
        code, said = _status(tracker)
        assert code == 3, said
        assert f"The restore from {tmp_path / 'b.tar'} (" in said
        assert f"it is only in {restored} now (said until you delete or move that file)" in said
        assert "1 complaint there still to answer (#2 by " in said
        assert f"read it with tracker --db {restored} complaint list" in said
    data = json.loads(tracker("status", "--json", ok=False).stdout)
    (entry,) = data["only_in_replaced_databases"]
    assert entry["kept_database"] == str(restored) and entry["unanswered_complaints"] == [2]
    listed = tracker("--db", restored, "complaint", "list").stdout
    assert "Bob" in listed, "the way it names reads the complaint"

    restored.unlink()  # the owner logged it again, or dealt with it
    code, said = _status(tracker)
    assert code == 0 and "only in" not in said, said
    assert json.loads(tracker("status", "--json").stdout)["only_in_replaced_databases"] == []


def test_an_overdue_complaint_left_there_is_overdue(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    tracker("complaint", "add", "--message", "Please remove my photo.", "--name", "Ann")
    tracker("backup", tmp_path / "b.tar")
    tracker(
        "complaint",
        "add",
        "--message",
        "Down now.",
        "--name",
        "Bob",
        "--received",
        "2026-01-02",
        "--deadline",
        "2026-01-09",
    )
    tracker("restore", tmp_path / "b.tar", "--force")
    code, said = _status(tracker)
    assert code == 1, said
    assert "(#2 OVERDUE since 2026-01-09)" in said


def test_a_later_restore_keeps_the_earlier_copy_in_view(
    tracker: Tracker, restored: Path, tmp_path: Path, isolated_env: Path
) -> None:
    tracker("complaint", "add", "--message", "A third one.", "--name", "Cy")
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert "1 complaint: #2 open" in done.stderr
    code, said = _status(tracker)
    assert code == 3, said
    assert said.count("(said until you delete or move that file)") == 2, said
    assert f"it is only in {restored} now" in said, "the first copy still holds Bob's complaint"


def test_status_removes_the_note_once_the_owner_deleted_every_copy_it_names(
    tracker: Tracker, restored: Path, tmp_path: Path, isolated_env: Path
) -> None:
    """The note of what replaced databases held goes with the copies: an entry whose copy was deleted is dropped
    by the next status, the entries of copies still there are kept, and the note goes with the last copy."""
    tracker("complaint", "add", "--message", "A third one.", "--name", "Cy")
    tracker("restore", tmp_path / "b.tar", "--force")
    note = isolated_env / ".tracker.db.replaced"
    (later,) = set(isolated_env.glob("tracker.db.old-*")) - {restored}
    restored.unlink()
    code, said = _status(tracker)
    assert code == 3 and f"it is only in {later} now" in said and str(restored) not in said, said
    (entry,) = json.loads(note.read_text())["replaced"]
    assert entry["kept_database"] == later.name
    assert _status(tracker) == (code, said), "the copy still there keeps its entry"
    later.unlink()
    code, said = _status(tracker)
    assert code == 0 and "only in" not in said, said
    assert not note.exists()
    assert not list(isolated_env.glob(".*replaced*"))


def test_a_restore_that_left_nothing_behind_says_nothing_later(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    tracker("complaint", "add", "--message", "Please remove my photo.", "--name", "Ann")
    tracker("backup", tmp_path / "b.tar")
    tracker("restore", tmp_path / "b.tar", "--force")
    code, said = _status(tracker)
    assert code == 0 and "only in" not in said, said
    assert not list(isolated_env.glob(".*replaced*"))


def test_a_note_that_cannot_be_written_leaves_the_restore_s_record_to_say_it(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk as the restore notes what the replaced database held: the restore's own record stays, and
    `tracker status` says the same from it, so the open complaint is never out of view."""
    import errno

    import tracker.archive.replaced as replaced

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    tracker("complaint", "add", "--message", "Please remove my photo.", "--name", "Ann")
    tracker("backup", tmp_path / "b.tar")
    tracker("complaint", "add", "--message", "Take my picture down, please.", "--name", "Bob")
    with monkeypatch.context() as patched:
        patched.setattr(replaced, "write_replaced", full)
        done = tracker("restore", tmp_path / "b.tar", "--force")
    assert "1 complaint: #2 open, answer by" in done.stderr
    assert not (isolated_env / ".tracker.db.replaced").exists()
    status = tracker("status", ok=False)
    code, said = status.exit_code, status.stdout
    assert code == 3, status.output
    assert "1 complaint: #2 open, answer by" in said, said


def test_a_replaced_database_that_could_not_be_read_is_said_not_passed_over(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """A current database SQLite cannot read (damaged, another program's) replaced by `restore --force`: what only
    it held is unknown, and the restore and status say that much, naming the copy, rather than nothing."""
    tracker("complaint", "add", "--message", "Please remove my photo.", "--name", "Ann")
    tracker("backup", tmp_path / "b.tar")
    (isolated_env / "tracker.db").write_bytes(b"\x13" * 8192)
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert "it could not be read (file is not a database): whatever only it holds cannot be listed" in done.stderr
    (kept,) = [p for p in isolated_env.glob("tracker.db.old-*") if not p.name.endswith(("-wal", "-shm"))]
    code, said = _status(tracker)
    assert code == 0, said
    assert f"it is only in {kept} now (said until you delete or move that file)" in said
    assert "it could not be read (file is not a database)" in said and "keep it until you know" in said
    kept.unlink()
    assert "only in" not in _status(tracker)[1]


async def test_the_dashboard_banner_says_a_complaint_is_only_in_the_replaced_database(
    tracker: Tracker, restored: Path
) -> None:
    """The owner who lives in the TUI sees it too: the banner points to `tracker status` while the copy holding the
    unanswered complaint is kept, and says nothing once it is gone."""
    from fixtures.tui import make_app, wait_for
    from textual.widgets import Static

    from tracker.support.textsafe import cell_width
    from tracker.tui.screens.dashboard import DashboardScreen

    async def banner() -> Static:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
            shown = app.screen.query_one("#banner", Static)
            assert cell_width(str(shown.render())) <= 78 and shown.region.height == 1
            return shown

    shown = await banner()
    text = str(shown.render())
    assert "⚠" in text and "replaced database" in text and "tracker status" in text, text
    assert text.startswith("1 complaint unanswered"), text
    restored.unlink()
    text = str((await banner()).render())
    assert "replaced" not in text and "⚠" not in text, text


def test_status_counts_what_only_the_replaced_database_held_in_plain_english(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """`2 changes made after the backup`, not `2 change made after the backups`."""
    from fixtures.drawings import drawing

    tracker("complaint", "add", "--message", "Please remove my photo.", "--name", "Ann")
    tracker("backup", tmp_path / "b.tar")
    drawing(1).save(tmp_path / "p.png")
    tracker("log", tmp_path / "p.png", "--url", "https://www.pixiv.net/artworks/700000001", "--persona", "moth")
    tracker("restore", tmp_path / "b.tar", "--force")
    said = _status(tracker)[1]
    assert "1 post, " in said and " changes made after the backup" in said, said
    assert "change made after the backups" not in said
