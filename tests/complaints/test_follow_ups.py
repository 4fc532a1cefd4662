"""A later message from a complaint's sender is kept with that complaint (`tracker complaint message N`).

Jane Doe's notice about post #1 was answered with questions; her answer arrives by mail. Kept with
complaint #1 (with the date it arrived, the first message untouched), it is shown by `complaint show`
and in its history. Logged with `complaint add` instead, the intake points at complaint #1 (a hint,
never a refusal).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker, decided_on
from fixtures.drawings import drawing

from tracker.support.dates import local_day

pytestmark = pytest.mark.db

POST = "https://www.pixiv.net/artworks/131000001"
NOTICE = f"I am the author of https://example.art/harbour. Your post {POST} copies it. Please remove it."
ANSWER = "My original is at https://example.art/harbour, first posted in 2024. Please remove the copy."


def mail(path: Path, text: str, sender: str = "Jane Doe <jane@example.com>", when: datetime | None = None) -> Path:
    message = EmailMessage()
    message["From"] = sender
    message["Subject"] = "Re: your questions"
    message["Date"] = format_datetime(when or datetime(2026, 12, 5, 9, 30, tzinfo=UTC))
    message.set_content(text)
    path.write_bytes(message.as_bytes())
    return path


@pytest.fixture
def asked(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> Tracker:
    """Post #1 of moth; complaint #1 from Jane Doe about it, answered with questions (ask_info) decided on
    2 December."""
    image = tmp_path / "scene.png"
    drawing(1).save(image)
    tracker("log", image, "--url", POST, "--persona", "moth")
    tracker(
        "complaint", "add", "--name", "Jane Doe", "--contact", "jane@example.com", "--post", "1",
        "--message", NOTICE, "--received", "2026-12-01T09:00Z",
    )  # fmt: skip
    tracker("complaint", "decide", "1", "--action", "ask_info")
    tracker("complaint", "reply", "1", "--answered")
    decided_on(isolated_env, datetime(2026, 12, 2, 9, tzinfo=UTC))
    return tracker


def test_a_later_message_is_kept_with_its_date_and_the_first_stays(asked: Tracker, tmp_path: Path) -> None:
    said = asked("complaint", "message", "1", "--from", str(mail(tmp_path / "answer.eml", ANSWER))).stdout
    assert "(2 messages now: tracker complaint show 1)" in said
    shown = asked.json("complaint", "show", "1")
    assert shown["message"] == NOTICE, "the message it was logged with is never overwritten"
    assert shown["follow_ups"] == [
        {
            "received_at": "2026-12-05T09:30:00+00:00",
            "message": f"Subject: Re: your questions\n\n{ANSWER}",
            "sent_utc_offset": 0,  # the sender's clock, as its Date gives it: the day it is shown on
        }
    ]
    text = asked("complaint", "show", "1").stdout
    assert "  follow-up  received 2026-12-05 " in text and ANSWER in text
    assert [line for line in text.splitlines() if "complaint message #1" in line and "follow-up of 2026-12-05" in line]
    assert [c["id"] for c in asked.json("complaint", "list", "--all")] == [1], "no complaint of its own"


def test_a_typed_message_takes_the_day_given_and_several_are_kept_in_order(asked: Tracker) -> None:
    asked("complaint", "message", "1", "--message", "A second reminder.", "--received", "2026-12-07T10:00Z")
    asked("complaint", "message", "1", "--message", "A first reminder.", "--received", "2026-12-06T10:00Z")
    later = asked.json("complaint", "show", "1")["follow_ups"]
    assert [(m["received_at"], m["message"]) for m in later] == [
        ("2026-12-06T10:00:00+00:00", "A first reminder."),
        ("2026-12-07T10:00:00+00:00", "A second reminder."),
    ]


def test_what_cannot_be_kept_is_one_line_and_keeps_nothing(asked: Tracker, tmp_path: Path) -> None:
    asked("complaint", "message", "1", "--message", "Any news?", "--received", "2026-12-06T10:00Z")
    asked("complaint", "add", "--name", "Jane Doe", "--message", "A note logged twice by mistake")
    asked("complaint", "close", "2", "--duplicate-of", "1")
    for args, said in (
        (["1", "--message", "Any news?"], "complaint #1 already holds this message: nothing added"),
        (["1", "--message", NOTICE], "complaint #1 already holds this message: nothing added"),
        (["1", "--message", "  "], "the message is empty: nothing added"),
        (["1"], "give one of --from, --message or --message-file"),
        (["1", "--message", "x", "--from", str(tmp_path / "a.eml")], "give one of --from, --message or --message-file"),
        (["1", "--message", "Early", "--received", "2026-11-30T10:00Z"], "it arrived before complaint #1 was received"),
        (["2", "--message", "More"], "complaint #2 is closed as a duplicate of #1: add it to #1"),
        (["9", "--message", "More"], "no complaint #9"),
    ):
        refused = asked("complaint", "message", *args, ok=False)
        assert refused.exit_code != 0 and said in refused.stderr and len(refused.stderr.splitlines()) == 1, args
    assert [m["message"] for m in asked.json("complaint", "show", "1")["follow_ups"]] == ["Any news?"]


def test_logging_a_follow_up_as_a_new_complaint_points_at_the_earlier_one(asked: Tracker, tmp_path: Path) -> None:
    answer = mail(tmp_path / "answer.eml", f"{ANSWER} The post: {POST}")
    logged = asked("complaint", "add", "--from", str(answer))
    assert logged.exit_code == 0 and "Logged complaint #2" in logged.stdout, "a hint, never a refusal"
    assert (
        "complaint #1 from the same sender names post #1 too: a follow-up? Keep it with #1: "
        f"tracker complaint message 1 --from {answer}, then tracker complaint close 2 --duplicate-of 1"
    ) in logged.stderr
    other = mail(tmp_path / "other.eml", f"Please remove {POST}.", sender="Someone Else <else@example.org>")
    assert "same sender" not in asked("complaint", "add", "--from", str(other)).stderr


def test_their_answer_to_the_questions_sent_makes_the_complaint_unanswered_again(
    asked: Tracker, tmp_path: Path
) -> None:
    """Jane's answer to the questions came: the owner has to decide again, by the answer target a message gets
    (no basis: 14 days) from when it arrived, and every list that nags about unanswered complaints counts it. The
    answer came an hour ago, so its deadline is two weeks ahead whenever the test runs."""
    when = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    due = when + timedelta(days=14)
    answer = mail(tmp_path / "answer.eml", ANSWER, when=when)
    said = asked("complaint", "message", "1", "--from", str(answer)).stdout
    assert f"complaint #1 is unanswered again: answer by {due:%Y-%m-%d %H:%M} UTC" in said
    assert "tracker complaint decide 1 --action" in said
    status = json.loads(asked("status", "--json", ok=False).stdout)
    assert status["unanswered"] == 1 and status["awaiting_their_answer"] == [], "needs the owner, not the sender"
    assert "waiting for the sender's answer" not in asked("status", ok=False).stdout
    assert [(c["id"], c["status"], c["deadline_at"]) for c in asked.json("complaint", "list")] == [
        (1, "open", due.isoformat())
    ]
    shown = asked.json("complaint", "show", "1")
    assert (shown["status"], shown["answered_at"], shown["reply_text"]) == ("open", None, None)
    text = asked("complaint", "show", "1").stdout
    assert "Complaint #1: open" in text and f"  answer by  {due:%Y-%m-%d %H:%M} UTC" in text
    assert "their answer came, to decide again (still in --reply)" in text
    assert "Letter sent" in asked("complaint", "show", "1", "--reply").stdout, "the letter sent stays on record"
    drafted = asked("complaint", "reply", "1").stderr
    assert "complaint #1 is open again: their answer came after this decision's letter was sent" in drafted
    asked("complaint", "decide", "1", "--action", "take_down")
    asked("complaint", "reply", "1", "--answered")
    assert json.loads(asked("status", "--json", ok=False).stdout)["unanswered"] == 0


def test_their_answer_logged_late_is_overdue_at_once_and_nagged_about(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """An answer that came in October, logged now: past its answer target at once, so `tracker status` says
    OVERDUE (exit 1); a second message while it is open changes nothing."""
    image = tmp_path / "scene.png"
    drawing(1).save(image)
    tracker("log", image, "--url", POST, "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--basis", "jp", "--message", NOTICE, "--received", "2026-10-01T09:00Z")
    tracker("complaint", "decide", "1", "--action", "ask_info")
    tracker("complaint", "reply", "1", "--answered")
    decided_on(isolated_env, datetime(2026, 10, 2, 9, tzinfo=UTC))
    assert tracker("status").exit_code == 0, "the sender's turn: nothing owed"
    tracker("complaint", "message", "1", "--message", ANSWER, "--received", "2026-10-05T10:00Z")
    again = tracker("complaint", "message", "1", "--message", "Any news?", "--received", "2026-10-06T10:00Z")
    assert "unanswered again" not in again.stdout, "open already: a second message changes nothing"
    status = tracker("status", ok=False)
    assert status.exit_code == 1 and "1 complaint OVERDUE, 1 unanswered in all" in status.stdout
    assert "#1" in status.stdout.splitlines()[1] and "2026-10-12" in status.stdout, "Japan's 7 days from 5 October"
    assert [c["id"] for c in json.loads(tracker("complaint", "list", "--json").stdout) if c["overdue"]] == [1]


def test_a_message_before_the_reply_was_sent_or_after_another_answer_changes_nothing(
    tracker: Tracker, tmp_path: Path
) -> None:
    image = tmp_path / "scene.png"
    drawing(1).save(image)
    tracker("log", image, "--url", POST, "--persona", "moth")
    for n in (1, 2, 3):
        tracker("complaint", "add", "--post", "1", "--message", f"{NOTICE} ({n})", "--received", "2026-12-01T09:00Z")
    tracker("complaint", "decide", "2", "--action", "ask_info")  # decided, the questions not sent yet
    tracker("complaint", "decide", "3", "--action", "dispute", "--reason", "independent_creation")
    tracker("complaint", "reply", "3", "--answered")  # a dispute sent: their protest is theirs to make
    before = {c["id"]: (c["status"], c["deadline_at"]) for c in tracker.json("complaint", "list", "--all")}
    for n in (1, 2, 3):
        said = tracker("complaint", "message", str(n), "--message", ANSWER, "--received", "2026-12-02T10:00Z")
        assert "unanswered again" not in said.stdout
        assert tracker.json("complaint", "show", str(n))["follow_ups"]
    after = {c["id"]: (c["status"], c["deadline_at"]) for c in tracker.json("complaint", "list", "--all")}
    assert after == before


def test_a_message_from_before_the_decision_to_ask_is_kept_but_answers_nothing(tracker: Tracker) -> None:
    """Received 10 November, asked today, marked sent today: a message of 15 November cannot answer a letter not
    yet decided, so the complaint stays answered, waiting (never overdue at once); one of today does answer it."""
    tracker("complaint", "add", "--message", NOTICE, "--received", "2026-11-10")
    tracker("complaint", "decide", "1", "--action", "ask_info")
    tracker("complaint", "reply", "1", "--answered")
    early = tracker("complaint", "message", "1", "--message", "Any news?", "--received", "2026-11-15")
    assert "It arrived before you decided to ask them for more" in early.stdout
    assert "complaint #1 stays answered, waiting for their answer" in early.stdout
    assert "unanswered again" not in early.stdout
    shown = tracker.json("complaint", "show", "1")
    assert (shown["status"], len(shown["follow_ups"])) == ("answered", 1), "kept all the same"
    assert tracker("status").exit_code == 0, "nothing overdue"
    today = tracker("complaint", "message", "1", "--message", ANSWER, "--received", local_day(datetime.now(UTC)))
    assert "complaint #1 is unanswered again" in today.stdout, "an answer typed as today's day counts"


def test_a_message_dated_later_than_now_is_kept_with_a_warning(asked: Tracker, tmp_path: Path) -> None:
    typed = asked("complaint", "message", "1", "--message", "Any news?", "--received", "2099-01-01")
    assert "--received 2099-01-01 is later than now: kept as given; check when it arrived" in typed.stderr
    dated = mail(tmp_path / "late.eml", ANSWER).read_text().replace("05 Dec 2026", "05 Dec 2098")
    (tmp_path / "late.eml").write_text(dated)
    read = asked("complaint", "message", "1", "--from", str(tmp_path / "late.eml"))
    assert "the message's date, 2098-12-05 09:30" in read.stderr and "is later than now: kept as read" in read.stderr


async def test_the_dashboard_lists_their_answer_among_the_complaints_to_answer(asked: Tracker) -> None:
    from fixtures.tui import make_app, screen_lines, settled, wait_for

    from tracker.tui.screens.dashboard import DashboardScreen

    asked("complaint", "message", "1", "--message", ANSWER, "--received", "2026-12-05T09:30Z")
    app = make_app(datetime(2026, 12, 6, 1, 0, tzinfo=UTC))
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        lines = screen_lines(app)
        assert not any("awaiting answer" in line for line in lines)
        assert any("#1" in line and "open" in line and "2026-12-19" in line for line in lines), lines
        assert "1 complaint unanswered" in str(app.screen.query_one("#banner").render())


def test_a_complaint_opened_again_by_their_answer_is_no_duplicate_to_close(asked: Tracker) -> None:
    """The letter that asked went out: the correspondence is real, whatever its status now."""
    asked("complaint", "message", "1", "--message", "Here is my original.", "--received", "2026-12-06T10:00Z")
    asked("complaint", "add", "--name", "Jane Doe", "--message", "Your post copies my work, please remove it.")
    refused = asked("complaint", "close", "1", "--duplicate-of", "2", ok=False)
    assert refused.exit_code != 0 and "was answered (a reply went out)" in refused.stderr
    assert asked.json("complaint", "show", "1")["status"] == "open"
