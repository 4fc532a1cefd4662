"""A table with no rows (a complaint that names no post and sent no picture has no candidates) takes the arrow
keys without ending the TUI: `Up` there moved Textual's cursor to row -1 and the complaint screen read its key."""

from __future__ import annotations

import pytest
from fixtures.common import Tracker
from fixtures.tui import candidates_loaded, make_app, wait_for
from textual.widgets import DataTable

from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db


async def test_arrow_keys_on_a_complaint_with_no_candidates(tracker: Tracker) -> None:
    tracker("complaint", "add", "--name", "Kiri Studio", "--ticket", "CS-1", "--message", "Please remove it.")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        table = app.screen.query_one("#candidates", DataTable)
        assert table.row_count == 0 and table.has_focus
        await pilot.press("up", "up", "down", "pageup", "home", "end", "enter")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, TriageScreen)
        assert table.cursor_row == 0
