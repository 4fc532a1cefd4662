"""A complaint whose sender gave neither a name nor an organisation, at 80x24: the dashboard, the complaint screen
and `tracker complaint list` name it by what tells it apart (their address, the platform's notice and its number),
all three alike, not "unnamed" for each of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, make_app, screen_lines, settled, wait_for
from textual.widgets import Static

from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)
SENDERS = {
    1: (["--contact", "rights@kumo.example.jp"], "rights@kumo.example.jp"),
    2: (["--platform", "pixiv", "--ticket", "PX-77", "--channel", "platform_form"], "pixiv notice #PX-77"),
    3: (["--ticket", "#5521"], "ticket #5521"),
    4: ([], "unnamed"),
}
"""What each complaint says of its sender (`complaint add` options) and what names it then."""


@pytest.fixture
def complained(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(0).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    for number, (options, _) in SENDERS.items():
        tracker("complaint", "add", "--post", "1", "--basis", "jp", "--message", f"complaint {number}", *options)
    return tracker


def dashboard_loaded(app: TrackerApp) -> bool:
    return isinstance(app.screen, DashboardScreen) and app.screen.loaded


def test_complaint_list_names_a_sender_by_their_address_or_the_notice(complained: Tracker) -> None:
    lines = complained("complaint", "list").stdout.splitlines()
    for number, (_, shown) in SENDERS.items():
        row = next(line for line in lines if line.startswith(f"{number} "))
        assert shown in row, row
    show = complained("complaint", "show", "1").stdout
    assert "rights@kumo.example.jp  <" not in show, "the address that names the sender is said once"


async def test_the_dashboard_and_the_complaint_screen_say_what_complaint_list_says(complained: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await settled(pilot)
        lines = screen_lines(app)
        for number, (_, shown) in SENDERS.items():
            row = next(line for line in lines if line.strip().startswith(f"#{number} "))
            assert shown[:12] in row, f"complaint #{number} is not named {shown!r}: {row!r}"
        for number, (_, shown) in SENDERS.items():
            app.open_complaint(number)
            await wait_for(pilot, lambda: candidates_loaded(app))
            summary = str(app.screen.query_one("#summary-text", Static).render())
            assert f"from: {shown}\n" in summary, summary
            await pilot.press("escape")
            await wait_for(pilot, lambda: dashboard_loaded(app))
