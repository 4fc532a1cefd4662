"""Nothing leaves the machine, and what stays on it is private."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing


def test_the_suite_runs_with_the_network_blocked() -> None:
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_database_and_archive_are_private(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    path = tmp_path / "p.png"
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/800000001", "--persona", "moth")
    tracker("complaint", "add", "--image", path, "--name", "K")
    assert stat.S_IMODE((isolated_env / "tracker.db").stat().st_mode) == 0o600
    folders = [isolated_env / "archive", *(p for p in (isolated_env / "archive").rglob("*") if p.is_dir())]
    assert folders and all(stat.S_IMODE(f.stat().st_mode) == 0o700 for f in folders)
    files = [p for p in (isolated_env / "archive").rglob("*") if p.is_file()]
    assert files and all(stat.S_IMODE(f.stat().st_mode) & 0o077 == 0 for f in files)


def test_a_private_folder_on_a_read_only_disk_is_still_read(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a read-only disk `chmod` fails even to set the mode a folder has: a folder and a database that are
    private already are not touched, so listing commands still run (they gave 'internal error')."""
    import errno
    import os

    image = tmp_path / "a.png"
    drawing(1).save(image)
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/1", "--persona", "moth")

    def read_only(path: object, mode: int) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(os, "chmod", read_only)
    assert [p["url"] for p in tracker.json("posts")] == ["https://www.pixiv.net/artworks/1"]
    assert "Traceback" not in tracker("show", "1").output


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in (root, *root.rglob("*"))}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [("posts",), ("status",), ("log", "IMAGE", "--url", "https://x.com/a/status/1")])
def test_a_wrong_db_leaves_the_owners_files_and_folders_as_they_were(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, command: tuple[str, ...]
) -> None:
    """A folder, a text file or a picture given as --db by mistake is not tracker's: nothing there is made 0700
    or 0600 (they were), and no archive or lock is made beside it; the error says what is wrong in plain words."""
    mine = tmp_path / "mine"
    (mine / "p2" / "sub").mkdir(parents=True)
    (mine / "notes.txt").write_text("x\n")
    drawing(2).save(mine / "picture.png")
    for path in (mine, *mine.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    before = _modes(mine)
    args = [str(tmp_path / "a.png") if a == "IMAGE" else a for a in command]
    drawing(1).save(tmp_path / "a.png")
    said = {}
    for wrong in (mine / "p2" / "sub", mine / "notes.txt", mine / "picture.png"):
        result = tracker("--db", wrong, *args, ok=False)
        assert result.exit_code == (2 if command[0] == "status" else 1)
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("tracker: error: cannot open")
        said[wrong.name] = result.stderr
    assert _modes(mine) == before
    assert "it is a folder, not a database file" in said["sub"]
    assert "is not a SQLite database" in said["notes.txt"] and "is not a SQLite database" in said["picture.png"]
    assert not said["notes.txt"].startswith("tracker: error: cannot open database: (sqlite3")
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for device in (Path(os.devnull), fifo):  # SQLite said 'disk I/O error' of them
        result = tracker("--db", device, *args, ok=False)
        assert result.exit_code == (2 if command[0] == "status" else 1)
        assert result.stderr == (
            f"tracker: error: cannot open database {device}: it is a device or a named pipe (FIFO), not a database "
            "file; give a database file's path (or a folder as --data-dir)\n"
        )


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [("status",), ("posts",), ("log", "IMAGE", "--url", "https://x.com/a/status/1")])
def test_another_programs_sqlite_database_given_as_db_is_left_byte_for_byte(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, command: tuple[str, ...]
) -> None:
    """Another program's SQLite file given as --db by mistake is refused in one line, and left as it was: not
    switched to WAL journal mode (which rewrites its header, and changes how that program opens it)."""
    other = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE note (body TEXT)")
    conn.execute("INSERT INTO note VALUES ('buy milk')")
    conn.commit()
    conn.close()
    other.chmod(0o644)
    before = other.read_bytes()
    drawing(1).save(tmp_path / "a.png")
    args = [str(tmp_path / "a.png") if a == "IMAGE" else a for a in command]
    result = tracker("--db", f"sqlite:///{other}", *args, ok=False)
    assert result.exit_code == (2 if command[0] == "status" else 1)
    assert len(result.stderr.splitlines()) == 1 and "tables that are not tracker's" in result.stderr
    assert str(other) in result.stderr
    assert other.read_bytes() == before
    assert stat.S_IMODE(other.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "notes.sqlite"]
    conn = sqlite3.connect(other)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


@pytest.mark.sqlite_only
def test_a_new_database_in_a_folder_of_the_owners_leaves_that_folder_as_it_was(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """`--db ./tracker.db` in a folder of the owner's: the database and the archive tracker makes are private,
    the folder that was there is not tightened (only the data folder, tracker's own, is)."""
    folder = tmp_path / "work"
    folder.mkdir()
    folder.chmod(0o755)
    image = tmp_path / "a.png"
    drawing(1).save(image)
    tracker("--db", folder / "t.db", "log", image, "--url", "https://x.com/a/status/1", "--persona", "kite")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / "t.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "archive").stat().st_mode) == 0o700
    tracker("--db", folder / "t.db", "posts")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


@pytest.mark.sqlite_only
def test_tracker_s_own_database_is_made_private_again_when_opened(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """A database of tracker's that became readable by others (copied back from a stick) is tightened when a
    command opens it, with its data folder, as before."""
    image = tmp_path / "a.png"
    drawing(1).save(image)
    tracker("log", image, "--url", "https://x.com/a/status/1", "--persona", "kite")
    (isolated_env / "tracker.db").chmod(0o644)
    isolated_env.chmod(0o755)
    tracker("posts")
    assert stat.S_IMODE((isolated_env / "tracker.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(isolated_env.stat().st_mode) == 0o700


def test_a_file_placed_new_never_replaces_one_there_even_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`place_new` (a backup's last step) keeps what is already under the name, also on a FAT stick (no hard
    links), and leaves the temporary file for its caller to remove."""
    import errno
    import os

    from tracker.support.files import place_new

    for links in (True, False):
        if not links:

            def no_links(*args: object, **kwargs: object) -> None:
                raise OSError(errno.EPERM, "Operation not permitted")

            monkeypatch.setattr(os, "link", no_links)
        there, temporary = tmp_path / f"b{links}.tar", tmp_path / f".b{links}.tar.partial"
        there.write_bytes(b"first")
        temporary.write_bytes(b"second")
        with pytest.raises(FileExistsError):
            place_new(str(temporary), there)
        assert there.read_bytes() == b"first" and temporary.exists()
        there.unlink()
        place_new(str(temporary), there)
        assert there.read_bytes() == b"second" and not temporary.exists()


@pytest.mark.sqlite_only
def test_restore_leaves_the_owners_folder_of_a_db_or_of_a_linked_database_as_it_was(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """`restore --force` with `--db` in a folder of the owner's, or with the data folder's tracker.db a link to a
    file in one (the database on another disk), made that folder 0700: only tracker's data folder is tightened."""
    image = tmp_path / "a.png"
    drawing(1).save(image)
    tracker("log", image, "--url", "https://x.com/a/status/1", "--persona", "kite")
    backup = tmp_path / "b.tar"
    tracker("backup", backup)
    work = tmp_path / "work"
    work.mkdir()
    work.chmod(0o755)
    tracker("--db", work / "t.db", "restore", backup)
    tracker("--db", work / "t.db", "restore", "--force", backup)
    assert stat.S_IMODE(work.stat().st_mode) == 0o755

    disk = tmp_path / "disk"
    disk.mkdir()
    disk.chmod(0o755)
    (isolated_env / "tracker.db").rename(disk / "tracker.db")
    (isolated_env / "tracker.db").symlink_to(disk / "tracker.db")
    restored = tracker("restore", "--force", backup)
    assert restored.stdout.startswith("Restored") and str(disk / "tracker.db.old-") in restored.stdout
    assert stat.S_IMODE(disk.stat().st_mode) == 0o755
    assert stat.S_IMODE((disk / "tracker.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(isolated_env.stat().st_mode) == 0o700
