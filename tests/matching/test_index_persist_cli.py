"""Issue 19, item 4, as the user sees it: `log` and `import` extend the saved index, `match` maps it.

After the first `tracker match` the whole-image index and the region tables sit beside the
database. Logging or importing more images appends their rows to the saved index (the region
tables keep covering the rows they were made for; the new ones are searched through tables made
per search until there are `TAIL_ROWS` of them, then the tables are rebuilt and saved). A user who
never ran `match` never pays for an index on `log`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

from tracker.cli import AppContext
from tracker.matching import saved_regions
from tracker.matching.index import load_saved
from tracker.matching.saved_regions import load_regions, regions_path
from tracker.matching.stored import DatabaseHashes

pytestmark = [pytest.mark.db, pytest.mark.sqlite_only]  # the files beside the SQLite database


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{400000001 + n}"


def saved_state() -> tuple[list[int], int | None]:
    """(ids in the saved whole-image index, rows the saved region tables cover)."""
    context = AppContext(db=None, data_dir=None)
    try:
        path = context.settings.index_path
        with context.sessions()() as session:
            identity = DatabaseHashes(session).identity()
        stored = load_saved(path, identity)
        assert stored is not None
        tables = load_regions(regions_path(path), stored, identity)
        return stored.ids.tolist(), tables.rows if tables is not None else None
    finally:
        context.close()


def log(tracker: Tracker, folder: Path, n: int) -> None:
    path = folder / f"scene{n}.png"
    drawing(n).save(path)
    tracker("log", path, "--url", url(n), "--persona", "moth")


def crop_match(tracker: Tracker, folder: Path, n: int) -> list[dict[str, Any]]:
    image = drawing(n)
    w, h = image.size
    query = folder / f"crop{n}.png"
    image.crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4)).save(query)
    return list(tracker.json("match", query))


def test_log_and_import_extend_the_saved_index(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = AppContext(db=None, data_dir=None).settings.index_path
    for n in range(3):
        log(tracker, tmp_path, n)
    assert not index.exists()  # `log` never builds an index nobody asked for

    assert [r["image_id"] for r in crop_match(tracker, tmp_path, 1)] == [2]
    assert saved_state() == ([1, 2, 3], 3)  # the first match saved both
    tables = regions_path(index).read_bytes()

    log(tracker, tmp_path, 3)
    assert saved_state() == ([1, 2, 3, 4], 3)  # the log appended its row; the tables stay
    found = crop_match(tracker, tmp_path, 3)
    assert [(r["image_id"], r["kind"]) for r in found] == [(4, "region")]  # found through the tail's tables
    assert regions_path(index).read_bytes() == tables  # nothing rebuilt

    monkeypatch.setattr(saved_regions, "TAIL_ROWS", 1)  # two new rows are too many to leave uncovered
    folder = tmp_path / "batch"
    folder.mkdir()
    for n in (4, 5):
        drawing(n).save(folder / f"scene{n}.png")
    tracker("import", folder, "--persona", "moth")
    assert saved_state() == ([1, 2, 3, 4, 5, 6], 6)  # the import appended its rows and rebuilt the tables
    assert [r["image_id"] for r in crop_match(tracker, tmp_path, 5)] == [6]


def test_a_damaged_index_is_left_to_the_next_match(tracker: Tracker, tmp_path: Path) -> None:
    index = AppContext(db=None, data_dir=None).settings.index_path
    for n in range(2):
        log(tracker, tmp_path, n)
    crop_match(tracker, tmp_path, 0)
    damaged = index.read_bytes()[:-1]
    index.write_bytes(damaged)
    log(tracker, tmp_path, 2)  # succeeds: the index is only a cache
    assert index.read_bytes() == damaged  # left alone by the log
    assert [r["image_id"] for r in crop_match(tracker, tmp_path, 2)] == [3]
    assert saved_state() == ([1, 2, 3], 2)  # rebuilt by the match; the tables of rows 1-2 still serve
