"""An archive opened to other users (`chmod -R go+rX` on the data folder) is made private again, and said."""

from __future__ import annotations

import hashlib
import stat
import subprocess
from pathlib import Path

from fixtures.common import Tracker
from fixtures.drawings import drawing


def _loose(root: Path) -> list[str]:
    """What under `root` lets group or others in, as paths relative to it."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if stat.S_IMODE(p.stat().st_mode) & 0o077)


def _logged(tracker: Tracker, tmp_path: Path, count: int) -> None:
    for number in range(1, count + 1):
        image = tmp_path / f"p{number}.png"
        drawing(number).save(image)
        tracker("log", image, "--url", f"https://x.com/kite/status/{number}", "--persona", "kite")


def test_chmod_on_the_data_folder_is_taken_back_inside_the_archive_too(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """Every file and folder of the archive is 0600/0700 again after the next command, not only the top folders
    (the archive's files stayed 0644 in 0755 folders), and the owner is told once."""
    _logged(tracker, tmp_path, 3)
    subprocess.run(["chmod", "-R", "go+rX", str(isolated_env)], check=True)
    assert len(_loose(isolated_env / "archive")) == 6  # 3 folders, 3 pictures

    result = tracker("posts")
    assert _loose(isolated_env / "archive") == []
    assert stat.S_IMODE((isolated_env / "tracker.db").stat().st_mode) == 0o600
    files = [p for p in (isolated_env / "archive").rglob("*") if p.is_file()]
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    assert stat.S_IMODE((isolated_env / ".archive.lock").stat().st_mode) == 0o600
    warning = [line for line in result.stderr.splitlines() if "open to other users" in line]
    assert len(warning) == 1 and "made private again (8 files and folders" in warning[0]
    assert "open to other users" not in tracker("posts").stderr  # said once: nothing was loose any more


def test_status_finds_an_archive_whose_top_folders_were_tightened_alone(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """What an earlier tracker left (the data folder and the archive made 0700 again, what they hold still open):
    a plain command only looks at the two top folders, `tracker status` looks inside and makes it private."""
    _logged(tracker, tmp_path, 2)
    subprocess.run(["chmod", "-R", "go+rX", str(isolated_env / "archive")], check=True)
    (isolated_env / "archive").chmod(0o700)
    tracker("posts")
    assert len(_loose(isolated_env / "archive")) == 4  # cheap: no walk when the top folders are private

    result = tracker("status", ok=False)
    assert _loose(isolated_env / "archive") == []
    assert "made private again (4 files and folders" in result.stderr


def test_a_file_stored_again_is_made_private_as_it_is_touched(tmp_path: Path) -> None:
    from tracker.archive.store import store

    root = tmp_path / "archive"
    data = b"\x89PNG picture bytes"
    sha = hashlib.sha256(data).hexdigest()
    rel, created = store(root, sha, "PNG", data)
    (root / rel).chmod(0o644)
    assert store(root, sha, "PNG", data) == (rel, False)
    assert stat.S_IMODE((root / rel).stat().st_mode) == 0o600


def test_an_archive_linked_to_another_disk_is_looked_at_where_it_points(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """The archive a link to a folder on another disk (the pictures take room): the folder it points to is looked at
    (the link's own mode says nothing), and made private again."""
    _logged(tracker, tmp_path, 1)
    disk = tmp_path / "disk"
    disk.mkdir()
    (isolated_env / "archive").rename(disk / "archive")
    (isolated_env / "archive").symlink_to(disk / "archive")
    subprocess.run(["chmod", "-R", "go+rX", str(disk)], check=True)
    assert "made private again" in tracker("posts").stderr
    assert _loose(disk / "archive") == []


def test_the_copies_of_the_database_tracker_wrote_are_made_private_again_and_the_owners_files_are_not(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """A restore's `tracker.db.old-*`, a migration's `.bak` and a `tracker backup` saved in the data folder each hold
    every persona: after `chmod -R go+rX` on the data folder they stayed 0644 while the archive was made private
    again. Now they are too, and named; a file of the owner's beside them (notes, a tar of their own) is left as is."""
    _logged(tracker, tmp_path, 1)
    backup = isolated_env / "tracker-backup-1.tar"
    tracker("backup", backup)
    tracker("restore", "--force", backup)
    (old,) = isolated_env.glob("tracker.db.old-*")
    migration = isolated_env / "tracker.db.before-0005.20260101T000000.bak"
    migration.write_bytes(old.read_bytes())
    notes = isolated_env / "notes.txt"
    notes.write_text("mine")
    photos = isolated_env / "photos.tar"
    photos.write_bytes(b"not a backup")
    subprocess.run(["chmod", "-R", "go+rX", str(isolated_env)], check=True)

    result = tracker("posts")
    for copy in (backup, old, migration):
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600, copy.name
    for archived in isolated_env.glob("archive.old-*"):
        assert _loose(archived) == [] and stat.S_IMODE(archived.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in (notes, photos)} == {0o644}
    (warning,) = [line for line in result.stderr.splitlines() if "open to other users" in line]
    assert "and 3 copies of the database tracker made (" in warning and old.name in warning, warning
    assert "tracker-backup-1.tar" in warning and migration.name in warning

    old.chmod(0o644)  # a copy loosened alone, the folders private: `tracker status` (a login script's) finds it
    assert "open to other users" not in tracker("posts").stderr
    said = tracker("status", ok=False).stderr
    assert f"1 copy of the database tracker made ({old.name}) was open to other users" in said, said
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
