"""A complaint pasted from a forum writes its links as BBCode (`[url]https://their.site[/url]`): the reply screen
still drafts the letter, and their square brackets stay text (no markup), on the complaint and in the letter."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import make_app, screen_lines, settled
from textual.widgets import TextArea

from tracker.complaints.letters.letter_facts import as_named
from tracker.tui.screens.reply import ReplyScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)
POST = "https://www.pixiv.net/artworks/120000005"
MESSAGE = "Please take your post down. My original is here: [url]https://kirisame.example.jp[/url] [b]thanks[/b]"


def test_a_link_in_square_brackets_is_no_title_of_the_post() -> None:
    assert as_named(POST, MESSAGE) == POST
    assert as_named(POST, "[url=https://[x]/a]") == POST


async def test_the_reply_is_drafted_for_a_message_with_forum_links(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", POST, "--persona", "moth", "--new-persona")
    tracker("complaint", "add", "--post", "1", "--name", "Lena Park", "--basis", "dmca", "--message", MESSAGE)
    tracker("complaint", "decide", "1", "--action", "take_down")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        assert not [n.message for n in app._notifications if n.severity == "error"]
        letter = app.screen.query_one("#reply", TextArea).text
        assert letter.startswith("Dear Lena Park,") and POST in letter
        assert any("Dear Lena Park," in line for line in screen_lines(app))
