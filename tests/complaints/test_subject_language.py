"""A letter is answered in the language of the message's own words: its subject (a Japanese 「作品の無断使用について」
over an English body) decides only when the body says too little to tell."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

pytestmark = pytest.mark.db


def _reply(tracker: Tracker, tmp_path: Path, body: str) -> str:
    """The take-down letter to an e-mail from Aya Sasaki titled 作品の無断使用について with `body`."""
    mail = EmailMessage()
    mail["From"] = "Aya Sasaki <aya@example.com>"
    mail["Subject"] = "作品の無断使用について"
    mail["Date"] = "Sun, 06 Dec 2026 22:10:00 +0900"
    mail.set_content(body, charset="utf-8")
    path = tmp_path / "complaint.eml"
    path.write_bytes(bytes(mail))
    tracker("complaint", "add", "--from", path)
    tracker("complaint", "decide", "1", "--action", "take_down")
    return tracker("complaint", "reply", "1").stdout


def test_an_english_body_under_a_japanese_subject_is_answered_in_english(logged: Tracker, tmp_path: Path) -> None:
    letter = _reply(logged, tmp_path, f"Hello, please remove {POST}.\n")
    assert letter.startswith("Dear Aya Sasaki,\n"), letter[:80]
    assert "様" not in letter and "いたします" not in letter
    assert logged.json("complaint", "show", "1")["language"] == "en"


def test_a_body_that_says_too_little_is_answered_in_the_subjects_language(logged: Tracker, tmp_path: Path) -> None:
    letter = _reply(logged, tmp_path, f"{POST}\n")
    assert letter.startswith("Aya Sasaki 様\n"), letter[:80]


def _pasted_reply(tracker: Tracker, tmp_path: Path, text: str) -> str:
    """The take-down letter to a message pasted into a text file as `text`."""
    path = tmp_path / "pasted.txt"
    path.write_text(text, encoding="utf-8")
    tracker("complaint", "add", "--from", path)
    tracker("complaint", "decide", "1", "--action", "take_down")
    return tracker("complaint", "reply", "1").stdout


@pytest.mark.parametrize(
    "head",
    [
        "From: Aya Sasaki <aya@example.com>\n{subject}\n",
        "{subject}\nFrom: Aya Sasaki <aya@example.com>\n",
    ],
    ids=["under_from", "no_empty_line_under"],
)
def test_a_pasted_messages_subject_under_its_first_line_counts_as_the_subject(
    logged: Tracker, tmp_path: Path, head: str
) -> None:
    """A pasted e-mail's `Subject:` anywhere in its header block, not only as intake writes one (the first line, an
    empty line under it): `From:` above it, or no empty line under it. It is still the subject, not the message's
    words, and a Japanese one does not make an English letter Japanese."""
    subject = "Subject: 作品の無断使用についてのお願い"
    letter = _pasted_reply(logged, tmp_path, head.format(subject=subject) + f"\nPlease remove {POST}.\n")
    assert letter.startswith("Dear Aya Sasaki,\n"), letter[:80]
    assert "様" not in letter and "いたします" not in letter


def test_a_pasted_message_saying_too_little_is_answered_in_its_subjects_language(
    logged: Tracker, tmp_path: Path
) -> None:
    letter = _pasted_reply(logged, tmp_path, f"From: aya@example.com\nSubject: 作品の無断使用について\n\n{POST}\n")
    assert "誠にありがとうございます" in letter and "Dear" not in letter, letter[:80]
