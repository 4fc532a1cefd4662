"""A mistyped TRACKER_DATA_DIR (an SSH shell without the export) is never an empty archive.

Every command that reads what is recorded says "no database at ..." with exit code 2, as `status`
does, and creates nothing: an empty database made by `posts` would turn the next `status` into an
all-clear while the real archive has a complaint due tomorrow.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels

READING_COMMANDS = [
    ("posts",),
    ("posts", "--json"),
    ("show", "1"),
    ("post", "set", "1", "--status", "deleted"),
    ("personas",),
    ("persona", "set", "moth", "--display-name", "Moth"),
    ("persona", "rename", "moth", "lanternfish"),
    ("persona", "merge", "moth", "lanternfish"),
    ("complaint", "list"),
    ("complaint", "list", "--json"),
    ("complaint", "show", "1"),
    ("complaint", "decide", "1", "--action", "take_down"),
    ("complaint", "confirm", "1"),
    ("complaint", "reply", "1"),
    ("complaint", "set", "1", "--lang", "ja"),
    ("resources",),
    ("models", "list"),
    ("inputs", "1"),
    ("check",),
    ("purge", "plan", "moth"),
    ("purge", "status", "moth"),
    ("status",),
]


@pytest.fixture
def mistyped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("TRACKER_DB", "TRACKER_ARCHIVE", "TRACKER_PERSONA"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "tracker-dat"  # the real one is tracker-data
    monkeypatch.setenv("TRACKER_DATA_DIR", str(folder))
    return folder


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_a_missing_database_is_an_error_and_none_is_made(
    tracker: Tracker, mistyped: Path, command: tuple[str, ...]
) -> None:
    result = tracker(*command, ok=False)
    assert result.exit_code == 2, result.output
    assert "no database at" in result.stderr and str(mistyped) in result.stderr
    assert "TRACKER_DATA_DIR" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == "", "no empty listing beside the error"
    assert not (mistyped / "tracker.db").exists()


def test_match_never_says_no_logged_image_matches_on_a_missing_database(
    tracker: Tracker, mistyped: Path, tmp_path: Path
) -> None:
    image = tmp_path / "theirs.png"
    pixels(seed=3).save(image)
    result = tracker("match", image, ok=False)
    assert result.exit_code == 2 and "no database at" in result.stderr
    assert "No logged image matches" not in result.output and not (mistyped / "tracker.db").exists()


def test_input_add_on_a_missing_database_makes_none(tracker: Tracker, mistyped: Path, tmp_path: Path) -> None:
    image = tmp_path / "my-sketch.png"
    pixels(seed=4).save(image)
    result = tracker("input", "add", "1", image, "--kind", "own_asset", ok=False)
    assert result.exit_code == 2 and "no database at" in result.stderr
    assert not (mistyped / "tracker.db").exists() and not (mistyped / "archive").exists()
