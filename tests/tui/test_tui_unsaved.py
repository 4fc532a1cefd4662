"""What the owner typed in a form and did not save is not forgotten: the dashboard names it on the next start (at
80x24, in one line under the banner), a new complaint's attached images are kept with its draft, and two trackers
open at once never overwrite each other's new-complaint draft."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.tui import make_app, screen_lines, settled
from textual.widgets import Input, Static

from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.reply import ReplyScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


def drafts() -> Path:
    return Path(os.environ["TRACKER_DATA_DIR"]) / "drafts"


@pytest.fixture
def decided(tracker: Tracker) -> None:
    tracker("complaint", "add", "--persona", "moth", "--new-persona", "--name", "K", "--message", "Remove it.")
    tracker("complaint", "decide", "1", "--action", "ask_info")


async def test_the_dashboard_names_the_forms_left_unsaved_in_one_line_at_80x24(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen
        assert isinstance(reply, ReplyScreen)
        await pilot.press(*"PS: ")
        reply.keep_input()
        app.pop_screen()
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#name", Input).value = "Someone new"
        form.keep_input()
        app.exit()  # the connection dropped with both forms typed in
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        line = dashboard.query_one("#unsaved", Static)
        said = str(line.render())
        assert said.startswith("✎ Not saved: new complaint ") and " · reply #1 " in said, said
        assert line.display and line.region.height == 1 and line.region.width <= 80
        assert any(row.strip().startswith("✎ Not saved: new complaint") for row in screen_lines(app))


async def test_the_dashboard_says_nothing_unsaved_when_nothing_is(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        assert not app.screen.query_one("#unsaved", Static).display
