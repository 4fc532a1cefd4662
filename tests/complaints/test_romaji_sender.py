"""A Japanese illustrator whose mail program sends their name in Latin letters (`From: Aya Sasaki`) and who
introduces themselves in Japanese (「佐々木彩と申します」) is greeted as they name themselves: 「佐々木彩 様」, not
「Aya Sasaki 様」 at the top of a Japanese business letter."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

pytestmark = pytest.mark.db


def _mail(path: Path, sender: str, body: str) -> Path:
    mail = EmailMessage()
    mail["From"] = sender
    mail["Subject"] = "My artwork" if body.isascii() else "作品の無断使用について"
    mail["Date"] = "Sun, 06 Dec 2026 22:10:00 +0900"
    mail.set_content(body, charset="utf-8")
    path.write_bytes(bytes(mail))
    return path


JAPANESE = (
    f"突然のご連絡失礼いたします。\nイラストレーターの佐々木彩と申します。\n\n{POST} の削除をお願いいたします。\n"
)


@pytest.mark.parametrize(
    ("sender", "body", "greeted"),
    [
        ("Aya Sasaki <aya@example.jp>", JAPANESE, "佐々木彩 様"),
        ("佐々木 彩 <aya@example.jp>", JAPANESE, "佐々木 彩 様"),  # the header's own spelling, its space kept
        ("Aya Sasaki <aya@example.jp>", f"Hello, please remove {POST}.\n", "Dear Aya Sasaki,"),
    ],
)
def test_the_name_a_japanese_writer_gives_in_japanese_is_greeted(
    logged: Tracker, tmp_path: Path, sender: str, body: str, greeted: str
) -> None:
    logged("complaint", "add", "--from", _mail(tmp_path / "c.eml", sender, body))
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert letter.splitlines()[0] == greeted, letter
