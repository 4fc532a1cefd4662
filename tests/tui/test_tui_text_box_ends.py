"""Ctrl+End and Ctrl+Home in a text box: the end and the start of the text (Textual's TextArea binds neither, so in a
long Japanese letter at 80x24 they did nothing and what was typed next went where the cursor already was)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import make_app, settled
from textual.widgets import TextArea

from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.reply import ReplyScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


@pytest.fixture
def decided(tracker: Tracker, tmp_path: Path) -> Tracker:
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "山田 花子", "--message", "削除をお願いいたします。")
    tracker("complaint", "decide", "1", "--action", "take_down")
    return tracker


async def test_ctrl_end_and_ctrl_home_reach_the_letters_end_and_start(decided: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        letter = app.screen.query_one("#reply", TextArea)
        letter.focus()
        await pilot.pause()
        drafted = letter.text
        assert letter.cursor_location == (0, 0) and drafted.count("\n") > 10, "a long letter, the cursor at its top"
        await pilot.press("ctrl+end")
        await pilot.press(*"PS")
        assert letter.text == drafted + "PS", "typed after Ctrl+End: at the letter's end"
        assert letter.scroll_offset.y > 0, "the end of the letter is in view"
        await pilot.press("ctrl+home", "X")
        assert letter.text == "X" + drafted + "PS"
        assert letter.scroll_offset.y == 0
        await pilot.press("ctrl+shift+end")
        assert letter.selected_text == drafted + "PS", "with Shift, what the cursor passes is selected"


async def test_ctrl_end_in_the_decisions_notes(decided: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await settled(pilot)
        await pilot.press("d")
        await settled(pilot)
        assert isinstance(app.screen, DecisionScreen)
        notes = app.screen.query_one("#notes", TextArea)
        notes.text = "一行目\n二行目"
        notes.focus()
        notes.move_cursor((0, 0))
        await pilot.press("ctrl+end", "x")
        assert notes.text == "一行目\n二行目x"


async def test_the_cursor_stays_in_view_when_copy_takes_rows_from_the_letter(decided: Tracker) -> None:
    """F2 says where the letter went on three rows under it at 80x24: the letter's box grows shorter, and the line
    just typed at its end went out of view until the next key."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        letter = app.screen.query_one("#reply", TextArea)
        letter.focus()
        await pilot.press("ctrl+end", *"PS")
        await settled(pilot)
        assert letter.content_region.contains_point(letter.cursor_screen_offset)
        before = letter.content_region.height
        await pilot.press("f2")
        await settled(pilot)
        await pilot.pause()
        assert letter.content_region.height < before, "the message under the letter took some of its rows"
        assert letter.content_region.contains_point(letter.cursor_screen_offset), "the cursor, just typed at, is seen"
