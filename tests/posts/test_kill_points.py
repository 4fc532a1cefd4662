"""`tracker import` and `tracker log` killed with SIGKILL at many points: never a broken archive.

After each kill the database passes `PRAGMA integrity_check` and every image row has its archived
file; the next run removes the files a killed run archived but never recorded (and its `.incoming-*`
temporaries), and re-running the import finishes the job without duplicates. The kill points are
named in the code (`tracker.testhooks`): the n-th file a worker archives (before and after its
rename into place), the n-th file whose analysis reaches the main process, and each transaction
just before and just after its commit. (The purge scrub's kill points are in test_purge_crash.py.)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels
from fixtures.killpoints import kill_at

from tracker.cli import AppContext

IMAGES = 70  # two of the importer's transactions (64 + 6)

IMPORT_POINTS = [
    *(f"import:analysed#{k}" for k in (1, 2, 3, 5, 8, 12, 17, 23, 30, 38, 47, 55, 60, 63, 64, 65, 66, 68, 69, 70)),
    *(f"import:before-commit#{k}" for k in (1, 2)),
    *(f"import:after-commit#{k}" for k in (1, 2)),
    *(f"archive:before-rename#{k}" for k in (1, 3, 6, 10, 15, 21, 28, 34)),
    *(f"archive:stored#{k}" for k in (1, 2, 5, 9, 14, 20, 27, 33)),
]
LOG_POINTS = ["archive:before-rename#1", "archive:stored#1", "log:before-commit#1"]


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """70 images, each with the gallery-dl sidecar of its own pixiv post."""
    folder = tmp_path_factory.mktemp("downloads")
    for i in range(IMAGES):
        image = folder / f"{900000 + i}_p0.png"
        pixels((48, 40), seed=7000 + i).save(image)
        sidecar = {"category": "pixiv", "id": 900000 + i, "num": 0, "title": f"Study {i}", "user": {"account": "moth"}}
        image.with_name(image.name + ".json").write_text(json.dumps(sidecar), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def empty_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with an up-to-date, empty database (copied for each kill)."""
    data = tmp_path_factory.mktemp("empty") / "data"
    AppContext(db=None, data_dir=str(data)).sessions()
    return data


def fresh(empty_archive: Path, tmp_path: Path) -> Path:
    data = tmp_path / "killed"
    shutil.copytree(empty_archive, data)
    return data


def assert_consistent(data: Path) -> int:
    """The state a kill may leave: a sound database whose every image has its file. Returns the image count."""
    db = data / "tracker.db"
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "pragma foreign_key_check") == []
    rows = query(db, "select sha256, archive_path from image")
    for sha, rel in rows:
        assert sha256(data / "archive" / rel) == sha, f"image row without its file: {rel}"
    return len(rows)


def assert_clean(data: Path) -> None:
    """No orphan: the archive holds exactly the files the rows name, no temporaries, no journals."""
    db = data / "tracker.db"
    named = {
        rel for (rel,) in query(db, "select archive_path from image union select archive_path from complaint_image")
    }
    files = {p.relative_to(data / "archive").as_posix() for p in (data / "archive").rglob("*") if p.is_file()}
    assert files == named
    assert not [p.name for p in data.iterdir() if ".pending-" in p.name]


@pytest.mark.slow
@pytest.mark.parametrize("point", IMPORT_POINTS)
def test_import_killed_at(point: str, downloads: Path, empty_archive: Path, tmp_path: Path, tracker: Tracker) -> None:
    data = fresh(empty_archive, tmp_path)
    args = ["import", str(downloads), "--persona", "moth", "--workers", "2", "--json"]
    assert kill_at(args, data, point), f"the import never reached {point}"
    recorded = assert_consistent(data)
    assert recorded < IMAGES or point.startswith("import:after-commit#2")
    if point.startswith("archive:before-rename"):  # killed with a half-stored file in the archive
        assert list((data / "archive").rglob(".incoming-*"))

    # Any next writing command clears what the killed import archived but never recorded.
    unrelated = tmp_path / "unrelated.png"
    pixels((48, 40), seed=1).save(unrelated)
    tracker("--data-dir", data, "log", unrelated, "--url", "https://www.pixiv.net/artworks/1", "--persona", "moth")
    assert_clean(data)

    summary = json.loads(tracker("--data-dir", data, *args).stdout)
    assert summary["failed"] == [] and summary["new_images"] == IMAGES - recorded
    assert assert_consistent(data) == IMAGES + 1
    assert_clean(data)
    db = data / "tracker.db"
    assert query(db, "select count(*), count(distinct url) from post") == [(IMAGES + 1, IMAGES + 1)]
    assert query(db, "select count(*), count(distinct sha256) from image") == [(IMAGES + 1, IMAGES + 1)]
    assert query(db, "select count(distinct entity_id) from event where entity = 'image'") == [(IMAGES + 1,)]
    again = json.loads(tracker("--data-dir", data, *args).stdout)
    assert again["new_images"] == 0 and again["new_posts"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("point", LOG_POINTS)
def test_log_killed_at(point: str, downloads: Path, empty_archive: Path, tmp_path: Path, tracker: Tracker) -> None:
    data = fresh(empty_archive, tmp_path)
    image = downloads / "900000_p0.png"
    url = "https://www.pixiv.net/artworks/900000"
    assert kill_at(["log", str(image), "--url", url, "--persona", "moth"], data, point)
    assert assert_consistent(data) == 0
    assert query(data / "tracker.db", "select count(*) from post") == [(0,)]

    # The next writing command, whatever it logs, clears what the killed one left.
    other = downloads / "900001_p0.png"
    tracker("--data-dir", data, "log", other, "--url", "https://www.pixiv.net/artworks/900001", "--persona", "moth")
    assert_clean(data)
    assert assert_consistent(data) == 1
    tracker("--data-dir", data, "log", image, "--url", url, "--persona", "moth")
    assert assert_consistent(data) == 2
    assert_clean(data)
