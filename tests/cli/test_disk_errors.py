"""A full disk or a file in the way is said in one line, naming the path, and nothing half-written is kept."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import write_png

import tracker.archive.store as store

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/81"


def test_a_full_disk_while_logging_is_one_line_and_logs_nothing(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(root: Path, rel: str, data: bytes, durable: bool) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(root / rel))

    written = store._write
    monkeypatch.setattr(store, "_write", full)
    result = tracker("log", write_png(tmp_path / "a.png", {}), "--url", URL, "--persona", "m", ok=False)
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert result.stderr.startswith("tracker: error: the disk is full (") and "the command stopped" in result.stderr
    assert result.stderr.endswith("free some space, then run it again\n"), result.stderr  # what to do about it
    assert len(result.stderr.strip().splitlines()) == 1
    monkeypatch.setattr(store, "_write", written)
    _nothing_logged(tracker)


def test_a_file_where_the_archive_folder_goes_is_named(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "archive").write_bytes(b"")  # a file where tracker keeps its archive folder
    result = tracker("log", write_png(tmp_path / "a.png", {}), "--url", URL, "--persona", "m", ok=False)
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert "a file is in the way" in result.stderr or "a file stands where a folder should be" in result.stderr
    assert str(isolated_env / "archive") in result.stderr
    (isolated_env / "archive").unlink()
    _nothing_logged(tracker)


def _nothing_logged(tracker: Tracker) -> None:
    """Nothing the failed first command did is recorded (a new SQLite database it made is gone with it)."""
    listed = tracker("posts", "--json", ok=False)
    assert listed.exit_code == 0 and listed.stdout.strip() == "[]" or "no database at" in listed.stderr


def test_the_file_in_the_way_is_the_one_named(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    """A file where one of the archive's sub-folders goes: the error names that file, not the path beneath it."""
    image = write_png(tmp_path / "a.png", {})
    shard = hashlib.sha256(image.read_bytes()).hexdigest()[:2]
    (isolated_env / "archive").mkdir(parents=True)
    (isolated_env / "archive" / shard).write_bytes(b"")
    result = tracker("log", image, "--url", URL, "--persona", "m", ok=False)
    assert result.exit_code == 1 and f"({isolated_env / 'archive' / shard})" in result.stderr, result.stderr
