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
