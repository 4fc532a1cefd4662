"""A message pasted into the New complaint form at 80x24 arrives whole and in order, whatever it holds.

A terminal sends a paste between bracketed-paste markers; a complaint copied from a web page or a mail
may hold terminal escape sequences (a window title, a screen clear, colours). The keyboard input is fed
through the parser the app gives the terminal driver, exactly as the driver feeds it, and every event
it makes goes to the app, as the driver sends them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.tui import make_app, screen_lines, settled, wait_for
from textual import events
from textual.drivers import linux_driver
from textual.widgets import Input, Static, TextArea

from tracker.tui.app import TrackerApp
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("tokyo_time")]

SMALL = (80, 24)
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)

PASTED = (
    "突然失礼いたします。\n"
    "\x1b]0;PWNED\x07\x1b[2J[bold red]山田 太郎[/]と申します。\n"
    "\x1b[31m対応がない場合はXに通報します。\x1b[0m\n"
    "鳴った\x07ベル\n"
)
"""The message as copied: a window title, a screen clear, colour codes, a bell, markup-looking tags."""
SHOWN = "突然失礼いたします。\n[bold red]山田 太郎[/]と申します。\n対応がない場合はXに通報します。\n鳴った\\x07ベル\n"
"""What the form shows and saves of it: in order, the escape sequences gone, the bell a visible escape."""


def typed_in(app: TrackerApp, data: str, chunk: int = 7) -> list[Any]:
    """Feed `data` to the parser the terminal driver uses, `chunk` characters a read (the markers split across
    reads), and hand every event it makes to the app, as the driver does; the events made."""
    parser = linux_driver.XTermParser()
    made: list[Any] = []
    for start in range(0, len(data), chunk):
        made.extend(parser.feed(data[start : start + chunk]))
    for event in made:
        app.post_message(event)
    return made


def bracketed(text: str) -> str:
    """A paste as a terminal sends it: its line ends as carriage returns, between the bracketed-paste markers."""
    return "\x1b[200~" + text.replace("\n", "\r") + "\x1b[201~"


async def test_a_paste_holding_escape_sequences_arrives_whole_and_in_order(tracker: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        area = form.query_one("#message", TextArea)
        area.focus()
        await pilot.pause()
        made = typed_in(app, bracketed(PASTED))
        assert [type(event) for event in made] == [events.Paste], "one paste, no key presses"
        await settled(pilot)
        assert area.text == SHOWN
        assert not any("\x1b" in line or "\x07" in line for line in screen_lines(app))
        form.query_one("#from-file", Input).focus()
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert form.query_one("#name", Input).value == "山田 太郎"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
    shown = tracker.json("complaint", "show", "1")
    assert shown["message"] == SHOWN.rstrip("\n"), "saved as shown (without the last line end, as any message)"
    assert shown["complainant_name"] == "山田 太郎"


async def test_keys_typed_after_a_paste_are_keys_again(tracker: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        area = app.screen.query_one("#message", TextArea)
        area.focus()
        await pilot.pause()
        made = typed_in(app, bracketed("a\x1b[1mb") + "c\x1b[A", chunk=3)
        assert [type(event) for event in made] == [events.Paste, events.Key, events.Key]
        assert (made[1].key, made[2].key) == ("c", "up"), "an arrow key after the paste is the arrow"
        await settled(pilot)
        assert area.text == "abc"


async def test_a_message_pasted_as_the_form_opens_goes_whole_into_the_message_box(tracker: Tracker) -> None:
    """The form opens with its file field focused: Textual's Input kept the paste's first line and dropped the rest."""
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen) and form.query_one("#from-file", Input).has_focus
        assert any("or paste the whole message here" in line for line in screen_lines(app)), "the first field says so"
        typed_in(app, bracketed(PASTED))
        await settled(pilot)
        area = form.query_one("#message", TextArea)
        assert area.text == SHOWN, "every line, in order, escapes gone"
        assert form.query_one("#from-file", Input).value == ""
        assert area.has_focus, "where it went, in view"
        # scrolled into view (the scroll may still be moving when the paste is handled)
        await wait_for(pilot, lambda: area.region.bottom <= SMALL[1] and area.region.height > 0, timeout=5)
        said = str(form.query_one("#message-status", Static).render())
        assert "Ctrl+R reads it" in said and not app._notifications, "under the message, not a toast over the buttons"
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert form.query_one("#name", Input).value == "山田 太郎"


async def test_lines_pasted_into_a_one_line_field_are_kept_side_by_side(tracker: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        posts = app.screen.query_one("#posts", Input)
        posts.focus()
        await pilot.pause()
        typed_in(app, bracketed("https://www.pixiv.net/artworks/1\n\nhttps://www.pixiv.net/artworks/2\n"))
        await settled(pilot)
        assert posts.value == "https://www.pixiv.net/artworks/1 https://www.pixiv.net/artworks/2"
        await pilot.press("escape", "ctrl+d")
        await settled(pilot)
        await pilot.press("o")
        typed_in(app, bracketed("\x1b[31m#12\x1b[0m\x07"))
        await settled(pilot)
        assert app.screen.query_one("#find-input", Input).value == "#12\\x07", "never sent to the terminal"
