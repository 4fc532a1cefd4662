"""Keys that arrive in one burst (a slow SSH link, a loaded machine reading them late) are applied in the order they
were typed, edit keys included: Textual ran a field's Backspace or arrow only once the key reached the app, after
the letters that came with it (`ab⌫c` came out `ab`; a path cleared with Ctrl+U and typed again came out empty)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, make_app, settled, wait_for
from textual import events
from textual.widgets import Input, TextArea

from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.find import FindScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)
BURST = [("a", "a"), ("b", "b"), ("backspace", None), ("c", "c"), ("left", None), ("X", "X")]
"""`ab⌫c←X`: `aXc` when each key is applied in its turn."""


def in_one_burst(app: TrackerApp, keys: list[tuple[str, str | None]]) -> None:
    """Every key queued at once, as the terminal hands over keys read together."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


@pytest.fixture
def complained(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(0).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    tracker("complaint", "add", "--post", "1", "--basis", "jp", "--name", "山田 花子", "--message", "削除してください")
    return tracker


async def test_a_line_field_takes_a_burst_of_letters_and_edit_keys_in_order(complained: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        await settled(pilot)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, FindScreen))
        field = app.screen.query_one("#find-input", Input)
        field.value = "zz"
        field.cursor_position = 2
        in_one_burst(app, [("ctrl+u", "\x15"), *BURST])
        await settled(pilot)
        assert field.value == "aXc"


async def test_a_text_box_takes_a_burst_of_letters_and_edit_keys_in_order(complained: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        notes = app.screen.query_one("#notes", TextArea)
        notes.focus()
        await pilot.pause()
        in_one_burst(app, BURST)
        await settled(pilot)
        assert notes.text == "aXc"
