"""The reply screen: the letter in the complaint's language, switched with F4 and kept that way."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import SIZE, make_app, settled

from tracker.tui.screens.reply import ReplyScreen

pytestmark = pytest.mark.db


async def test_f4_switches_the_reply_between_japanese_and_english(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    message = "私の作品に似ています。削除をお願いいたします。"
    tracker("complaint", "add", "--post", "1", "--name", "山田 花子", "--message", message)
    tracker("complaint", "decide", "1", "--action", "take_down", "--notes", "private thought")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen.query_one("#reply")
        assert reply.text.startswith("山田 花子 様") and "private thought" not in reply.text
        await pilot.press("f4")
        await settled(pilot)
        assert reply.text.startswith("Dear 山田 花子,")
    assert tracker.json("complaint", "show", "1")["language"] == "en"
