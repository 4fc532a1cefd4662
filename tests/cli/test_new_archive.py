"""A command that records something into a database that was not there says it started a new, empty archive:
a mistyped data folder or --db must not quietly take what is logged where the owner's dashboard never looks."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

NEW = "tracker: started a new, empty archive at "


@pytest.mark.sqlite_only
def test_a_mistyped_data_folder_says_a_new_archive_was_started(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    typo = tmp_path / "dtaa2"
    added = tracker("--data-dir", typo, "complaint", "add", "--name", "X", "--message", "hi")
    assert added.stdout.startswith("Logged complaint #1")
    assert added.stderr == f"{NEW}{typo / 'tracker.db'} (no other personas or complaints are in it)\n"
    again = tracker("--data-dir", typo, "complaint", "add", "--name", "Y", "--message", "other")
    assert again.stderr == "", "said once, when the archive is made"

    image = tmp_path / "a.png"
    drawing(1).save(image)
    logged = tracker("--db", tmp_path / "other.db", "log", image, "--url", "https://x.com/a/status/1", "--persona", "k")
    assert logged.stdout.startswith("Logged post #1") and logged.stderr.startswith(NEW + str(tmp_path / "other.db"))


@pytest.mark.sqlite_only
def test_a_command_that_fails_keeps_its_error_to_one_line(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    image = tmp_path / "a.png"
    drawing(1).save(image)
    failed = tracker("log", image, "--url", "https://example.org/gallery/7", "--persona", "k", ok=False)
    assert failed.exit_code == 2 and failed.stderr.startswith("tracker: error: no known platform")
    assert len(failed.stderr.splitlines()) == 1
