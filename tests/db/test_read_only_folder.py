"""A data folder that cannot be written (a write-protected stick, a mounted snapshot) can still be read.

Root writes anywhere, so the folder is made read-only twice: its mode (which holds for everyone
else) and `os.access`, which is what tracker asks and what a read-only mount answers even for root.
A WAL database opened normally creates its `-shm` and `-wal` files: that nothing appears in the
folder is what shows that it was opened read-only. The same was checked by hand on a real read-only
tmpfs mount.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

URL = "https://www.pixiv.net/artworks/{}"


def _files(data: Path) -> dict[str, str]:
    """The folder's files and their sha256, but the saved similarity index: a cache `match` goes without
    where it cannot write it (root can, here)."""
    return {
        str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in data.rglob("*")
        if p.is_file() and ".hashindex" not in p.name
    }


@pytest.fixture
def read_only(tracker: Tracker, isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Two logged posts (a.png is post 1), then the data folder made read-only."""
    for number in (1, 2):
        drawing(number).save(tmp_path / f"{'ab'[number - 1]}.png")
        tracker("log", tmp_path / f"{'ab'[number - 1]}.png", "--url", URL.format(number), "--persona", "moth")
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(path)).absolute() == isolated_env.absolute():
            return False
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    isolated_env.chmod(stat.S_IRUSR | stat.S_IXUSR)
    yield isolated_env
    isolated_env.chmod(stat.S_IRWXU)


def test_commands_that_only_read_work_and_change_nothing(read_only: Path, tracker: Tracker, tmp_path: Path) -> None:
    before = _files(read_only)
    assert [post["id"] for post in tracker.json("posts")] == [2, 1]
    assert "no unanswered complaints" in tracker("status").stdout
    assert URL.format(1) in tracker("show", "1").stdout
    assert "identical file" in tracker("match", tmp_path / "a.png").stdout
    assert "NO_METADATA" in tracker("inspect", tmp_path / "a.png").stdout
    assert "moth" in tracker("personas").stdout
    assert "Backed up the database and 2 archived files" in tracker("backup", tmp_path / "b.tar").stdout
    assert _files(read_only) == before  # no -shm, no -wal, nothing else


def test_commands_that_write_say_the_folder_is_read_only(read_only: Path, tracker: Tracker, tmp_path: Path) -> None:
    before = _files(read_only)
    tracker("backup", tmp_path / "b.tar")
    for command in (
        ("post", "set", "1", "--title", "x"),
        ("log", tmp_path / "a.png", "--url", URL.format(3)),
        ("restore", tmp_path / "b.tar", "--force"),
    ):
        refused = tracker(*command, ok=False)
        assert refused.exit_code != 0
        assert refused.stderr == (
            f"tracker: error: the data folder {read_only} is read-only: this command changes what is recorded "
            "and cannot run there (commands that only read, and backup, can); copy the folder somewhere writable "
            "to change it\n"
        )
    assert _files(read_only) == before


def _changes_in_the_wal(data: Path, keep_shm: bool) -> sqlite3.Connection:
    """A title changed and left in tracker.db-wal (the connection kept open so it is not checkpointed)."""
    data.chmod(stat.S_IRWXU)
    conn = sqlite3.connect(data / "tracker.db")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE post SET title = 'only in the wal' WHERE id = 1")
    conn.commit()
    if not keep_shm:
        (data / "tracker.db-shm").unlink()
    data.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return conn


def test_changes_still_in_the_wal_are_read_through_its_shm(read_only: Path, tracker: Tracker, tmp_path: Path) -> None:
    conn = _changes_in_the_wal(read_only, keep_shm=True)
    try:
        assert "only in the wal" in tracker("posts").stdout  # read through the -shm beside it
        tracker("backup", tmp_path / "b.tar")
    finally:
        conn.close()
    with tarfile.open(tmp_path / "b.tar") as tar:
        (tmp_path / "restored.db").write_bytes(tar.extractfile("tracker.db").read())  # type: ignore[union-attr]
    backed_up = sqlite3.connect(tmp_path / "restored.db")
    try:
        assert backed_up.execute("SELECT title FROM post WHERE id = 1").fetchone() == ("only in the wal",)
    finally:
        backed_up.close()


def test_a_wal_that_cannot_be_read_there_is_never_skipped(read_only: Path, tracker: Tracker, tmp_path: Path) -> None:
    conn = _changes_in_the_wal(read_only, keep_shm=False)
    try:
        for command in (("posts",), ("backup", tmp_path / "b.tar")):
            refused = tracker(*command, ok=False)
            assert refused.exit_code != 0
            assert "tracker.db-wal, which SQLite cannot read there without its tracker.db-shm file" in refused.stderr
        assert not (tmp_path / "b.tar").exists()
    finally:
        conn.close()
