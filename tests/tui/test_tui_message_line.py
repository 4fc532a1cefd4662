"""The complaint screen's "message:" line gives the first words of what the sender wrote: a message pasted as a whole
e-mail, headers and all, showed `From: … To: …` there instead. The message itself stays stored as it came."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import candidates_loaded, make_app, settled, wait_for
from textual.widgets import Static

from tracker.complaints.reading.mail_parts import message_body

pytestmark = pytest.mark.db

SMALL = (80, 24)
HEADERS = (
    "From: Sato Hana <hana@example.jp>\n"
    "To: moth@example.org\n"
    "Subject: 無断転載について\n"
    "Date: Mon, 30 Nov 2026 10:00:00 +0900\n\n"
)
WORDS = "私の作品を無断で使用した画像が投稿されています。削除をお願いいたします。"


async def test_the_message_line_starts_with_the_words_not_the_headers(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "Sato Hana", "--message", HEADERS + WORDS)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        summary = str(app.screen.query_one("#summary-text", Static).render())
        line = next(row for row in summary.split("\n") if row.startswith("message: "))
        assert line.startswith("message: 私の作品を無断で使用した"), line
        assert "From:" not in line and "(m: whole message)" in line, "the headers are a key away"
    assert tracker.json("complaint", "show", "1")["message"].startswith("From: Sato Hana"), "stored as it came"


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("差出人：佐藤 花子 <hana@example.jp>\n件名：削除のお願い\n本文です。", "本文です。"),
        ("From: a@example.org\n  (continued)\nX-Mailer: Foo\n\nHello.", "Hello."),
        ("URL: https://example.org/1\n\nPlease remove it.", None),  # a label of the message's own: kept
        ("Subject: only headers\n", None),  # nothing after them: the text as it is
        ("Please remove: my picture", None),
    ],
)
def test_only_a_header_block_naming_a_sender_subject_or_date_is_left_out(text: str, body: str | None) -> None:
    assert message_body(text) == (body if body is not None else text)
