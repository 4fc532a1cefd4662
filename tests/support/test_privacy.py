"""Nothing leaves the machine, and what stays on it is private."""

from __future__ import annotations

import socket
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
