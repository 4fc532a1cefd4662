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
from tracker.tui.widgets.text_box import TextBox

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
        yield TextBox(SENTENCE, id="plain")
        yield TextBox(SENTENCE, id="read-only", read_only=True)
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


WIDENED = (
    "制作過程の記録を確認いたしましたが、ご指摘の作品を参照した事実はございません。"
    "念のため、制作途中のファイルも保存しております。"
)
"""Two lines in a box at 80 columns and two at 120, broken at another character: the line count stays, so Textual
drew again only the line the cursor is on."""


def shown_in(app: App[None], area: TextArea) -> str:
    """The text a box shows on the screen, its rows joined (each box spans the screen: its rows hold only it)."""
    region = area.content_region
    rows = [strip.text for strip in app.screen._compositor.render_strips()][region.y : region.bottom]
    return "".join(row.strip().strip("▊▎").strip() for row in rows)


async def test_a_widened_text_box_shows_its_whole_text() -> None:
    """The terminal widened (an SSH window made larger), a box whose text rewraps into as many lines as before kept
    its first line as broken at the old width: 制作過程…参照した, and then the new second line, every character between
    the two breaks shown nowhere, as if that part of the sentence being typed were lost."""
    app = Boxes()
    async with app.run_test(size=(80, 24)) as pilot:
        for area in app.query(TextArea):
            area.styles.height = 6
            area.text = WIDENED
        await pilot.pause()
        for size in ((120, 30), (80, 24), (120, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            for area in app.query(TextArea):
                assert area.wrapped_document.height == 2, area.id
                assert shown_in(app, area) == WIDENED, (area.id, size)
