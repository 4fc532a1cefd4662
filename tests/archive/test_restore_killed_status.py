"""A `tracker restore` killed part way: `tracker status` says which database is in use, where the other one is kept,
and what the restore would have warned, and blames the archive files it copied on it, not on an import.

The kill is simulated in the process: at a named point of the restore (`testhooks.stop_point`) the data folder is
copied as it is then, every file hard-linked (so the database file keeps the inode the restore's record names),
and the test goes on in that copy, as the owner would after a `kill -9` there. The last test kills a real process
at the reviewer's point.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.killpoints import kill_at

from tracker.cli import cli
from tracker.support import testhooks

pytestmark = [pytest.mark.sqlite_only]

LATE_URL = "https://www.pixiv.net/artworks/740000009"


class _Killed(BaseException):
    """Raised where a kill would stop the restore."""


def _log(tracker: Tracker, tmp_path: Path, n: int, persona: str, new: bool = False) -> None:
    path = tmp_path / f"p{n}.png"
    drawing(n).save(path)
    url = LATE_URL if n == 9 else f"https://www.pixiv.net/artworks/{740000000 + n}"
    tracker("log", path, "--url", url, "--persona", persona, *(["--new-persona"] if new else []))


@pytest.fixture
def merged_since(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> Path:
    """moth and kite backed up; then a post logged, one of kite's removed (its image with it) and kite merged away:
    the backup brings kite back, and that image."""
    _log(tracker, tmp_path, 1, "moth", new=True)
    _log(tracker, tmp_path, 2, "kite", new=True)
    _log(tracker, tmp_path, 3, "kite")
    tracker("backup", tmp_path / "b2.tar")
    _log(tracker, tmp_path, 9, "moth")
    tracker("post", "remove", "3", "--yes")
    tracker("persona", "merge", "kite", "moth")
    return tmp_path / "b2.tar"


def _restore_killed_at(
    tracker: Tracker,
    backup: Path,
    data: Path,
    point: str,
    monkeypatch: pytest.MonkeyPatch,
    name: str = "after-the-kill",
    copy: Callable[[str, str], object] = os.link,
) -> Path:
    """The data folder as a restore killed at `point` leaves it (the owner carries on in it: TRACKER_DATA_DIR);
    `copy`: how each file is copied (a hard link by default, as the file is; `shutil.copy2`: a new file)."""
    after = data.with_name(name)

    def stop(name: str) -> None:
        if name == point:
            shutil.copytree(data, after, copy_function=copy)
            note = after / ".archive.restoring"  # names the database the restore writes: this copy's
            note.unlink()
            note.write_text(f"{after / 'tracker.db'}\n", encoding="utf-8")
            raise _Killed(name)

    with monkeypatch.context() as patched, pytest.raises(_Killed):
        patched.setattr(testhooks, "stop_point", stop)
        tracker("restore", backup, "--force")
    monkeypatch.setenv("TRACKER_DATA_DIR", str(after))
    return after


def _personas(data: Path) -> list[str]:
    with sqlite3.connect(data / "tracker.db") as conn:
        return sorted(str(name) for (name,) in conn.execute("select name from persona"))


def _said(tracker: Tracker) -> tuple[int, str]:
    done = tracker("status", ok=False)
    return done.exit_code, " ".join(done.stdout.split())


def test_killed_after_the_swap_status_says_the_backup_is_in_use_and_what_it_never_said(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _restore_killed_at(tracker, merged_since, isolated_env, "restore:replaced", monkeypatch)
    assert _personas(data) == ["kite", "moth"]
    [kept] = [path.name for path in data.glob("tracker.db.old-*")]
    code, said = _said(tracker)
    assert code == 3, said  # a persona came back: not an all-clear
    assert (
        f"A restore from {merged_since} was interrupted after it put the backup's database in place: the restored "
        f"database is in use; the one from before is kept as {kept}" in said
    )
    assert (
        "persona 'kite' (2 posts) came back with the restored database; if it was scrubbed, burn it down again: "
        "tracker purge plan kite" in said
    )
    assert f"it is only in {kept} now: 1 post: #4 {LATE_URL}" in said
    assert "An import or log was interrupted" not in said
    assert "1 archived file that only the replaced database names" in said  # the late post's image
    told = json.loads(tracker("status", "--json", ok=False).stdout)["interrupted_restore"]
    assert told["database_in_use"] == "restored" and told["kept_database"] == kept
    assert told["returning_personas"] == ["kite"] and told["only_in_kept_database"][0] == f"1 post: #4 {LATE_URL}"

    plan = tracker("purge", "plan", "kite", "--format", "json", "-o", data.parent / "plan.json")
    assert ".tracker.db.restore-record" in (data.parent / "plan.json").read_text(), plan.output  # it names kite

    _log(tracker, isolated_env.parent, 5, "moth")  # a writer clears the leftovers, not what the owner must hear
    code, said = _said(tracker)
    assert code == 3 and "persona 'kite' (2 posts) came back" in said and "1 archived file" not in said

    (data / kept).unlink()  # the owner acted: what only it held is gone for good
    code, said = _said(tracker)  # but kite is still back: said until the owner scrubs or keeps it
    assert code == 3 and "interrupted" not in said and "only in" not in said, said
    assert f"Persona 'kite' (2 posts) came back with the restore from {merged_since}" in said
    tracker("persona", "keep", "kite")
    code, said = _said(tracker)
    assert code == 0 and "restore" not in said, said


def test_a_persona_that_came_back_and_is_gone_again_is_no_longer_named(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # after its journal went, before it said its warnings
    _restore_killed_at(tracker, merged_since, isolated_env, "restore:done", monkeypatch)
    tracker("persona", "merge", "kite", "moth")
    code, said = _said(tracker)
    assert "came back" not in said and f"1 post: #4 {LATE_URL}" in said and code == 3


def test_killed_before_the_swap_the_old_database_is_in_use_and_the_copied_files_are_the_restores(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _restore_killed_at(tracker, merged_since, isolated_env, "restore:archive-added", monkeypatch)
    assert _personas(data) == ["moth"]
    [kept] = [path.name for path in data.glob("tracker.db.old-*")]
    code, said = _said(tracker)
    assert code == 0, said
    assert (
        f"A restore from {merged_since} was interrupted before it replaced the database: the database from before "
        f"is in use, nothing was restored (a copy of it was kept as {kept}); to restore it: tracker restore --force "
        f"{merged_since}" in said
    )
    assert (
        "A restore was interrupted: it copied 1 archived file from the backup that no post or complaint names" in said
    )
    assert "An import or log was interrupted" not in said and "came back" not in said
    assert tracker.json("status")["unrecorded_archive_files"] == 0
    assert tracker.json("status")["interrupted_restore"]["database_in_use"] == "before"

    _log(tracker, isolated_env.parent, 5, "moth")  # the next writer removes the copied file and the record
    code, said = _said(tracker)
    assert code == 0 and "restore" not in said, said
    assert not list(data.glob(".tracker.db.restore-record"))


def test_a_restore_that_finishes_says_its_warnings_and_leaves_no_record(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _restore_killed_at(tracker, merged_since, isolated_env, "restore:replaced", monkeypatch)
    [first] = [path.name for path in data.glob("tracker.db.old-*")]
    done = tracker("restore", merged_since, "--force")  # run again: it finishes
    warned = " ".join(done.stderr.split())
    assert "is not in the current database" not in warned  # kite is in the database it replaced this time
    # but what the killed restore never said is said now, with the copy that holds what
    assert (
        f"warning: An earlier restore from {merged_since} put its backup's database in place and was interrupted "
        "before it said" in warned
    )
    assert "persona 'kite' (2 posts) came back with the restored database" in warned
    assert f"the database it replaced held what that backup lacks; it is only in {first} now: 1 post: #4" in warned
    assert not list(data.glob(".tracker.db.restore-record"))
    code, said = _said(tracker)  # only that kite came back stays said, until the owner keeps it (test_restore_returned)
    assert code == 3 and "interrupted" not in said and "Persona 'kite' (2 posts) came back with the restore" in said
    tracker("persona", "keep", "kite")
    code, said = _said(tracker)  # what only the replaced database held stays in view while its copy is kept
    assert code == 0 and "came back" not in said and "interrupted" not in said, said
    assert f"it is only in {data / first} now (said until you delete or move that file): - 1 post, " in said
    for copy in data.glob("tracker.db.old-*"):
        copy.unlink()
    code, said = _said(tracker)
    assert code == 0 and "restore" not in said, said


def test_a_second_restore_killed_before_its_swap_keeps_what_the_first_never_said(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_kill = _restore_killed_at(tracker, merged_since, isolated_env, "restore:replaced", monkeypatch)
    [first] = [path.name for path in first_kill.glob("tracker.db.old-*")]
    data = _restore_killed_at(tracker, merged_since, first_kill, "restore:before-replace", monkeypatch, "second")
    assert _personas(data) == ["kite", "moth"]  # the first restore's database
    code, said = _said(tracker)
    assert code == 3, said
    assert "nothing was restored" in said  # by the second restore
    assert (
        f"An earlier restore from {merged_since} put its backup's database in place and was interrupted before it "
        f"said (repeated until you delete {first} or a restore finishes): - persona 'kite' (2 posts) came back" in said
    )
    assert f"it is only in {first} now: 1 post: #4 {LATE_URL}" in said
    assert "archived file" not in said  # the late post's image went with the first restore's journal
    [earlier] = json.loads(tracker("status", "--json", ok=False).stdout)["interrupted_restore"]["earlier_restores"]
    assert earlier["kept_database"] == first and earlier["returning_personas"] == ["kite"]

    done = tracker("restore", merged_since, "--force")  # the third one finishes: it says the first one's warnings
    assert f"it is only in {first} now" in " ".join(done.stderr.split())
    code, said = _said(tracker)
    assert code == 3 and "interrupted" not in said and "Persona 'kite' (2 posts) came back" in said


def test_the_restored_database_is_recognised_in_a_copy_of_the_data_folder(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _restore_killed_at(tracker, merged_since, isolated_env, "restore:replaced", monkeypatch)
    copied = shutil.copytree(data, data.with_name("copied"))  # cp -a, rsync, a move to another disk: new inodes
    monkeypatch.setenv("TRACKER_DATA_DIR", str(copied))
    code, said = _said(tracker)
    assert code == 3 and "the restored database is in use" in said, said
    assert "persona 'kite' (2 posts) came back" in said


@pytest.mark.parametrize(
    ("point", "in_use"),
    [
        ("restore:recorded", "before"),
        ("restore:journal-written", "before"),
        ("restore:archive-added", "before"),
        ("restore:before-replace", "before"),
        ("restore:replaced", "restored"),
        ("restore:old-removed", "restored"),
        ("restore:done", "restored"),
    ],
)
def test_every_kill_point_is_told_right_in_a_copy_of_the_data_folder(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch, point: str, in_use: str
) -> None:
    """Copied file by file at the kill (new inodes, as `cp -a` or rsync to another disk makes them)."""
    data = _restore_killed_at(tracker, merged_since, isolated_env, point, monkeypatch, copy=shutil.copy2)
    assert _personas(data) == (["kite", "moth"] if in_use == "restored" else ["moth"])
    told = json.loads(tracker("status", "--json", ok=False).stdout)["interrupted_restore"]
    assert told["database_in_use"] == in_use
    assert told["returning_personas"] == (["kite"] if in_use == "restored" else [])
    code, said = _said(tracker)
    assert code == (3 if in_use == "restored" else 0), said


def test_a_record_with_nothing_left_to_say_is_removed(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _restore_killed_at(tracker, merged_since, isolated_env, "restore:replaced", monkeypatch)
    tracker("persona", "merge", "kite", "moth")  # gone again
    [kept] = data.glob("tracker.db.old-*")
    kept.unlink()  # and what only the replaced database held, with it
    code, said = _said(tracker)
    assert code == 0 and "interrupted after" not in said and "kite" not in said, said
    assert not (data / ".tracker.db.restore-record").exists()  # it named kite


def test_a_scrub_takes_the_persona_out_of_the_record(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _restore_killed_at(tracker, merged_since, isolated_env, "restore:replaced", monkeypatch)
    tracker("purge", "plan", "kite")
    tracker("purge", "mark", "post:*", "done", "--persona", "kite")
    tracker("purge", "mark", "*", "done", "--persona", "kite")
    tracker.runner.invoke(cli, ["purge", "scrub", "kite"], input="kite\n")
    record = (data / ".tracker.db.restore-record").read_text()
    assert "kite" not in record and LATE_URL in record  # what only the replaced database held is still told
    code, said = _said(tracker)
    assert code == 3 and "came back" not in said and f"1 post: #4 {LATE_URL}" in said


@pytest.mark.slow
def test_killed_with_sigkill_after_the_swap(tracker: Tracker, merged_since: Path, isolated_env: Path) -> None:
    """The reviewer's case: `kill -9` between the rename and the warnings."""
    assert kill_at(["restore", str(merged_since), "--force"], isolated_env, "restore:replaced")
    code, said = _said(tracker)
    assert code == 3 and "the restored database is in use" in said and "persona 'kite' (2 posts) came back" in said


async def test_the_dashboard_banner_points_to_status_while_a_killed_restore_has_warnings_unsaid(
    tracker: Tracker, merged_since: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fixtures.tui import make_app, wait_for
    from textual.widgets import Static

    from tracker.support.textsafe import cell_width
    from tracker.tui.screens.dashboard import DashboardScreen

    _restore_killed_at(tracker, merged_since, isolated_env, "restore:replaced", monkeypatch)
    tracker("complaint", "add", "--post", "1", "--received", "2026-11-28T09:00:00+09:00", "--deadline", "2099-01-01")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        banner = app.screen.query_one("#banner", Static)
        text = str(banner.render())
        assert text.startswith("1 complaint unanswered") or text.startswith("1 unanswered"), text
        assert text == "1 complaint unanswered, none overdue · ⚠ restore interrupted: tracker status", text
        assert cell_width(text) <= 78 and banner.region.height == 1 and banner.has_class("pending")
