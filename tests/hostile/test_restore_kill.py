"""Issue 18: `tracker restore --force` killed with SIGKILL at 20 points leaves the old or the new database whole.

The old data folder holds three images and a change committed only to its WAL (as a killed process
leaves it); the backup holds three images, one of them shared. After each kill the database file
passes `PRAGMA integrity_check` and is exactly the old database (WAL change included) or exactly the
new one, and the archive holds every file its rows name; the next writing command (`log`) removes
the files the winning database does not name. Running the restore again then finishes:
the new database, the archive holding exactly its files, and a complete copy of the old database
(with its WAL change) and of the old archive kept as `.old-*`. The kill points are named in the code
(`tracker.support.testhooks`, see `tracker.archive.restore` for the steps).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels
from fixtures.killpoints import kill_at

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

POINTS = [
    "restore:staged#1",  # the database staged
    "restore:staged#2",
    "restore:staged#3",
    "restore:staged#4",  # the last archived file staged
    "restore:verified",
    "restore:held",  # the old database checkpointed out of WAL mode and locked
    "restore:copied#1",  # its copy written, not yet renamed to .old-*
    "restore:database-kept",
    "restore:archive-linked#1",
    "restore:archive-linked#2",
    "restore:archive-linked#3",
    "restore:archive-kept",
    "restore:journal-written",
    "restore:archive-added#1",
    "restore:archive-added#2",
    "restore:archive-added#3",
    "restore:before-replace",
    "restore:replaced",
    "restore:old-removed#1",
    "restore:done",
]

OLD_PERSONAS = ["moth", "only-in-the-wal"]
NEW_PERSONAS = ["ink"]


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(database)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def personas(database: Path) -> list[str]:
    return sorted(str(name) for (name,) in rows(database, "select name from persona"))


def archived(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def log_images(tracker: Tracker, data: Path, images: Path, seeds: list[int], persona: str) -> None:
    images.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        path = images / f"i{seed}.png"
        pixels((48, 40), seed=seed).save(path)
        url = f"https://www.pixiv.net/artworks/{810000000 + seed}"
        tracker("--data-dir", data, "log", path, "--url", url, "--persona", persona)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str], set[str]]:
    """The old data folder as a killed process left it, the backup, and the archive files of each."""
    root = tmp_path_factory.mktemp("restore-kill")
    tracker = Tracker()
    log_images(tracker, root / "live", root / "images", [11, 12, 13], "moth")
    log_images(tracker, root / "source", root / "images", [12, 14, 15], "ink")
    tracker("--data-dir", root / "source", "backup", root / "b.tar")
    conn = sqlite3.connect(root / "live" / "tracker.db")
    conn.execute("pragma wal_autocheckpoint=0")
    conn.execute("insert into persona (name, created_at) values ('only-in-the-wal', '2025-01-01 00:00:00')")
    conn.commit()
    shutil.copytree(root / "live", root / "old")  # with the change in tracker.db-wal only
    conn.close()
    assert (root / "old" / "tracker.db-wal").stat().st_size > 0
    return root / "old", root / "b.tar", archived(root / "live" / "archive"), archived(root / "source" / "archive")


def assert_whole(data: Path) -> list[str]:
    """The database is sound and every image it names is in the archive; returns its personas."""
    database = data / "tracker.db"
    assert rows(database, "pragma integrity_check") == [("ok",)]
    for sha, rel in rows(database, "select sha256, archive_path from image"):
        path = data / "archive" / str(rel)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha, f"a row without its file: {rel}"
    return personas(database)


@pytest.mark.parametrize("point", POINTS)
def test_restore_killed_at(
    point: str, setup: tuple[Path, Path, set[str], set[str]], tmp_path: Path, tracker: Tracker
) -> None:
    old, backup, old_files, new_files = setup
    data = tmp_path / "data"
    shutil.copytree(old, data)
    assert kill_at(["restore", str(backup), "--force"], data, point), f"the restore never reached {point}"

    found = assert_whole(data)
    assert found in (OLD_PERSONAS, NEW_PERSONAS), found
    committed = POINTS.index(point) >= POINTS.index("restore:replaced")
    assert found == (NEW_PERSONAS if committed else OLD_PERSONAS)

    # The next writing command removes the files the database that won does not name (the journal).
    log_images(tracker, data, tmp_path / "images", [99], "moth")
    named = {str(rel) for (rel,) in rows(data / "tracker.db", "select archive_path from image")}
    assert archived(data / "archive") == named

    # Running the restore again finishes the job and clears what the killed one left.
    tracker("--data-dir", data, "restore", backup, "--force")
    assert assert_whole(data) == NEW_PERSONAS
    assert archived(data / "archive") == new_files
    assert OLD_PERSONAS in [personas(p) for p in data.glob("tracker.db.old-*")]
    assert any(old_files <= archived(p) for p in data.glob("archive.old-*"))
    assert not list(data.glob("*.partial")) and not list(data.glob(".tracker.db.restoring-*"))
    assert not list(data.glob(".archive.pending-*"))
