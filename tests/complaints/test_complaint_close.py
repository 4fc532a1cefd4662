"""`tracker complaint close N --duplicate-of M`: a complaint logged twice is closed as what it is.

Not `withdrawn` (the sender withdrew nothing): closed as a duplicate, it stops counting as unanswered,
drafts no letter, says which complaint to answer, and the closing is in its history.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pytestmark = pytest.mark.db

NOTICE = "I am the author of https://example.art/harbour. Please remove your copy of it."


@pytest.fixture
def twice(tracker: Tracker) -> Tracker:
    """The same notice logged as #1 and again, by mistake, as #2."""
    for extra in ([], ["--duplicate"]):
        tracker("complaint", "add", "--name", "Rachel Kim", "--message", NOTICE, *extra)
    return tracker


def test_a_duplicate_closed_stops_counting_and_says_which_to_answer(twice: Tracker) -> None:
    assert "2 complaints unanswered" in twice("status").stdout
    said = twice("complaint", "close", "2", "--duplicate-of", "1").stdout
    assert said.splitlines()[0] == "Complaint #2 closed as a duplicate of #1: no letter is drafted for it."
    assert "1 complaint unanswered" in twice("status").stdout
    assert [c["id"] for c in twice.json("complaint", "list")] == [1]
    shown = twice.json("complaint", "show", "2")
    assert shown["status"] == "closed" and shown["duplicate_of"] == 1 and shown["decisions"] == []
    text = twice("complaint", "show", "2").stdout
    assert text.splitlines()[0] == "Complaint #2: closed, a duplicate of #1 (no letter of its own: answer #1)"
    history = [line for line in text.splitlines() if "complaint close #2" in line]
    assert history and "status: open -> closed" in history[0], text
    assert "duplicate of: (none) -> #1" in text
    assert twice.json("complaint", "show", "1")["duplicate_of"] is None


def test_no_letter_is_drafted_for_a_duplicate(twice: Tracker) -> None:
    twice("complaint", "decide", "2", "--action", "invalid")  # decided before the owner saw it was logged twice
    twice("complaint", "close", "2", "--duplicate-of", "1")
    refused = twice("complaint", "reply", "2", ok=False)
    assert refused.exit_code == 1 and refused.stdout == ""
    assert (
        refused.stderr.strip()
        == "tracker: error: complaint #2 is closed as a duplicate of #1: it gets no letter (answer #1)"
    )


def test_deciding_a_duplicate_opens_it_again(twice: Tracker) -> None:
    twice("complaint", "close", "2", "--duplicate-of", "1")
    twice("complaint", "decide", "2", "--action", "invalid")
    shown = twice.json("complaint", "show", "2")
    assert shown["status"] == "decided" and shown["duplicate_of"] is None
    assert "duplicate of: #1 -> (none)" in twice("complaint", "show", "2").stdout


def test_closings_that_cannot_be_are_one_line_and_change_nothing(twice: Tracker) -> None:
    twice("complaint", "add", "--name", "Someone Else", "--message", "another matter")
    twice("complaint", "decide", "3", "--action", "invalid")
    twice("complaint", "reply", "3", "--answered")
    twice("complaint", "close", "2", "--duplicate-of", "1")
    for args, said in (
        (["1", "--duplicate-of", "1"], "complaint #1 cannot be a duplicate of itself"),
        (["1", "--duplicate-of", "9"], "no complaint #9"),
        (["9", "--duplicate-of", "1"], "no complaint #9"),
        (["1", "--duplicate-of", "2"], "complaint #2 is closed as a duplicate of #1: #1 is the one to answer"),
        (["3", "--duplicate-of", "1"], "complaint #3 was answered (a reply went out): it is no duplicate to close"),
        (["2", "--duplicate-of", "3"], "complaint #2 is already closed as a duplicate of #1"),
    ):
        refused = twice("complaint", "close", *args, ok=False)
        assert refused.exit_code != 0 and refused.stderr.strip() == f"tracker: error: {said}", (args, refused.stderr)
    assert [twice.json("complaint", "show", n)["status"] for n in "123"] == ["open", "closed", "answered"]


def test_a_duplicate_about_other_posts_is_closed_with_a_warning_naming_them(tracker: Tracker, tmp_path: Path) -> None:
    """#1 names post #1, #2 names post #2: closing #1 as a duplicate of #2 would leave post #1 in no letter."""
    for n in (1, 2):
        image = tmp_path / f"{n}.png"
        drawing(n).save(image)
        tracker("log", image, "--url", f"https://www.pixiv.net/artworks/13100000{n}", "--persona", "moth")
        tracker("complaint", "add", "--post", str(n), "--message", f"{NOTICE} ({n})")
    said = tracker("complaint", "close", "1", "--duplicate-of", "2")
    assert "complaint #1 names post #1, which complaint #2 does not: with #1 closed, no letter answers for it" in (
        said.stderr
    )
    assert "tracker complaint set 2 --post 2 --post 1" in said.stderr
    assert tracker.json("complaint", "show", "1")["status"] == "closed", "closed all the same: the owner knows"
    tracker("complaint", "add", "--post", "2", "--message", f"{NOTICE} (again)")
    again = tracker("complaint", "close", "3", "--duplicate-of", "2")
    assert "names post" not in again.stderr, "the same post: a duplicate like any other"
    assert tracker.json("complaint", "show", "1")["status"] == "closed"
