"""A disk that fills up under the database or the archive: one line that says so, and nothing half-written.

The disk is filled for SQLite alone (`PRAGMA max_page_count`: the database may not grow past the pages it holds),
and for the archive by an archive write that raises ENOSPC, so no test needs a small file system of its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import A1111_INFOTEXT, pixels, write_png
from sqlalchemy import Engine, event

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def full_disk(tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database with one post, on a disk with no room left for it to grow."""
    first = write_png(tmp_path / "first.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=21))
    tracker("log", first, "--url", "https://www.pixiv.net/artworks/100", "--persona", "moth")
    from tracker.db import engine as engine_module

    real_setup = engine_module._sqlite_setup

    def setup(engine: Engine, *args: Any, **kwargs: Any) -> None:
        real_setup(engine, *args, **kwargs)

        @event.listens_for(engine, "connect")
        def _no_room(dbapi_connection: Any, connection_record: Any) -> None:
            cursor = dbapi_connection.cursor()
            pages = cursor.execute("PRAGMA page_count").fetchone()[0]
            cursor.execute(f"PRAGMA max_page_count = {pages}")
            cursor.close()

    monkeypatch.setattr(engine_module, "_sqlite_setup", setup)


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("tracker: error: "), stderr
    return lines[0]


def test_a_full_disk_is_named_as_such_not_as_a_busy_database(
    full_disk: None, tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    folder = tmp_path / "posted"
    folder.mkdir()
    for n in range(3):
        write_png(folder / f"{200 + n}.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=30 + n))
    for command in (
        ["log", folder / "200.png", "--url", "https://www.pixiv.net/artworks/200", "--persona", "moth"],
        ["import", folder, "--persona", "moth", "--url-template", "https://www.pixiv.net/artworks/{id}"],
    ):
        result = tracker(*command, ok=False)
        assert result.exit_code == 1, result.output
        line = _one_error_line(result.stderr)
        assert "disk is full" in line and "free some space" in line, line
        assert "busy" not in line and "try again" not in line, line
    posts = tracker.json("posts")
    assert [post["url"] for post in posts] == ["https://www.pixiv.net/artworks/100"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_import_that_fills_the_disk_stops_with_one_line_and_keeps_what_it_saved(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """The archive's disk fills after two of six images: one line says so (not one "cannot archive" per file left),
    the two saved stay logged, and the same command once there is room imports the rest. Run in this process, and
    in a pool of workers (forked: the archive write that fails is theirs too)."""
    import errno
    import hashlib

    from tracker.archive import store as archive

    first = write_png(tmp_path / "first.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=21))
    tracker("log", first, "--url", "https://www.pixiv.net/artworks/100", "--persona", "moth")
    folder = tmp_path / "posted"
    folder.mkdir()
    paths = [
        write_png(folder / f"{300 + n}.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=40 + n))
        for n in range(6)
    ]
    no_room = {hashlib.sha256(path.read_bytes()).hexdigest() for path in paths[2:]}
    real_store = archive.store

    def store(root: Path, sha256: str, *args: Any, **kwargs: Any) -> tuple[str, bool]:
        if sha256 in no_room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_store(root, sha256, *args, **kwargs)

    monkeypatch.setattr(archive, "store", store)
    command = ["import", folder, "--persona", "moth", "--url-template", "https://www.pixiv.net/artworks/{id}"]
    result = tracker(*command, "--workers", workers, ok=False)
    assert result.exit_code == 1, result.output
    line = _one_error_line(result.stderr)
    assert "the disk is full" in line and "No space left on device" in line and "free some space" in line, line
    assert "stopped with 2 of 6 files saved" in line, line
    assert sorted(post["url"] for post in tracker.json("posts")) == [
        "https://www.pixiv.net/artworks/100",
        "https://www.pixiv.net/artworks/300",
        "https://www.pixiv.net/artworks/301",
    ]
    monkeypatch.setattr(archive, "store", real_store)
    tracker(*command, "--workers", workers)
    assert len(tracker.json("posts")) == 7


def test_an_import_the_full_disk_stopped_says_what_it_saved_and_gives_the_space_back(
    full_disk: None, tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """The database cannot grow: the import's first batch is refused after its files were archived. The line says
    how far the import got and that running it again resumes; the files it archived for nothing are deleted at once
    (their room is what the owner must free), and `tracker status` does not later call the import interrupted."""
    folder = tmp_path / "posted"
    folder.mkdir()
    for n in range(3):
        write_png(folder / f"{400 + n}.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=50 + n))
    command = ["import", folder, "--persona", "moth", "--url-template", "https://www.pixiv.net/artworks/{id}"]
    result = tracker(*command, "--workers", "1", ok=False)
    line = _one_error_line(result.stderr)
    assert "the disk is full" in line and "the import stopped with 0 of 3 files saved" in line, line
    assert "run the same command again" in line, line
    assert len([p for p in (isolated_env / "archive").rglob("*") if p.is_file()]) == 1  # the first post's only
    status = tracker("status")
    assert "interrupted" not in status.stdout, status.stdout
    assert tracker.json("status")["unrecorded_archive_files"] == 0
