"""`tracker complaint add` refuses what cannot be a complaint, in one line, logging nothing.

A complaint with nothing in it (no message, post, image or sender) would get a deadline and count as
unanswered, about nothing.
"""

from __future__ import annotations

import pytest
from fixtures.common import Tracker

pytestmark = pytest.mark.db

NOTHING = "tracker: error: nothing to log: give at least the message, a post it names, an image they sent or the sender"


@pytest.mark.parametrize(
    "args",
    [
        ["--persona", "moth", "--new-persona"],
        ["--name", "", "--message", ""],
        ["--name", "  ", "--message", " \n ", "--post", ""],
        ["--basis", "dmca", "--deadline", "in 3 days"],
    ],
)
def test_a_complaint_with_nothing_in_it_is_refused(tracker: Tracker, args: list[str]) -> None:
    refused = tracker("complaint", "add", *args, ok=False)
    assert refused.exit_code == 2 and refused.stderr.strip() == NOTHING
    assert tracker("status").stdout.startswith("no unanswered complaints"), "nothing logged, nothing due"
    assert tracker.json("personas") == [], "no persona made for it either"
    assert tracker.json("complaint", "add", *args, "--contact", "jane@example.com")["id"] == 1, "who sent it is enough"
