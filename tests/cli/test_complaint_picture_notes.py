"""`tracker complaint add` and `complaint show` say, as `tracker match` and the TUI do (`matching.limits`), when the
complainant's picture is one plain colour (nothing in it to compare: ask for it again) or animated (only its first
frame is searched), and `add` offers no `tracker match` of a picture that shows nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fixtures.columns import fitting_lines
from fixtures.common import Tracker
from fixtures.drawings import drawing
from PIL import Image

from tracker.matching import limits

pytestmark = pytest.mark.db


def words(text: str) -> str:
    """The text with its folding undone (`complaint show` folds to COLUMNS)."""
    return " ".join(text.split())


@pytest.fixture
def pictures(tmp_path: Path) -> tuple[Path, Path]:
    black = tmp_path / "black.png"
    Image.new("RGB", (400, 300), (0, 0, 0)).save(black)
    moving = tmp_path / "moving.gif"
    frames = [drawing(0).convert("RGB"), *(Image.effect_noise((300, 200), 60).convert("RGB") for _ in range(2))]
    frames[0].save(moving, save_all=True, append_images=frames[1:], duration=200, loop=0)
    return black, moving


def test_complaint_add_and_show_say_a_picture_is_blank_or_animated(
    tracker: Tracker, pictures: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    black, moving = pictures
    added = tracker("complaint", "add", "--image", black, "--image", moving, "--name", "A. Painter").stdout
    assert limits.blank_picture("black.png") in words(added), added
    assert limits.animated("moving.gif", 3) in words(added), added
    told = [line for line in added.splitlines() if line.startswith("Find the post their picture shows:")]
    assert len(told) == 1 and told[0].endswith(".gif"), "the search is offered of the picture that shows something"
    monkeypatch.setenv("COLUMNS", "80")
    shown = tracker("complaint", "show", "1").stdout
    fitting_lines(shown)
    assert limits.blank_picture("black.png") in words(shown), shown
    assert limits.animated("moving.gif", 3) in words(shown), shown


def test_a_complaint_of_a_plain_picture_alone_is_not_sent_to_tracker_match(
    tracker: Tracker, pictures: tuple[Path, Path]
) -> None:
    added = tracker("complaint", "add", "--image", pictures[0], "--name", "A. Painter").stdout
    assert "ask for the picture again" in added
    assert "tracker match" not in added, added
    assert "moving.gif" not in tracker("complaint", "show", "1").stdout


def test_a_picture_that_shows_something_gets_no_note(tracker: Tracker, tmp_path: Path) -> None:
    drawing(2).save(tmp_path / "theirs.png")
    added = tracker("complaint", "add", "--image", tmp_path / "theirs.png", "--name", "A. Painter").stdout
    assert "  note  " not in added and "  note  " not in tracker("complaint", "show", "1").stdout


def test_complaint_add_json_says_a_picture_is_blank_or_animated_on_stderr(
    tracker: Tracker, pictures: tuple[Path, Path]
) -> None:
    """As `tracker match --json`: stdout the JSON record alone, the notes on stderr as `tracker: note:` lines."""
    black, moving = pictures
    result = tracker("complaint", "add", "--image", black, "--image", moving, "--name", "A. Painter", "--json")
    assert [image["original_name"] for image in json.loads(result.stdout)["images"]] == ["black.png", "moving.gif"]
    notes = [line for line in result.stderr.splitlines() if line.startswith("tracker: note: ")]
    assert len(notes) == 2, result.stderr
    assert limits.blank_picture("black.png") in words(result.stderr), result.stderr
    assert limits.animated("moving.gif", 3) in words(result.stderr), result.stderr


@pytest.mark.sqlite_only
def test_a_picture_an_older_tracker_kept_is_read_from_its_file(
    tracker: Tracker, pictures: tuple[Path, Path], isolated_env: Path
) -> None:
    """A picture kept before its looks were recorded (both NULL) is still said to be blank or animated."""
    black, moving = pictures
    tracker("complaint", "add", "--image", black, "--image", moving, "--name", "A. Painter")
    with sqlite3.connect(isolated_env / "tracker.db") as db:
        db.execute("UPDATE complaint_image SET plain_colour = NULL, frames = NULL")
    shown = words(tracker("complaint", "show", "1").stdout)
    assert limits.blank_picture("black.png") in shown and limits.animated("moving.gif", 3) in shown, shown
