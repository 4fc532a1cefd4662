"""Tab in the intake form and the reply stops only where the owner sees the focus, as in the decision form: never
on a scrolling container that shows nothing of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, settled
from rich.text import Text
from textual.widgets import Static

from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.reply import ReplyScreen

pytestmark = pytest.mark.db


async def test_tab_after_save_in_the_intake_form_goes_back_to_the_first_field(tracker: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        app.action_new_complaint()
        await settled(pilot)
        assert isinstance(app.screen, IntakeScreen)
        app.screen.query_one("#save").focus()
        await pilot.press("tab")
        await settled(pilot)
        assert app.focused is not None and app.focused.id == "from-file", app.focused


async def test_tab_in_the_reply_goes_from_the_buttons_to_the_letter(tracker: Tracker, tmp_path: Path) -> None:
    """The warnings above the letter fit: Tab from the last button goes to the letter, not to them."""
    path = tmp_path / "scene.png"
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    tracker("complaint", "add", "--post", "1", "--name", "A. Painter", "--message", "take it down")
    tracker("complaint", "decide", "1", "--action", "take_down")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, ReplyScreen) and screen.draft is not None
        box = screen.query_one("#reply-warnings-box")
        assert box.display and box.max_scroll_y == 0  # a warning is shown, whole
        screen.query_one("#answered").focus()
        await pilot.press("tab")
        await settled(pilot)
        assert app.focused is not None and app.focused.id == "reply", app.focused
        # Warnings longer than their box: Tab stops there, so that the keys scroll them.
        screen.query_one("#reply-warnings", Static).update(Text("\n".join(f"warning {n}" for n in range(30))))
        await settled(pilot)
        assert box.max_scroll_y > 0
        screen.query_one("#answered").focus()
        await pilot.press("tab")
        await settled(pilot)
        assert app.focused is box, app.focused
