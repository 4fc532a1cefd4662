"""`tracker complaint ...` and `tracker status` end to end, through Click's runner, as a user runs them."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
from click.testing import Result
from fixtures.common import Tracker, database_url
from fixtures.imagefactory import A1111_INFOTEXT, FORGE_INFOTEXT, pixels, write_png
from sqlalchemy import create_engine, text

from tracker.cli import cli
from tracker.support.dates import local_zone
from tracker.support.textsafe import cell_width

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/123"
X_POST = "https://x.com/moth_ai/status/1800000000000000001"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Path:
    """One logged pixiv post (#1) of persona moth; returns the complainant's image (a different file)."""
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", PIXIV, "--persona", "moth")
    return write_png(tmp_path / "their-work.png", {}, image=pixels(seed=3))


def counts(data_dir: Path) -> dict[str, int]:
    engine = create_engine(database_url(data_dir))
    try:
        with engine.connect() as conn:
            tables = ("complaint", "complaint_image", "complaint_post", "decision")
            found = {t: conn.execute(text(f"select count(*) from {t}")).scalar_one() for t in tables}
            found["events"] = conn.execute(
                text("select count(*) from event where entity like 'complaint%' or entity = 'decision'")
            ).scalar_one()
    finally:
        engine.dispose()
    return found


def archived(data_dir: Path) -> set[Path]:
    root = data_dir / "archive"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def one_error(result: Result, *fragments: str) -> None:
    assert result.exit_code != 0
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("tracker: error: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr


def days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def test_add_then_list_and_show(tracker: Tracker, posted: Path, isolated_env: Path) -> None:
    out = tracker(
        "complaint", "add", "--post", "https://www.pixiv.net/en/artworks/123", "--image", posted,
        "--basis", "dmca", "--channel", "email", "--name", "Ann Artist", "--contact", "ann@example.org",
        "--work-title", "Sunset", "--work-url", "https://ann.example.org/sunset", "--element", "work",
        "--received", "2026-01-05", "--ticket", "T-77",
    ).stdout  # fmt: skip
    assert "Logged complaint #1: answer by 2026-01-15" in out
    assert "#1 https://www.pixiv.net/artworks/123" in out
    assert "signature of the owner or their agent" in out
    assert "tracker tui" in out

    listed = tracker("complaint", "list").stdout
    assert listed.splitlines()[1].split()[:2] == ["1", "open"]
    assert "Ann Artist" in listed
    assert [c["id"] for c in tracker.json("complaint", "list")] == [1]

    data = tracker.json("complaint", "show", "1")
    assert data["status"] == "open" and data["channel"] == "email" and data["legal_basis"] == "dmca"
    assert data["ticket_id"] == "T-77" and data["persona"] == "moth"
    assert data["complainant_name"] == "Ann Artist" and data["complainant_contact"] == "ann@example.org"
    assert data["claimed_title"] == "Sunset" and data["claimed_urls"] == ["https://ann.example.org/sunset"]
    assert data["posts"] == [
        {
            "id": 1,
            "url": PIXIV,
            "platform": "pixiv",
            "status": "live",
            "reference": "https://www.pixiv.net/en/artworks/123",
        }
    ]
    image = data["images"][0]
    assert image["original_name"] == "their-work.png" and (image["width"], image["height"]) == (64, 48)
    assert Path(image["archive_file"]).read_bytes() == posted.read_bytes()
    assert data["completeness"] == {
        "signature": False,
        "work": True,
        "location": True,  # a post is named
        "contact": True,  # --contact was given
        "good_faith": False,
        "accuracy": False,
    }
    assert len(data["missing_elements"]) == 3
    assert data["deadline_at"].startswith("2026-01-1")  # received + 10 days (DMCA)
    assert data["decisions"] == [] and data["current_decision"] is None

    shown = tracker("complaint", "show", "1").stdout
    assert "Complaint #1: open" in shown and "DMCA (US)" in shown and "ticket T-77" in shown
    assert "post       #1 [live] https://www.pixiv.net/artworks/123" in shown
    assert "decisions  none yet" in shown
    assert counts(isolated_env)["complaint_image"] == 1


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (("--image", "NOT_AN_IMAGE"), "not-an-image.png"),
        (("--post", "https://www.pixiv.net/artworks/999"), "matches no logged post"),
        (("--element", "vibes"), "unknown notice element"),
        (("--received", "last tuesday"), "cannot read the date"),
    ],
)
def test_bad_input_keeps_nothing(
    tracker: Tracker, posted: Path, tmp_path: Path, isolated_env: Path, extra: tuple[str, str], fragment: str
) -> None:
    bad = tmp_path / "not-an-image.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot really an image")
    extra = tuple(str(bad) if value == "NOT_AN_IMAGE" else value for value in extra)
    before = archived(isolated_env)
    # A good image and a good post come first, so a partial write would leave something behind.
    result = tracker(
        "complaint", "add", "--image", posted, "--post", PIXIV, "--basis", "dmca", "--name", "Ann", *extra, ok=False
    )
    one_error(result, fragment)
    assert counts(isolated_env) == {
        "complaint": 0,
        "complaint_image": 0,
        "complaint_post": 0,
        "decision": 0,
        "events": 0,
    }
    assert archived(isolated_env) == before
    assert tracker.json("complaint", "list", "--all") == []


def test_take_down_then_revised_to_dispute(tracker: Tracker, posted: Path) -> None:
    tracker("complaint", "add", "--post", PIXIV, "--basis", "jp", "--name", "Ann")
    assert tracker.json("posts")[0]["status"] == "live"

    first = tracker("complaint", "decide", "1", "--action", "take_down", "--notes", "Better safe.").stdout
    assert "Decision #1 on complaint #1: take down" in first and "revises" not in first
    assert "to remove  #1 [live] https://www.pixiv.net/artworks/123" in first
    assert "tracker complaint confirm 1" in first
    assert tracker.json("posts")[0]["status"] == "live", "a take-down waits for the owner's confirmation"
    assert tracker.json("complaint", "show", "1")["takedown_pending"] == [1]

    confirmed = tracker("complaint", "confirm", "1").stdout
    assert "taken down #1 https://www.pixiv.net/artworks/123" in confirmed
    assert tracker.json("posts")[0]["status"] == "taken_down"
    assert tracker.json("complaint", "show", "1")["takedown_pending"] == []
    assert tracker.json("complaint", "show", "1")["status"] == "decided"
    one_error(tracker("complaint", "confirm", "1", ok=False), "all marked removed already")
    # Back online (restored by the platform, or confirmed by mistake): the take-down is owed again.
    tracker("post", "set", "1", "--status", "live")
    assert tracker.json("complaint", "show", "1")["takedown_pending"] == [1]
    assert "I am removing the following post:" in tracker("complaint", "reply", "1").stdout
    assert "taken down #1" in tracker("complaint", "confirm", "1").stdout
    assert tracker.json("posts")[0]["status"] == "taken_down"
    assert tracker.json("complaint", "show", "1")["takedown_pending"] == []

    second = tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "small_part").stdout
    assert "Decision #2 on complaint #1: dispute, revises decision #1" in second
    assert "still down #1 https://www.pixiv.net/artworks/123 stays taken down (decision #1)" in second
    assert "tracker post set 1 --status live" in second
    assert tracker.json("posts")[0]["status"] == "taken_down", "still down on the platform until it puts it back"
    tracker("post", "set", "1", "--status", "live")  # the owner confirms it is back
    history = [e for e in tracker.json("show", "1")["events"] if e["action"] == "update" and "status" in e["changes"]]
    assert [e["changes"]["status"] for e in history] == [["live", "taken_down"], ["taken_down", "live"]] * 2
    one_error(tracker("complaint", "confirm", "1", ok=False), "no take-down in force")

    data = tracker.json("complaint", "show", "1")
    decisions = data["decisions"]
    assert [d["action"] for d in decisions] == ["take_down", "dispute"]
    assert decisions[0]["supersedes"] is None and decisions[0]["notes"] == "Better safe."
    assert decisions[1]["supersedes"] == decisions[0]["id"] and decisions[1]["reason"] == "small_part"
    assert decisions[1]["post_ids"] == [1] and decisions[1]["decided_at"]
    assert data["current_decision"] == decisions[1]["id"]
    shown = tracker("complaint", "show", "1").stdout
    assert "dispute: only a small part resembles" in shown and "(revises decision #1)" in shown


def test_a_take_down_of_one_copy_names_the_same_image_still_live_elsewhere(
    tracker: Tracker, posted: Path, tmp_path: Path
) -> None:
    tracker("log", tmp_path / "forge.png", "--url", X_POST)  # the same picture, on X too: post #2
    tracker("complaint", "add", "--post", X_POST, "--name", "Mizuno")
    out = tracker("complaint", "decide", "1", "--action", "take_down").stdout
    assert f"to remove  #2 [live] {X_POST}" in out
    assert f"also live  #1 {PIXIV}  (the same image as post #2; not in this take-down)" in out
    assert "tracker complaint decide 1 --action take_down --post 2 --post 1" in out, "the hint keeps post #2"
    tracker("complaint", "decide", "1", "--action", "take_down", "--post", "1", "--post", "2")
    again = tracker("complaint", "decide", "1", "--action", "take_down", "--post", "1", "--post", "2").stdout
    assert "also live" not in again


def test_dispute_needs_a_reason_and_only_a_dispute_takes_one(tracker: Tracker, posted: Path) -> None:
    tracker("complaint", "add", "--post", "1")
    one_error(tracker("complaint", "decide", "1", "--action", "dispute", ok=False), "a dispute needs a reason")
    one_error(
        tracker("complaint", "decide", "1", "--action", "invalid", "--reason", "other", ok=False),
        "only a dispute takes a reason",
    )
    several = ("--reason", "other", "--reason", "small_part")
    refused = tracker("complaint", "decide", "1", "--action", "take_down", *several, ok=False)
    one_error(refused, "only a dispute takes a reason: leave out --reason other, small_part for take_down")
    assert "a dispute has one reason" not in refused.stderr, "a take-down is no dispute"
    assert tracker.json("complaint", "show", "1")["decisions"] == []
    one_error(tracker("complaint", "decide", "7", "--action", "invalid", ok=False), "no complaint #7")


def test_decide_takes_down_only_the_posts_given(tracker: Tracker, posted: Path, tmp_path: Path) -> None:
    second = write_png(tmp_path / "a.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=5))
    tracker("log", second, "--url", X_POST)
    tracker("complaint", "add", "--post", PIXIV, "--post", "2")
    other_spelling = "https://twitter.com/moth_ai/status/1800000000000000001"
    tracker("complaint", "decide", "1", "--action", "take_down", "--post", other_spelling)
    tracker("complaint", "confirm", "1")
    status = {p["url"]: p["status"] for p in tracker.json("posts")}
    assert status == {PIXIV: "live", X_POST: "taken_down"}
    assert tracker.json("complaint", "show", "1")["decisions"][0]["post_ids"] == [2]
    missing = tracker(
        "complaint", "decide", "1", "--action", "take_down", "--post", "https://x.com/a/status/5", ok=False
    )
    one_error(missing, "no post")
    assert len(tracker.json("complaint", "show", "1")["decisions"]) == 1


def test_reply_then_answered(tracker: Tracker, posted: Path, isolated_env: Path) -> None:
    tracker("complaint", "add", "--post", PIXIV, "--name", "Ann", "--work-title", "Sunset", "--ticket", "T-1")
    one_error(tracker("complaint", "reply", "1", ok=False), "no decision yet")
    tracker("complaint", "decide", "1", "--action", "take_down")
    tracker("complaint", "add", "--received", days_ago(30), "--basis", "jp", "--name", "Bob")  # overdue, open
    assert tracker("status", ok=False).exit_code == 1

    draft = tracker("complaint", "reply", "1").stdout
    assert draft.startswith("Dear Ann,")
    assert "- https://www.pixiv.net/artworks/123" in draft and "not an admission" in draft
    assert '(case T-1) about "Sunset"' in draft and "hassakuXL_v13 (163ac69059)" in draft
    assert "I am removing the following post:" in draft, "not confirmed removed yet"
    assert "I removed" not in draft, "one tense: the post is being removed, not removed already"
    assert draft.rstrip().endswith("Kind regards,\n\nmoth"), "signed with the persona"
    assert tracker.json("complaint", "show", "1")["status"] == "decided"  # a draft changes nothing
    tracker("complaint", "confirm", "1")
    draft = tracker("complaint", "reply", "1").stdout
    assert "I have removed the following post:" in draft

    answered = tracker("complaint", "reply", "1", "--answered")
    assert answered.stdout == draft
    assert "marked answered" in answered.stderr
    data = tracker.json("complaint", "show", "1")
    assert data["status"] == "answered" and data["answered_at"] and data["reply_text"] == draft
    assert [c["id"] for c in tracker.json("complaint", "list")] == [2]
    assert [c["id"] for c in tracker.json("complaint", "list", "--all")] == [2, 1]

    tracker("complaint", "decide", "2", "--action", "invalid")
    as_json = tracker.json("complaint", "reply", "2", "--answered")
    assert as_json["action"] == "invalid" and as_json["answered"] is True and "Dear Bob," in as_json["text"]
    status = tracker("status")
    assert status.exit_code == 0 and status.stdout.strip() == "no unanswered complaints"


def test_overdue_complaint_fails_status(tracker: Tracker, posted: Path) -> None:
    tracker("complaint", "add", "--post", PIXIV, "--basis", "jp", "--received", days_ago(30), "--name", "Late Larry")
    tracker("complaint", "add", "--basis", "dmca", "--persona", "moth", "--name", "Prompt Polly")  # due in 10 days
    data = tracker.json("complaint", "show", "1")
    received = datetime.fromisoformat(data["received_at"])
    assert datetime.fromisoformat(data["deadline_at"]) - received == timedelta(days=7)
    assert data["overdue"] is True

    status = tracker("status", ok=False)
    assert status.exit_code == 1
    lines = status.stdout.splitlines()
    assert lines[0] == "1 complaint OVERDUE, 2 unanswered in all"
    assert len(lines) == 3 and "#1" in lines[1] and "OVERDUE" in lines[1]
    assert (
        lines[2].startswith("Provenance: ") and " live post" in lines[2]
    )  # the fixture's posts name models of unknown licence
    assert "Late Larry" in lines[1] and "Japanese platform law" in lines[1]
    as_json = tracker("status", "--json", ok=False)
    assert as_json.exit_code == 1 and '"overdue": 1' in as_json.stdout

    listed = tracker("complaint", "list").stdout.splitlines()
    assert "OVERDUE" in listed[1] and listed[1].startswith("1 ") and "OVERDUE" not in listed[2]
    assert "\x1b" not in tracker("complaint", "list").stdout, "no colour codes in a pipe or a file"
    red = click.style("OVERDUE", fg="red", bold=True)
    on_terminal = tracker.runner.invoke(cli, ["complaint", "list"], color=True).stdout.splitlines()
    assert red in on_terminal[1] and "\x1b" not in on_terminal[0] + on_terminal[2], "only the overdue row is red"
    on_terminal = tracker.runner.invoke(cli, ["status"], color=True).stdout.splitlines()
    assert red in on_terminal[1] and "\x1b" not in on_terminal[0]
    plain = tracker.runner.invoke(cli, ["complaint", "list"], color=True, env={"NO_COLOR": "1"}).stdout
    assert "OVERDUE" in plain and "\x1b" not in plain

    tracker("complaint", "decide", "1", "--action", "withdrawn")  # closes it
    status = tracker("status")
    assert status.stdout.splitlines()[0] == "1 complaint unanswered, none overdue"


def test_a_complaint_due_today_is_due_not_overdue(tracker: Tracker, posted: Path) -> None:
    tracker("complaint", "add", "--post", PIXIV, "--received", days_ago(3), "--deadline", "today")
    assert tracker.json("complaint", "show", "1")["overdue"] is False  # a deadline given as a day: all of it
    status = tracker("status", ok=False)
    assert status.exit_code == 3, "due today: its own exit code, so cron warns before the deadline passes"
    assert status.stdout.splitlines()[:2] == ["1 complaint unanswered, none overdue", "1 due today (#1)"]
    passed = (datetime.now().astimezone() - timedelta(minutes=1)).replace(second=0, microsecond=0)
    tracker("complaint", "add", "--post", PIXIV, "--received", days_ago(3), "--deadline", passed.isoformat())
    status = tracker("status", ok=False)
    assert status.exit_code == 1, "a time of day that has passed (明日の17時まで, at 20:00): overdue, not due today"
    lines = status.stdout.splitlines()
    assert lines[0] == "1 complaint OVERDUE, 2 unanswered in all" and "1 due today (#1)" in lines
    assert f"  #2  OVERDUE since {passed:%Y-%m-%d %H:%M} {local_zone(passed)}  unnamed  none given" in lines, (
        "since the time it named"
    )


def test_explicit_deadline_and_message_file(tracker: Tracker, posted: Path, tmp_path: Path) -> None:
    message = tmp_path / "notice.txt"
    message.write_text("Dear sir,\n\nyou copied my sunset.\n", encoding="utf-8")
    tracker(
        "complaint", "add", "--post", "1", "--received", "2026-01-05T10:00:00Z",
        "--deadline", "2026-02-01T00:00:00Z", "--message-file", message,
    )  # fmt: skip
    data = tracker.json("complaint", "show", "1")
    assert data["deadline_at"] == "2026-02-01T00:00:00+00:00"
    assert data["message"] == "Dear sir,\n\nyou copied my sunset."
    assert "you copied my sunset." in tracker("complaint", "show", "1").stdout
    early = tracker("complaint", "add", "--received", "2026-01-05", "--deadline", "2026-01-01", ok=False)
    one_error(early, "before the complaint was received")
    both = tracker("complaint", "add", "--message", "x", "--message-file", message, ok=False)
    one_error(both, "not both")


def test_read_only_commands_create_no_database(tracker: Tracker, isolated_env: Path) -> None:
    tracker("status", ok=False)  # no database is an error (exit 2: tests/cli/test_status.py), on a server none
    for command in (("complaint", "list"), ("complaint", "show", "1"), ("complaint", "reply", "1")):
        if "TRACKER_DB" in os.environ:  # PostgreSQL: the database exists, empty
            continue
        result = tracker(*command, ok=False)
        assert result.exit_code == 2 and "no database at" in result.stderr, "never 'No unanswered complaints.'"
    assert not (isolated_env / "tracker.db").exists()


def test_complainant_text_cannot_drive_the_terminal(tracker: Tracker, posted: Path) -> None:
    evil = "\x1b[31mEvil\x9b2J\u202e"
    tracker(
        "complaint", "add", "--post", PIXIV, "--name", evil, "--org", "\x1b]0;pwned\x07Org",
        "--message", "hi\x1b[2J there", "--basis", "jp", "--received", days_ago(30),
    )  # fmt: skip
    tracker(
        "complaint", "decide", "1", "--action", "ask_info", "--notes", "who \x1b[5m are you",
        "--reply-note", "and \x1b[6m why",
    )  # fmt: skip
    outputs = [
        tracker("complaint", "list").stdout,
        tracker("complaint", "list", "--json").stdout,
        tracker("complaint", "show", "1").stdout,
        tracker("complaint", "show", "1", "--json").stdout,
        tracker("complaint", "reply", "1").stdout,
        tracker("status", ok=False).stdout,
    ]
    for output in outputs:
        assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output and "\u202e" not in output
    for output in outputs[:1] + outputs[2:3] + outputs[4:]:
        assert "Evil" in output and "x1b[31m" not in output, "a pasted colour code is not kept"
    assert "who  are you" in outputs[2], "the owner sees the private note"
    assert "are you" not in outputs[4], "a private note never reaches the reply"
    assert "and  why" in outputs[4]


def test_complaint_commands_have_help(tracker: Tracker) -> None:
    for command in ("add", "list", "show", "decide", "reply"):
        assert "Usage:" in tracker("complaint", command, "--help").stdout
    assert "status" in tracker("--help").stdout and "complaint" in tracker("--help").stdout
    assert "dmca: signature, work" in tracker("complaint", "add", "--help").stdout


def test_the_list_lines_up_with_japanese_names(tracker: Tracker, posted: Path) -> None:
    tracker("complaint", "add", "--post", PIXIV, "--name", "山田 花子", "--basis", "jp")
    tracker("complaint", "add", "--post", PIXIV, "--name", "Ann Lee", "--basis", "jp")
    header, *lines = tracker("complaint", "list").stdout.splitlines()
    posts_column = [cell_width(line[: line.index("#1")]) for line in lines]
    assert len(set(posts_column)) == 1, lines  # the POSTS column starts at the same terminal column
    assert cell_width(header[: header.index("POSTS")]) == posts_column[0]
