"""`tracker restore --force` names on stderr everything only the replaced database held, not just new posts.

Changes made after the backup to records the backup has too (a decision, a confirmed take-down, a
post's status, a persona's name, a corrected complaint), images archived with no post and recorded
input images all drop out of view with the replaced database: each is named, or counted past a few.
The other way round, a persona only the backup has (scrubbed since) comes back: it is named too.
"""

from __future__ import annotations

from pathlib import Path

from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.purgeworld import OTHER, TARGET, TARGET_COMPLAINANT, build_world, mark_everything

from tracker.cli import cli


def _log(tracker: Tracker, tmp_path: Path, count: int, persona: str = "alice") -> None:
    for n in range(count):
        path = tmp_path / f"p{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", f"https://www.pixiv.net/artworks/{700000000 + n}", "--persona", persona)


def _warning_lines(stderr: str) -> list[str]:
    return [line.removeprefix("  - ") for line in stderr.splitlines() if line.startswith("  - ")]


def test_changes_to_records_the_backup_has_are_named(tracker: Tracker, tmp_path: Path) -> None:
    _log(tracker, tmp_path, 4)
    tracker("complaint", "add", "--post", "1", "--name", "K")
    tracker("complaint", "add", "--post", "2", "--name", "L")
    tracker("backup", tmp_path / "b.tar")
    tracker("complaint", "decide", "2", "--action", "take_down")
    tracker("complaint", "reply", "2", "--answered", "--out", tmp_path / "reply.txt")
    tracker("complaint", "confirm", "2")
    tracker("post", "set", "4", "--status", "deleted")
    tracker("post", "set", "3", "--title", "Evening")
    tracker("complaint", "set", "1", "--name", "Kato")
    tracker("persona", "rename", "alice", "alicia")
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert "the replaced database held what this backup lacks" in done.stderr
    assert _warning_lines(done.stderr) == [
        "13 changes made after the backup: complaint #2 (decided, answered, take-down confirmed), "
        "post #2 (status taken_down, persona changed), post #4 (status deleted, persona changed), "
        "post #3 (title changed, persona changed), complaint #1 (complainant name changed) and 2 more"
    ]


def test_a_renamed_persona_is_named_as_the_backup_knows_it(tracker: Tracker, tmp_path: Path) -> None:
    _log(tracker, tmp_path, 1)
    tracker("backup", tmp_path / "b.tar")
    tracker("persona", "rename", "alice", "alicia")
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert _warning_lines(done.stderr) == [  # the post's history says whose it became, as the persona's does
        "2 changes made after the backup: post #1 (persona changed), persona alice (renamed alicia)"
    ]


def test_images_with_no_post_and_input_images_are_named(tracker: Tracker, tmp_path: Path) -> None:
    generated = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=5))
    tracker("log", generated, "--url", "https://www.pixiv.net/artworks/800000001", "--persona", "alice")
    tracker("backup", tmp_path / "b.tar")
    folder = tmp_path / "drafts"
    folder.mkdir()
    for n in range(2):
        drawing(20 + n).save(folder / f"draft{n}.png")
    tracker("import", folder, "--persona", "alice")
    drawing(30).save(tmp_path / "pose.png")
    tracker("input", "add", "1", tmp_path / "pose.png", "--kind", "own_asset")
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert _warning_lines(done.stderr) == [
        "2 archived images with no post: #2 draft0.png, #3 draft1.png",
        "1 input image recorded: pose.png for post #1",
    ]


def test_only_events_newer_than_the_backups_newest_are_named(tracker: Tracker, tmp_path: Path) -> None:
    """Both databases have events: restoring the newer backup over the older state names nothing."""
    _log(tracker, tmp_path, 2)
    tracker("complaint", "add", "--post", "1", "--name", "K")
    tracker("backup", tmp_path / "old.tar")
    tracker("complaint", "decide", "1", "--action", "take_down")
    tracker("post", "set", "2", "--status", "deleted")
    tracker("backup", tmp_path / "new.tar")
    older = tracker("restore", tmp_path / "old.tar", "--force")
    assert _warning_lines(older.stderr) == [
        "3 changes made after the backup: complaint #1 (decided), post #2 (status deleted)"
    ]
    newer = tracker("restore", tmp_path / "new.tar", "--force")
    assert "warning" not in newer.stderr


def test_a_persona_scrubbed_since_the_backup_is_named_as_coming_back(tracker: Tracker, tmp_path: Path) -> None:
    """One renamed since the backup is the same persona: not called absent (its rename is a change left behind)."""
    build_world(tracker, tmp_path / "images")
    tracker("backup", tmp_path / "b.tar")
    mark_everything(tracker)
    scrubbed = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input=TARGET + "\n")
    assert scrubbed.exit_code == 0, scrubbed.output
    tracker("persona", "rename", OTHER, "lantern")
    tracker("persona", "rename", "lantern", "lamp")
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert [line for line in done.stderr.splitlines() if "comes back" in line] == [
        f"tracker: warning: persona '{TARGET}' (6 posts, 1 complaint) is not in the current database: it comes "
        f"back; if it was scrubbed, burn it down again: tracker purge plan {TARGET} (tracker status and its "
        f"checklist say so until you scrub it; if you meant to bring it back: tracker persona keep {TARGET})"
    ]
    assert f"persona {OTHER} (renamed lantern, renamed lamp)" in done.stderr
    assert TARGET_COMPLAINANT in tracker("complaint", "show", "1").stdout, "what the warning was about"


def test_a_persona_created_since_the_backup_is_named_by_its_name(tracker: Tracker, tmp_path: Path) -> None:
    _log(tracker, tmp_path, 1)
    tracker("backup", tmp_path / "b.tar")
    drawing(9).save(tmp_path / "fox.png")
    url = "https://x.com/foxy/status/1800000000000000005"
    tracker("log", tmp_path / "fox.png", "--url", url, "--persona", "fox", "--new-persona")
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert _warning_lines(done.stderr) == [
        f"1 post: #2 {url}",
        "2 changes made after the backup: persona fox (created, account added)",
    ]
