"""`tracker restore` stopped with Ctrl+C says which database is in use: the old one, untouched, before the
commit point; the restored one after it. Never a bare "aborted" that leaves the owner guessing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels
from fixtures.killpoints import interrupt_at

pytestmark = [pytest.mark.sqlite_only]


def _personas(data: Path) -> list[str]:
    conn = sqlite3.connect(data / "tracker.db")
    try:
        return sorted(name for (name,) in conn.execute("select name from persona"))
    finally:
        conn.close()


@pytest.fixture
def folders(tmp_path: Path, tracker: Tracker) -> tuple[Path, Path]:
    for name, seed in (("live", 1), ("source", 2)):
        image = tmp_path / f"{name}.png"
        pixels((48, 40), seed=seed).save(image)
        url = f"https://www.pixiv.net/artworks/{820000000 + seed}"
        tracker("--data-dir", tmp_path / name, "log", image, "--url", url, "--persona", name, "--new-persona")
    tracker("--data-dir", tmp_path / "source", "backup", tmp_path / "b.tar")
    return tmp_path / "live", tmp_path / "b.tar"


def test_ctrl_c_before_the_swap_says_nothing_changed(folders: tuple[Path, Path]) -> None:
    data, backup = folders
    done = interrupt_at(["restore", str(backup), "--force"], data, "restore:verified")
    assert done.returncode == 130 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "tracker: restore interrupted: the database and archive are as they were (the next command clears what it left)"
    ]
    assert _personas(data) == ["live"]


def test_ctrl_c_after_the_swap_says_the_backup_is_in_use(folders: tuple[Path, Path]) -> None:
    data, backup = folders
    done = interrupt_at(["restore", str(backup), "--force"], data, "restore:replaced")
    assert done.returncode == 130 and "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "after the backup was put in place: the restored database is in use" in line
    kept = line.split("kept as ")[1].split(" ")[0].rstrip(";")
    assert (data / kept).is_file() and kept.startswith("tracker.db.old-")
    assert _personas(data) == ["source"]
