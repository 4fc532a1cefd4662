"""The complaint screen gives a deadline on the sender's clock beside the owner's, as the intake form read it.

The owner answers over SSH from a server whose local time is UTC; the complainant wrote 「12月8日17時まで」 in
Japan. The summary's first line says 08:00 UTC, the owner's, and 12-08 17:00 UTC+9, the one the complainant wrote,
on one line of an 80-column terminal.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, screen_lines, settled, wait_for
from textual.widgets import Static

from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.triage import TriageScreen
from tracker.tui.text import sender_deadline, short_offset

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("utc_time")]  # the server's local time is UTC

SMALL = (80, 24)
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
"""11:00 on 7 December in Tokyo, 02:00 on the server."""
URL = "https://www.pixiv.net/artworks/131000001"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(1).save(path)
    tracker("log", path, "--url", URL, "--persona", "moth", "--new-persona")
    return tracker


async def opened(app: TrackerApp, pilot) -> TriageScreen:  # type: ignore[no-untyped-def]
    """The first complaint of the dashboard, opened with Enter."""
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen) and app.screen.complaint is not None)
    await settled(pilot)
    assert isinstance(app.screen, TriageScreen)
    return app.screen


def first_line(screen: TriageScreen) -> str:
    return str(screen.query_one("#summary-text", Static).render()).splitlines()[0]


def test_offsets_are_said_short() -> None:
    assert [short_offset(timedelta(minutes=m)) for m in (540, -300, 330, 0)] == ["UTC+9", "UTC-5", "UTC+5:30", "UTC"]
    deadline = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert sender_deadline(deadline, 540) == "(sender: 12-08 17:00 UTC+9)"
    assert sender_deadline(deadline, None) == ""
    assert sender_deadline(deadline, 0) == "", "on the server's own clock: said once"


async def test_a_japanese_deadline_is_given_on_the_senders_clock_too(posted: Tracker) -> None:
    posted(
        "complaint", "add", "--post", URL, "--name", "佐藤 美咲", "--basis", "jp",
        "--received", "2026-12-07T10:00:00+09:00", "--deadline", "12月8日17時",
        "--message", "私のイラストを無断で使用しています。12月8日17時までに削除してください。",
    )  # fmt: skip
    assert posted.json("complaint", "show", "1")["deadline_at"] == "2026-12-08T08:00:00+00:00"
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        screen = await opened(app, pilot)
        assert first_line(screen) == "Complaint #1  due tomorrow 08:00 UTC (sender: 12-08 17:00 UTC+9)"
        lines = screen_lines(app)
        assert any("08:00 UTC (sender: 12-08 17:00 UTC+9)" in line for line in lines), "whole on one line at 80"


async def test_a_deadline_on_the_owners_own_clock_is_said_once(posted: Tracker) -> None:
    posted(
        "complaint", "add", "--post", URL, "--name", "Lena Park", "--basis", "dmca",
        "--received", "2026-12-07T01:00:00Z", "--deadline", "2026-12-08T17:00:00Z", "--message", "Please remove it.",
    )  # fmt: skip
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        screen = await opened(app, pilot)
        assert first_line(screen) == "Complaint #1  due tomorrow 17:00 UTC"
