"""`tracker complaint show N`: its history (every change, each decision's notes and reply note, the
language set, when the reply went out), the letters sent (`--reply`), at 80 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

from tracker.support.dates import from_iso, local_minute
from tracker.support.textsafe import cell_width

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/123"
NOTES = "Private: close enough, not worth the fight."
REPLY_NOTE = "I have removed the post as a courtesy."


@pytest.fixture
def answered(tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tracker:
    """The reviewer's steps: complaint #1 about post #1 decided with notes and a reply note, its
    language set to English then Japanese, its reply marked sent; printed at 80 columns."""
    tracker(
        "log", write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT}), "--url", PIXIV, "--persona", "moth"
    )
    tracker("complaint", "add", "--post", "1", "--basis", "dmca", "--name", "Jane Roe", "--message", "my sunset")
    tracker("complaint", "decide", "1", "--action", "take_down", "--notes", NOTES, "--reply-note", REPLY_NOTE)
    tracker("complaint", "set", "1", "--lang", "en")
    tracker("complaint", "set", "1", "--lang", "ja")
    tracker("complaint", "reply", "1", "--answered")
    monkeypatch.setenv("COLUMNS", "80")
    return tracker


def _history(shown: str) -> str:
    """The history section, its folded lines joined back and its spaces single (a change may continue on
    the next line; the columns are two spaces apart)."""
    return " ".join(shown.split("\n  history\n", 1)[1].split())


def test_show_tells_the_whole_story_at_80_columns(answered: Tracker) -> None:
    shown = answered("complaint", "show", "1").stdout
    assert "  decisions\n    #1 " in shown, "what it printed before is still there, first"
    history = _history(shown)
    assert "create complaint add complaint #1 logged" in history
    assert f'notes (private, never sent): "{NOTES}"' in history
    assert f'reply note (goes into the letter): "{REPLY_NOTE}"' in history
    assert "complaint set language: (none) -> en" in history
    assert "complaint set language: en -> ja" in history
    assert "complaint answered status: decided -> answered" in history
    assert "reply: the letter sent is kept (tracker complaint show 1 --reply)" in history
    assert history.index("-> en") < history.index("en -> ja") < history.index("complaint answered"), "oldest first"
    sent = answered.json("complaint", "show", "1")["answered_at"]
    assert f"{local_minute(from_iso(sent))}  update  complaint answered" in shown, "when, in local time"
    too_wide = [line for line in shown.splitlines() if cell_width(line) > 80]
    assert not too_wide


def test_an_earlier_decision_keeps_its_notes_and_every_letter_sent_is_there(answered: Tracker) -> None:
    first = answered.json("complaint", "show", "1")["reply_text"]
    subject = answered.json("complaint", "reply", "1")["subject"]  # drafted again: as it went out
    assert subject.endswith("について（投稿削除のご報告）")
    answered("complaint", "decide", "1", "--action", "dispute", "--reason", "small_part", "--notes", "Second look.")
    assert answered.json("complaint", "show", "1")["reply_text"] is None, "a new decision sets the letter aside"
    history = _history(answered("complaint", "show", "1").stdout)
    assert f'decision #1: take down, posts: #1, notes (private, never sent): "{NOTES}"' in history
    assert "decision #2: dispute, reason: only a small part resembles, posts: #1, revises decision #1" in history
    assert "reply: the letter sent is set aside for a new decision" in history

    letters = answered("complaint", "show", "1", "--reply").stdout
    assert letters.startswith("Letter sent ") and "(complaint #1):\n" in letters
    assert letters.split(":\n", 1)[1] == f"Subject: {subject}\n\n{first}", "exactly as it went out, under its subject"
    assert REPLY_NOTE in letters and NOTES not in letters

    answered("complaint", "reply", "1", "--answered")
    second = answered.json("complaint", "show", "1")["reply_text"]
    answer = answered.json("complaint", "reply", "1")["subject"]
    assert answer.endswith("について（ご回答）")
    letters = answered("complaint", "show", "1", "--reply").stdout
    assert "(complaint #1, 1 of 2):\n" in letters and f"(complaint #1, 2 of 2):\nSubject: {answer}\n\n" in letters
    sent = answered.json("complaint", "show", "1", "--reply")
    assert [(letter["subject"], letter["text"]) for letter in sent] == [(subject, first), (answer, second)]


def test_a_letter_marked_sent_before_subjects_were_kept_still_shows(tracker: Tracker, tmp_path: Path) -> None:
    """The entry an older tracker wrote holds the letter and no subject: shown as it was, with no subject line;
    the letter sent after it, for a revised decision, is shown under its own."""
    from tracker.cli.context import AppContext  # noqa: PLC0415
    from tracker.complaints.records import get_complaint  # noqa: PLC0415
    from tracker.db.enums import ComplaintStatus  # noqa: PLC0415
    from tracker.db.session import session_scope  # noqa: PLC0415
    from tracker.support.dates import utcnow  # noqa: PLC0415

    tracker("log", write_png(tmp_path / "f.png", {"parameters": FORGE_INFOTEXT}), "--url", PIXIV, "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "Jane Roe", "--lang", "en", "--message", "my sunset")
    tracker("complaint", "decide", "1", "--action", "take_down")
    older = "Dear Jane Roe,\n\nAn older letter.\n"
    with session_scope(AppContext(db=None, data_dir=None).sessions(), command="complaint answered") as session:
        complaint = get_complaint(session, 1)  # marked sent as mark_answered did before subjects were kept
        complaint.reply_text, complaint.answered_at, complaint.status = older, utcnow(), ComplaintStatus.ANSWERED
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "small_part")
    tracker("complaint", "reply", "1", "--answered")
    subject = tracker.json("complaint", "reply", "1")["subject"]
    letters = tracker("complaint", "show", "1", "--reply").stdout
    assert "(complaint #1, 1 of 2):\n" + older in letters, "no subject line: none was kept"
    assert f"(complaint #1, 2 of 2):\nSubject: {subject}\n\nDear Jane Roe," in letters
    assert [letter["subject"] for letter in tracker.json("complaint", "show", "1", "--reply")] == [None, subject]


def test_json_gains_the_history(answered: Tracker) -> None:
    history = answered.json("complaint", "show", "1")["history"]
    assert [(e["entity"], e["command"]) for e in history] == [
        ("complaint", "complaint add"),
        ("complaint_post", "complaint add"),
        ("decision", "complaint decide #1"),
        ("complaint", "complaint decide #1"),
        ("complaint", "complaint set"),
        ("complaint", "complaint set"),
        ("complaint", "complaint answered"),
    ]
    assert history[2]["changes"]["reply_note"] == [None, REPLY_NOTE]
    assert history[4]["changes"] == {"language": [None, "en"]}


def test_a_confirmed_take_down_and_a_correction_are_in_it_and_other_complaints_are_not(answered: Tracker) -> None:
    answered("complaint", "add", "--post", "1", "--name", "Someone Else", "--message", "another")
    answered("complaint", "set", "2", "--name", "Other")
    answered("complaint", "confirm", "1")
    answered("complaint", "set", "1", "--name", "Jane Q. Roe")
    history = _history(answered("complaint", "show", "1").stdout)
    assert "complaint confirm #1 post #1 recorded removed (decision #1)" in history
    assert "post #1 status: live -> taken_down" in history
    assert 'complainant name: "Jane Roe" -> "Jane Q. Roe"' in history
    assert "Other" not in history and "complaint #2" not in history


def test_no_letter_yet_and_hostile_notes(tracker: Tracker, tmp_path: Path) -> None:
    tracker(
        "log", write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT}), "--url", PIXIV, "--persona", "moth"
    )
    tracker("complaint", "add", "--post", "1", "--name", "\x1b[2JMallory", "--message", "hi")
    tracker("complaint", "decide", "1", "--action", "take_down", "--notes", "line\n\x1b]0;pwned\x07")
    assert tracker("complaint", "show", "1", "--reply").stdout == (
        "Complaint #1: no reply marked sent (draft it: tracker complaint reply 1)\n"
    )
    shown = tracker("complaint", "show", "1").stdout
    assert "\x1b" not in shown and "\x07" not in shown
    assert 'notes (private, never sent): "line"' in shown, "the title sequence and the line end after it are not kept"
