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
    status = tracker("status", ok=False)  # a new SQLite database the failed command made went with it
    assert status.stdout.startswith("no unanswered complaints") or "no database at" in status.stderr, "nothing due"
    personas = tracker("personas", "--json", ok=False)
    assert personas.stdout.strip() == "[]" or "no database at" in personas.stderr, "no persona made for it either"
    assert tracker.json("complaint", "add", *args, "--contact", "jane@example.com")["id"] == 1, "who sent it is enough"


@pytest.mark.parametrize("url", ["not a url", "javascript:alert(1)", "ftp://x", "https://", "http://exa mple.org/"])
def test_a_work_url_is_a_web_address_at_intake_and_in_a_correction(tracker: Tracker, url: str) -> None:
    said = "is not a work URL: give a web address (http:// or https://)"
    refused = tracker("complaint", "add", "--name", "Jane Doe", "--work-url", url, ok=False)
    assert refused.exit_code == 2 and said in refused.stderr and len(refused.stderr.splitlines()) == 1
    tracker("complaint", "add", "--name", "Jane Doe", "--work-url", "https://example.art/harbour")
    refused = tracker("complaint", "set", "1", "--work-url", url, ok=False)
    assert refused.exit_code == 2 and said in refused.stderr
    assert tracker.json("complaint", "show", "1")["claimed_urls"] == ["https://example.art/harbour"]


def test_a_platform_is_named_as_log_names_one(tracker: Tracker) -> None:
    said = "tracker: error: the platform is a name such as 'pixiv' or 'instagram', not 'Not A Platform!!'"
    refused = tracker("complaint", "add", "--name", "Jane Doe", "--platform", "Not A Platform!!", ok=False)
    assert refused.exit_code == 2 and refused.stderr.strip() == said
    assert tracker.json("complaint", "add", "--name", "Jane Doe", "--platform", "Twitter")["platform"] == "x"
    assert tracker("complaint", "set", "1", "--platform", "Not A Platform!!", ok=False).stderr.strip() == said
    tracker("complaint", "set", "1", "--platform", "Pixiv")
    assert tracker.json("complaint", "show", "1")["platform"] == "pixiv", "stored as the platform's key, as log does"
