"""The letter kept as sent is the one the owner sent, and a reply marked sent by mistake can be unmarked.

Moth drafts the reply to Jane Doe's complaint with `--out`, changes it in a mail program and sends it: the record
(`complaint show --reply`) must hold what went out, with the subject line as sent (`--answered --text FILE`).
A mark made on the wrong complaint is undone with `--not-answered`: unanswered again, the letter no longer
counted as sent, both steps in the history.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pytestmark = pytest.mark.db

EDITED = "Dear Jane Doe,\n\nI have taken the picture down this morning. Sorry for the trouble.\n\nmoth\n"


@pytest.fixture
def decided(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1 of moth; complaint #1 from Jane Doe about it, decided: take it down."""
    image = tmp_path / "scene.png"
    drawing(1).save(image)
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/131000001", "--persona", "moth")
    tracker("complaint", "add", "--name", "Jane Doe", "--post", "1", "--message", "Please remove it.")
    tracker("complaint", "decide", "1", "--action", "take_down")
    return tracker


def test_the_letter_edited_before_it_was_sent_is_the_one_kept(decided: Tracker, tmp_path: Path) -> None:
    draft = tmp_path / "reply.txt"
    decided("complaint", "reply", "1", "--out", draft)
    assert draft.read_text(encoding="utf-8").startswith("Subject: ")
    draft.write_text("Subject: Your picture: removed\n\n" + EDITED.replace("trouble", "\x1b[31mtrouble\x1b[0m"))
    said = decided("complaint", "reply", "1", "--answered", "--text", draft)
    assert said.stdout == "", "the draft is not printed: it is not what was sent"
    assert "marked answered (the letter in" in said.stderr and "kept as sent" in said.stderr
    assert "subject line: Your picture: removed" in said.stderr
    shown = decided.json("complaint", "show", "1")
    assert (shown["status"], shown["reply_text"]) == ("answered", EDITED)
    letters = decided.json("complaint", "show", "1", "--reply")
    assert [(letter["subject"], letter["text"]) for letter in letters] == [("Your picture: removed", EDITED)]
    assert "Subject: Your picture: removed\n\nDear Jane Doe," in decided("complaint", "show", "1", "--reply").stdout


def test_a_letter_without_a_subject_line_keeps_the_drafted_subject(decided: Tracker, tmp_path: Path) -> None:
    sent = tmp_path / "sent.txt"
    sent.write_text(EDITED.replace("\n", "\r\n"), encoding="utf-8")
    kept = decided.json("complaint", "reply", "1", "--answered", "--text", sent)
    drafted = decided.json("complaint", "reply", "1")["subject"]
    assert (kept["text"], kept["subject"], kept["answered"], kept["action"]) == (EDITED, drafted, True, "take_down")
    assert decided.json("complaint", "show", "1", "--reply")[0]["subject"] == drafted


def test_a_letter_file_that_is_no_letter_is_refused_and_nothing_is_recorded(decided: Tracker, tmp_path: Path) -> None:
    files = {"binary.txt": b"\x00\x00\x00", "empty.txt": b"  \n\n", "latin1.txt": "Dear Jos\xe9".encode("latin-1")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    for args, said in (
        (["--answered", "--text", tmp_path / "binary.txt"], "binary data, not the text of a letter: nothing recorded"),
        (["--answered", "--text", tmp_path / "empty.txt"], "holds no letter (it is empty): nothing recorded"),
        (["--answered", "--text", tmp_path / "latin1.txt"], "the letter file is not UTF-8 text"),
        (["--answered", "--text", tmp_path / "missing.txt"], "no such letter file"),
        (["--text", tmp_path / "empty.txt"], "--text is the letter you sent: give it with --answered"),
        (["--answered", "--text", tmp_path / "empty.txt", "--out", tmp_path / "o.txt"], "not both"),
    ):
        refused = decided("complaint", "reply", "1", *args, ok=False)
        assert refused.exit_code != 0 and said in refused.stderr and len(refused.stderr.splitlines()) == 1, args
    assert decided.json("complaint", "show", "1")["status"] == "decided"
    assert not (tmp_path / "o.txt").exists()


def test_a_reply_marked_sent_by_mistake_is_unmarked_and_the_history_says_so(decided: Tracker) -> None:
    refused = decided("complaint", "reply", "1", "--not-answered", ok=False)
    assert refused.exit_code != 0 and "complaint #1 is not marked answered: nothing to undo" in refused.stderr
    decided("complaint", "reply", "1", "--answered")
    assert json.loads(decided("status", "--json", ok=False).stdout)["unanswered"] == 0
    said = decided("complaint", "reply", "1", "--not-answered")
    assert "complaint #1 is no longer marked answered: unanswered again" in said.stderr
    shown = decided.json("complaint", "show", "1")
    assert (shown["status"], shown["answered_at"], shown["reply_text"]) == ("decided", None, None)
    assert json.loads(decided("status", "--json", ok=False).stdout)["unanswered"] == 1
    assert decided.json("complaint", "show", "1", "--reply") == [], "that letter was never sent"
    text = decided("complaint", "show", "1").stdout
    assert "complaint answered" in text and "complaint not answered" in text
    assert "reply: marked sent by mistake: no letter counted as sent by it (still in the trail)" in text
    again = decided("complaint", "reply", "1", "--not-answered", ok=False)
    assert "nothing to undo" in again.stderr
    mixed = decided("complaint", "reply", "1", "--not-answered", "--answered", ok=False)
    assert mixed.exit_code == 2 and "--not-answered undoes a mark: give it alone" in mixed.stderr
    decided("complaint", "reply", "1", "--answered")  # sent for real, later: one letter on record
    assert len(decided.json("complaint", "show", "1", "--reply")) == 1


def test_the_letter_kept_from_the_tui_is_recorded_as_text(decided: Tracker, isolated_env: Path) -> None:
    """The TUI's copy (`replies-out/`) stands in for the draft, read as text from outside: escapes go."""
    kept = isolated_env / "replies-out" / "complaint-1-en.txt"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text("Subject: Removed\n\n" + EDITED.replace("trouble", "\x1b]52;c;aGk=\x07trouble"), encoding="utf-8")
    recorded = decided.json("complaint", "reply", "1", "--answered")
    assert (recorded["text"], recorded["subject"], recorded["answered"]) == (EDITED, "Removed", True)
    assert "as you copied or saved it on" in recorded["warnings"][0]
    assert decided.json("complaint", "show", "1", "--reply")[0]["text"] == EDITED
    both = decided("complaint", "reply", "1", "--answered", "--new-draft", "--text", kept, ok=False)
    assert both.exit_code == 2 and "not both" in both.stderr


@pytest.mark.parametrize(
    "content", [EDITED.replace("Sorry", "Entschuldigung f\xfcr").encode("latin-1"), EDITED.encode() + b"\x00\x01"]
)
def test_a_kept_letter_that_cannot_be_read_is_never_replaced_by_the_draft_as_sent(
    decided: Tracker, isolated_env: Path, content: bytes
) -> None:
    """A hand edit of the TUI's copy saved as Latin-1, or with binary in it: the letter sent is not the draft, so
    `--answered` records nothing and says how to record either; printing the reply says the copy was not read."""
    kept = isolated_env / "replies-out" / "complaint-1-en.txt"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(content)
    printed = decided("complaint", "reply", "1")
    assert "cannot be read as a letter" in printed.stderr and printed.stdout.startswith("Dear Jane Doe,")
    refused = decided("complaint", "reply", "1", "--answered", ok=False)
    assert refused.exit_code == 2 and "nothing recorded" in refused.stderr and "--text FILE" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert decided.json("complaint", "show", "1")["status"] != "answered"
    assert decided.json("complaint", "reply", "1", "--answered", "--new-draft")["answered"] is True
