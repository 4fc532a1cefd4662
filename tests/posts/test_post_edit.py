"""`tracker post set`: correcting a logged post, with every change in its audit trail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/100000001"
X = "https://x.com/moth_ai/status/1800000000000000001"


@pytest.fixture
def logged(tracker: Tracker, tmp_path: Path) -> None:
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", PIXIV,
            "--persona", "moth", "--title", "Night", "--posted-at", "2026-10-01")  # fmt: skip
    tracker("log", write_png(tmp_path / "b.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=3)),
            "--url", X)  # fmt: skip


def _events(tracker: Tracker, post: str) -> list[dict[str, object]]:
    return [e for e in tracker.json("show", post)["events"] if e["action"] == "update"]


def test_a_post_deleted_by_hand_is_recorded_and_leaves_the_purge_checklist(logged: None, tracker: Tracker) -> None:
    out = tracker("post", "set", PIXIV, "--status", "deleted").stdout
    assert out.splitlines() == ["Updated post #1:", "  status: live -> deleted"]
    shown = tracker.json("show", "1")
    assert shown["status"] == "deleted" and shown["status_changed_at"] > shown["logged_at"]
    [event] = _events(tracker, "1")
    assert event["command"] == "post set"
    assert event["changes"]["status"] == ["live", "deleted"]
    assert [p["id"] for p in tracker.json("posts", "--status", "deleted")] == [1]
    plan = json.loads(tracker("purge", "plan", "moth", "--format", "json").stdout)
    assert [i["id"] for i in plan["items"] if i["id"].startswith("post:")] == ["post:2"]


def test_post_set_says_its_changes_in_the_words_of_the_history(logged: None, tracker: Tracker) -> None:
    """`post set` prints what it changed as `tracker show`'s history then reads it: a time local to the minute,
    "(none)" for nothing, text in quotes; never a stored ISO time with microseconds, nor "-"."""
    tracker("post", "set", "1", "--posted-at", "2026-11-04 10:55")
    out = tracker("post", "set", "1", "--posted-at", "", "--title", "Dawn").stdout.splitlines()
    assert out == ["Updated post #1:", '  title: "Night" -> "Dawn"', "  posted at: 2026-11-04 10:55 -> (none)"]
    shown = tracker("show", "1").stdout
    assert all(line.strip(" ,") in shown for line in out[1:]), shown


def test_request_details_are_added_to_an_older_post_with_the_permission_rule(logged: None, tracker: Tracker) -> None:
    refused = tracker("post", "set", "2", "--requested-by", "a friend", ok=False)
    assert refused.exit_code != 0 and len(refused.stderr.splitlines()) == 1 and "--permission-at" in refused.stderr
    assert _events(tracker, "2") == []  # nothing written

    tracker("post", "set", "2", "--requested-by", "a friend", "--permission-at", "2026-11-01")
    tracker("post", "set", "2", "--permission-ref", "https://example.org/dm/1")
    shown = tracker("show", "2").stdout
    assert "made for   a friend, permission given 2026-11-01  (https://example.org/dm/1)" in shown
    assert [sorted(e["changes"]) for e in _events(tracker, "2")] == [
        ["permission_at", "requested_by"],
        ["permission_ref"],
    ]

    alone = tracker("post", "set", "1", "--permission-at", "2026-11-01", ok=False)
    assert alone.exit_code != 0 and "--requested-by" in alone.stderr

    other = tracker("post", "set", "2", "--requested-by", "someone else", ok=False)
    assert other.exit_code != 0 and "'a friend'" in other.stderr and "--permission-at" in other.stderr
    tracker("post", "set", "2", "--requested-by", "someone else", "--permission-at", "2026-11-20")
    shown = tracker("show", "2").stdout
    [made_for] = [line for line in shown.splitlines() if "made for" in line]
    assert made_for.strip() == "made for   someone else, permission given 2026-11-20"  # not the friend's link
    assert 'requested by: "a friend" -> "someone else"' in shown  # the history names request changes

    too_long = tracker("post", "set", "2", "--requested-by", "x" * 301, "--permission-at", "now", ok=False)
    assert too_long.exit_code != 0 and "300" in too_long.stderr

    tracker("post", "set", "2", "--clear-request")
    assert tracker.json("show", "2")["request"] is None
    mixed = tracker("post", "set", "2", "--clear-request", "--requested-by", "x", ok=False)
    assert mixed.exit_code != 0 and "--clear-request" in mixed.stderr


def test_title_and_date_change_and_nothing_twice(logged: None, tracker: Tracker) -> None:
    result = tracker.json("post", "set", "1", "--title", "Harbour", "--posted-at", "2026-10-02")
    assert result["id"] == 1
    assert result["changes"]["title"] == ["Night", "Harbour"]
    assert result["changes"]["posted_at"][1].startswith("2026-10-0")
    again = tracker("post", "set", "1", "--title", "Harbour").stdout
    assert again.strip() == "Post #1: nothing changed (it already reads so)."
    tracker("post", "set", "1", "--title", "", "--posted-at", "")
    shown = tracker.json("show", "1")
    assert shown["title"] is None and shown["posted_at"] is None
    assert len(_events(tracker, "1")) == 2


def test_mistakes_are_one_line_each(logged: None, tracker: Tracker) -> None:
    nothing = tracker("post", "set", "1", ok=False)
    assert nothing.exit_code != 0 and "nothing to change" in nothing.stderr
    missing = tracker("post", "set", "99", "--status", "deleted", ok=False)
    assert missing.exit_code != 0 and missing.stderr.strip() == "tracker: error: no post '99'"
    bad_date = tracker("post", "set", "1", "--posted-at", "yesterday-ish", ok=False)
    assert bad_date.exit_code != 0 and "cannot read the date" in bad_date.stderr
    odd_numbers = [tracker("post", "set", key, "--status", "deleted", ok=False) for key in ("²", "9" * 30)]
    assert [r.stderr.strip() for r in odd_numbers] == [
        "tracker: error: no post '²'",
        f"tracker: error: no post '{'9' * 30}'",
    ]
    for result in (nothing, missing, bad_date, *odd_numbers):
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


def test_a_hostile_title_is_printed_literally(logged: None, tracker: Tracker) -> None:
    out = tracker("post", "set", "1", "--title", "[bold]x[/bold]\x1b[2Jy").stdout
    assert "\x1b" not in out and "[bold]x[/bold]" in out


def test_a_posting_date_in_the_future_is_refused(logged: None, tracker: Tracker, tmp_path: Path) -> None:
    """A post cannot have been published after now: 2099 is a typo, refused in one line by `post set` and `log`
    alike, nothing changed; tomorrow's date (another zone's day) is still taken."""
    from datetime import date, timedelta

    later = tracker("post", "set", "1", "--posted-at", "2099-01-01", ok=False)
    assert later.exit_code != 0 and len(later.stderr.splitlines()) == 1
    assert "in the future" in later.stderr and "2099-01-01" in later.stderr
    assert tracker.json("show", "1")["posted_at"].startswith("2026-10-0") and _events(tracker, "1") == []

    image = write_png(tmp_path / "c.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=5))
    logged_later = tracker("log", image, "--url", PIXIV[:-1] + "9", "--posted-at", "2099-01-01", ok=False)
    assert logged_later.exit_code != 0 and len(logged_later.stderr.splitlines()) == 1
    assert "in the future" in logged_later.stderr
    assert len(tracker.json("posts")) == 2, "nothing logged"

    permission = tracker("post", "set", "1", "--requested-by", "Kei", "--permission-at", "2099-01-01", ok=False)
    assert permission.exit_code != 0 and "--permission-at" in permission.stderr and "in the future" in permission.stderr
    assert _events(tracker, "1") == []  # nothing written

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    tracker("post", "set", "1", "--posted-at", tomorrow)
    tracker("log", image, "--url", PIXIV[:-1] + "9", "--posted-at", "now")
