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
    answered("complaint", "decide", "1", "--action", "dispute", "--reason", "small_part", "--notes", "Second look.")
    assert answered.json("complaint", "show", "1")["reply_text"] is None, "a new decision sets the letter aside"
    history = _history(answered("complaint", "show", "1").stdout)
    assert f'decision #1: take down, posts: #1, notes (private, never sent): "{NOTES}"' in history
    assert "decision #2: dispute, reason: only a small part resembles, posts: #1, revises decision #1" in history
    assert "reply: the letter sent is set aside for a new decision" in history

    letters = answered("complaint", "show", "1", "--reply").stdout
    assert letters.startswith("Letter sent ") and "(complaint #1):\n" in letters
    assert letters.split(":\n", 1)[1] == first, "the letter exactly as it went out"
    assert REPLY_NOTE in letters and NOTES not in letters

    answered("complaint", "reply", "1", "--answered")
    second = answered.json("complaint", "show", "1")["reply_text"]
    letters = answered("complaint", "show", "1", "--reply").stdout
    assert "(complaint #1, 1 of 2):\n" in letters and "(complaint #1, 2 of 2):\n" in letters
    assert [letter["text"] for letter in answered.json("complaint", "show", "1", "--reply")] == [first, second]


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
    assert '"line\\x0a\\x1b]0;pwned\\x07"' in shown
