"""Copies of a persona the purge used to miss: what a killed restore left beside the database, and the
reply letters the TUI saved in `replies-out` (complainant's name, the persona's signature, post URLs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker, query
from fixtures.drawings import drawing
from fixtures.killpoints import kill_at
from fixtures.purgeworld import OTHER, TARGET, build_world, mark_everything

from tracker.cli import cli


def _plan_item(tracker: Tracker, item: str, *args: str) -> dict[str, object]:
    plan = json.loads(tracker(*args, "purge", "plan", TARGET, "--format", "json").stdout)
    return next(i for i in plan["items"] if i["id"] == item)


def _scrub(tracker: Tracker, *extra: str) -> None:
    result = tracker.runner.invoke(cli, ["purge", "scrub", TARGET, *extra], input=TARGET + "\n")
    assert result.exit_code == 0, result.output


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_what_a_killed_restore_left_is_listed_and_cleared_by_the_next_writing_command(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    build_world(tracker, tmp_path / "images")
    tracker("backup", tmp_path / "b.tar")
    # Killed while copying the old database aside: its staging folder (a whole copy of the backup,
    # with the persona's rows and images) and a half-made .old-* copy stay in the data folder.
    assert kill_at(["restore", str(tmp_path / "b.tar"), "--force"], isolated_env, "restore:copied#1")
    staging = list(isolated_env.glob(".tracker.db.restoring-*"))
    partial = list(isolated_env.glob("tracker.db.old-*.partial"))
    assert staging and partial

    listed = _plan_item(tracker, "local:backups")["files"]
    assert isinstance(listed, list)
    for path in (*staging, *partial):
        assert str(path) in listed, (path, listed)

    # A writing command (no restore is running) clears them; the data is untouched.
    drawing(7).save(tmp_path / "new.png")
    tracker("log", tmp_path / "new.png", "--url", "https://www.pixiv.net/artworks/123456789", "--persona", OTHER)
    assert not list(isolated_env.glob(".tracker.db.restoring-*"))
    assert not list(isolated_env.glob("*.partial"))
    assert len(tracker.json("posts", "--persona", TARGET)) == 6
    tracker("backup", tmp_path / "again.tar")


def _complaint_of(data_dir: Path, persona: str) -> int:
    rows = query(
        data_dir,
        "select complaint.id from complaint join persona on persona.id = complaint.persona_id "
        "where persona.name = :name",
        name=persona,
    )
    assert len(rows) == 1
    return int(rows[0][0])


def _letters(data_dir: Path) -> tuple[Path, Path]:
    """A reply letter (as the TUI's F2 Copy writes them) to each persona's complainant."""
    folder = data_dir / "replies-out"
    folder.mkdir(mode=0o700)
    theirs = folder / f"complaint-{_complaint_of(data_dir, TARGET)}-en.txt"
    other = folder / f"complaint-{_complaint_of(data_dir, OTHER)}-ja.txt"
    theirs.write_text(f"Dear Owner,\n...\n{TARGET}\n", encoding="utf-8")
    other.write_text(f"{OTHER}\n", encoding="utf-8")
    return theirs, other


@pytest.mark.db
def test_the_plan_lists_the_persona_reply_letters_and_the_scrub_deletes_them(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    build_world(tracker, tmp_path / "images")
    theirs, other = _letters(isolated_env)
    files = _plan_item(tracker, "local:archive")["files"]
    assert files == [str(theirs)]

    mark_everything(tracker)
    _scrub(tracker, "--dry-run")
    assert theirs.exists()
    _scrub(tracker)
    assert not theirs.exists(), "the scrub left a reply letter naming the persona"
    assert other.exists(), "the scrub deleted another persona's letter"


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_scrub_killed_after_its_commit_deletes_the_letters_when_run_again(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    build_world(tracker, tmp_path / "images")
    theirs, other = _letters(isolated_env)
    mark_everything(tracker)
    assert kill_at(["purge", "scrub", TARGET], isolated_env, "scrub:after_commit", stdin=TARGET + "\n")
    _scrub(tracker)
    assert not theirs.exists() and other.exists()


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_scrub_killed_after_its_commit_is_never_forgotten_nor_backed_up(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """Killed after the rows went, the persona's pictures and letters stay on disk with nothing naming them:
    `status` says so (exit 3), `backup` will not pack them, `purge status` of the name says how to finish, and
    `purge scrub --finish` (no name needed) deletes them."""
    build_world(tracker, tmp_path / "images")
    theirs, other = _letters(isolated_env)
    mark_everything(tracker)
    archived = sorted(p for p in (isolated_env / "archive").rglob("*") if p.is_file())
    assert kill_at(["purge", "scrub", TARGET], isolated_env, "scrub:after_commit", stdin=TARGET + "\n")
    status = tracker("status", ok=False)
    assert status.exit_code == 3, status.stdout
    assert "A persona scrub was interrupted" in status.stdout and "tracker purge scrub --finish" in status.stdout
    assert json.loads(tracker("status", "--json", ok=False).stdout)["unfinished_scrub_files"] >= 1
    backup = tracker("backup", tmp_path / "b.tar", ok=False)
    assert backup.exit_code == 2 and "scrub was interrupted" in backup.stderr and not (tmp_path / "b.tar").exists()
    left = tracker("purge", "status", TARGET, ok=False)
    assert left.exit_code != 0 and "tracker purge scrub --finish" in left.stderr
    assert tracker("purge", "scrub", ok=False).exit_code == 2, "a PERSONA or --finish"
    assert tracker("purge", "scrub", "  ", ok=False).exit_code == 2, "a blank name is no persona"
    finished = tracker("purge", "scrub", "--finish")
    assert "Finished the clean-up an interrupted scrub left" in finished.stdout
    assert not theirs.exists() and other.exists()
    assert len([p for p in archived if p.exists()]) < len(archived), "the persona's own pictures are gone"
    assert "scrub was interrupted" not in tracker("status", ok=False).stdout
    tracker("backup", tmp_path / "b.tar")
    index = sorted(isolated_env.glob("tracker.db.hashindex*"))
    again = tracker("purge", "scrub", "--finish")
    assert "No interrupted scrub to finish: nothing was changed." in again.stdout
    assert sorted(isolated_env.glob("tracker.db.hashindex*")) == index, "nothing deleted, no VACUUM"


def test_a_backup_saved_in_the_data_folder_is_on_the_checklist(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """`tracker backup data/mine.tar` holds every persona: the local:backups item lists it (a .tar that is not a
    tracker backup is not), and `complaint reply --out` letters are named among the copies made elsewhere."""
    build_world(tracker, tmp_path / "images")
    tracker("backup", isolated_env / "mine.tar")
    (isolated_env / "photos.tar").write_bytes(b"not a tracker backup" * 40)
    item = _plan_item(tracker, "local:backups")
    assert item["files"] == [str(isolated_env / "mine.tar")]
    assert "--out FILE" in " ".join(_plan_item(tracker, "local:elsewhere")["steps"])


def test_the_scrub_warns_of_posts_never_verified_gone_and_of_waiting_periods(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """After the scrub no post address is left to check and no waiting period is remembered: the confirmation
    says so first (and typing another name still changes nothing)."""
    build_world(tracker, tmp_path / "images")
    mark_everything(tracker)
    result = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input="not-the-name\n")
    assert result.exit_code != 0
    assert "not verified gone" in result.output and "never checked" in result.output, result.output
    assert "tracker check" in result.output
    if "deletion final after" in result.output:
        assert "write it down" in result.output
