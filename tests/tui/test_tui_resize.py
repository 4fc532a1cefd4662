"""Shrinking the terminal keeps the focused field, and its cursor, on the screen: what is typed next is seen where
it goes (it went unseen into a message box scrolled off the form, or a sentence box under the private notes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import candidates_loaded, make_app, screen_lines, settled, wait_for
from textual.pilot import Pilot
from textual.widgets import TextArea

from tracker.tui.app import TrackerApp
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.intake import IntakeScreen

pytestmark = pytest.mark.db

LONG = "\n".join(f"{n}行目：私の作品に似ています。削除をお願い申し上げます。" for n in range(1, 21))
"""A long Japanese message, pasted: taller than its box."""


def cursor_shown(app: TrackerApp, area: TextArea) -> bool:
    """The cell under the text cursor is the text area's, on the screen (not under the footer, not cut off)."""
    x, y = area.cursor_screen_offset
    width, height = app.size
    return 0 <= x < width and 0 <= y < height and app.screen.get_widget_at(x, y)[0] is area


async def shrink_and_type(pilot: Pilot[None], area: TextArea, typed: str, size: tuple[int, int] = (60, 15)) -> None:
    """Resize (60x15: a tmux pane split), and type: the cursor and what is typed stay in view."""
    await pilot.resize_terminal(*size)
    await settled(pilot)
    await pilot.pause()
    assert cursor_shown(pilot.app, area), "the focused box and its cursor are on the screen"  # type: ignore[arg-type]
    await pilot.press(*typed)
    await pilot.pause()
    assert any(typed in line for line in screen_lines(pilot.app)), "what is typed is seen"  # type: ignore[arg-type]


async def test_the_message_typed_into_stays_in_view_after_the_terminal_shrinks(tracker: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        area = form.query_one("#message", TextArea)
        area.focus()
        area.text = LONG
        area.move_cursor((10, area.document.get_line(10).index("申し上げ")))  # in the middle
        await pilot.pause()
        await shrink_and_type(pilot, area, "ZZZ")
        assert area.document.get_line(10).endswith("お願いZZZ申し上げます。")


@pytest.mark.parametrize("size", [(60, 15), (60, 13)])
async def test_the_sentence_for_the_complainant_stays_in_view_after_the_terminal_shrinks(
    tracker: Tracker, tmp_path: Path, size: tuple[int, int]
) -> None:
    """At 60x13 the form shows three rows: the box's first ones would hide its last line, where the cursor is."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please take my picture down.")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        await pilot.press("d")
        await settled(pilot)
        dialog = app.screen
        assert isinstance(dialog, DecisionScreen)
        area = dialog.query_one("#reply-note", TextArea)
        area.focus()
        await pilot.press(*"Thank you", "enter", *"for", "enter", *"writing", "enter", *"Regards")
        await shrink_and_type(pilot, area, " Z", size)
        assert area.text == "Thank you\nfor\nwriting\nRegards Z"
