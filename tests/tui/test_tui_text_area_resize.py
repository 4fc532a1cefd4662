"""Resizing the terminal never loops a text box: a soft-wrapped Japanese sentence with a URL, whose line count
grows when its box widens by the scroll bar's two columns (the URL then moves down whole: `line_breaks`), made the
box show its scroll bar, rewrap, hide it, rewrap... until Python's recursion limit ended the app, and the decision
being typed with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import candidates_loaded, make_app, settled, wait_for
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static, TextArea

from tracker.tui import line_breaks
from tracker.tui.app import TrackerApp
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.widgets.message_area import MessageArea

pytestmark = pytest.mark.db

SENTENCE = (
    "もう一方の投稿（https://www.pixiv.net/artworks/118200005）は構図も配色も異なり、"
    "ご作品を参照せずに制作したものですので、公開を継続させていただきます。"
)
"""The reviewer's sentence: four lines at one width, five at two columns more (the URL moves down whole)."""


async def test_a_decision_being_typed_survives_a_resize(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "作品を削除してください。")
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
        dialog.query_one("#notes", TextArea).text = "private note"
        area = dialog.query_one("#reply-note", TextArea)
        area.focus()
        area.insert(SENTENCE)
        await pilot.pause()
        for size in ((60, 18), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert app.is_running and app.return_code is None, "the app is still running"
        assert app.screen is dialog
        assert area.text == SENTENCE
        assert dialog.query_one("#notes", TextArea).text == "private note"


class Boxes(App[None]):
    """The app's stylesheet and one text box of each kind it has (the letter's is read-only), at a given width."""

    CSS_PATH = TrackerApp.CSS_PATH

    def compose(self) -> ComposeResult:
        line_breaks.install()  # as TrackerApp does
        yield TextArea(SENTENCE, id="plain")
        yield TextArea(SENTENCE, id="read-only", read_only=True)
        yield MessageArea(SENTENCE, id="message")


async def test_no_text_box_loops_at_any_width() -> None:
    """Every width the boxes pass through while a terminal is dragged narrower and wider again (the boxes looped
    at some of them)."""
    app = Boxes()
    async with app.run_test(size=(80, 24)) as pilot:
        for area in app.query(TextArea):
            area.styles.height = 6
        await pilot.pause()
        for width in [*range(60, 35, -1), *range(36, 61)]:
            await pilot.resize_terminal(width, 24)
        await pilot.press("end")
        await pilot.pause()
        assert app.is_running and app.return_code is None, "the app is still running"
        assert [area.text for area in app.query(TextArea)] == [SENTENCE] * 3


PANELS = ("message-box", "summary", "facts", "post-facts", "notes-box", "detail-box")
"""The scrolling panels of text that may hold the complainant's words: the whole message, the triage summary and
facts, a post's facts, the burn-down's notes and detail. (The reply's warnings, the app's own English, grow with
their text and keep every column: two of them stay whole above the letter at 80x24.)"""


class Panels(App[None]):
    """The app's stylesheet and each scrolling panel of text, holding the sentence, four rows high."""

    CSS_PATH = TrackerApp.CSS_PATH

    def compose(self) -> ComposeResult:
        line_breaks.install()
        for name in PANELS:
            yield VerticalScroll(Static(SENTENCE), id=name)


async def test_no_panel_of_text_flips_its_scroll_bar_without_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """A panel whose text wraps into more rows at two columns more showed its scroll bar, rewrapped, hid it...:
    the screen redrawn ~100 times a second, at a width the terminal happened to give it. Counted while the app
    stands still at each width: a settled panel changes its scroll bar at most once."""
    flips: dict[str, int] = {}
    original = Widget._refresh_scrollbars

    def counted(widget: Widget) -> None:
        before = widget.show_vertical_scrollbar
        original(widget)
        if widget.id in PANELS and before != widget.show_vertical_scrollbar:
            flips[widget.id] = flips.get(widget.id, 0) + 1

    monkeypatch.setattr(Widget, "_refresh_scrollbars", counted)
    app = Panels()
    async with app.run_test(size=(80, 24)) as pilot:
        for panel in app.query(VerticalScroll):
            panel.styles.height = 4
        for width in range(50, 37, -1):
            await pilot.resize_terminal(width, 40)
            await pilot.pause()
            flips.clear()
            await pilot.pause(0.2)
            assert not any(count > 1 for count in flips.values()), f"at {width} columns: {flips}"
