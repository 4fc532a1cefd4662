"""`tracker import` stopped with Ctrl+C says how much was saved and that the same command finishes the job:
the batches written before stay, and running it again imports only the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import pixels
from fixtures.killpoints import interrupt_at

pytestmark = [pytest.mark.sqlite_only]


def test_ctrl_c_during_an_import_says_what_was_saved_and_the_same_command_finishes(
    tmp_path: Path, tracker: Tracker
) -> None:
    folder = tmp_path / "posted"
    folder.mkdir()
    for seed in range(80):
        pixels((40, 32), seed=seed).save(folder / f"p{seed:02}.png")
    data = tmp_path / "data"
    args = ["import", str(folder), "--persona", "moth", "--new-persona"]
    done = interrupt_at(args, data, "import:analysed#70")  # the first 64 images are written by then
    assert done.returncode == 130 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "tracker: import interrupted: 64 of 80 files were saved before it stopped;"
        " the same command again imports the rest (what is saved is skipped)",
        f"tracker: started a new archive at {data / 'tracker.db'} (it held nothing before this command)",
    ], "what was saved is in a new archive, and said to be"
    assert query(data, "select count(*) from image") == [(64,)]
    again = tracker("--data-dir", data, "import", folder, "--persona", "moth").stdout
    assert "16 new images" in again and "64 already done" in again
    assert query(data, "select count(*) from image") == [(80,)]


def test_ctrl_c_just_after_a_batch_was_committed_counts_it_as_saved(tmp_path: Path, tracker: Tracker) -> None:
    """A Ctrl+C that came as a batch's commit returned said "0 of 70 files were saved" with 64 recorded: it now
    waits for the count, and the line says what the database holds."""
    folder = tmp_path / "posted"
    folder.mkdir()
    for seed in range(70):
        pixels((40, 32), seed=seed).save(folder / f"p{seed:02}.png")
    data = tmp_path / "data"
    done = interrupt_at(["import", str(folder), "--persona", "moth"], data, "import:after-commit")
    assert done.returncode == 130 and "Traceback" not in done.stderr
    assert done.stderr.startswith("tracker: import interrupted: 64 of 70 files were saved before it stopped;")
    assert query(data, "select count(*) from image") == [(64,)]


@pytest.mark.slow
def test_ctrl_c_at_a_terminal_reaches_the_workers_too_and_prints_no_traceback(tmp_path: Path) -> None:
    """A terminal's Ctrl+C goes to the whole foreground group: the import's workers, waiting for work, must not
    each print a traceback around the one line the import says."""
    from fixtures.killpoints import interrupt_group_at

    folder = tmp_path / "posted"
    folder.mkdir()
    for seed in range(80):
        pixels((40, 32), seed=seed).save(folder / f"p{seed:02}.png")
    data = tmp_path / "data"
    args = ["import", str(folder), "--persona", "moth", "--new-persona", "--workers", "2"]
    done = interrupt_group_at(args, data, "import:analysed#70")
    assert done.returncode == 130 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[0].startswith("tracker: import interrupted: 64 of 80 files were saved")
    assert len(done.stderr.strip().splitlines()) == 2, done.stderr  # and the new archive it started
    assert query(data, "select count(*) from image") == [(64,)]
