"""The complaint screen's footer at 80x24 offers Confirm (c) only while a take-down has posts still to remove: with
nothing to confirm the key was there, and pressing it only said so. Pressed anyway, it still says why not. With it
offered, History gives way, not Back: the footer still says how to leave the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, footer_drawn, make_app, screen_lines, settled, wait_for

from tracker.tui.app import TrackerApp
from tracker.tui.screens.guard import ConfirmScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


@pytest.fixture
def complaint(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(0).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    tracker("complaint", "add", "--post", "1", "--basis", "jp", "--name", "佐藤 美咲", "--message", "削除してください")
    return tracker


def footer(app: TrackerApp) -> str:
    return screen_lines(app)[-1]


async def open_complaint(app: TrackerApp, pilot) -> None:  # type: ignore[no-untyped-def]
    app.open_complaint(1)
    await wait_for(pilot, lambda: candidates_loaded(app))
    await settled(pilot)
    await footer_drawn(pilot)


async def test_confirm_is_not_offered_with_nothing_to_confirm(complaint: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_complaint(app, pilot)
        shown = footer(app)
        assert "Confirm" not in shown, f"nothing to confirm, yet the footer offers it: {shown!r}"
        assert all(key in shown for key in ("esc Back", "d Decide", "p Reply", "h History", "f1 Help")), shown
        assert len(shown.rstrip()) <= SMALL[0]
        await pilot.press("c")  # the key still answers, saying why there is nothing to do
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert any("Nothing to confirm" in str(n.message) for n in app._notifications)


async def test_confirm_appears_with_a_take_down_and_goes_once_confirmed(complaint: Tracker) -> None:
    complaint("complaint", "decide", "1", "--action", "take_down")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_complaint(app, pilot)
        shown = footer(app)
        assert "c Confirm" in shown and "f1 Help" in shown, f"a take-down to confirm, not offered: {shown!r}"
        assert "esc Back" in shown, f"with Confirm offered, nothing says how to go back: {shown!r}"
        assert "h History" not in shown and len(shown.rstrip()) <= SMALL[0], "History gives way (h still works)"
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen) and not app.screen.pending)
        await settled(pilot)
        await pilot.pause()
        shown = footer(app)
        assert "Confirm" not in shown, f"confirmed, the footer still offers it: {shown!r}"
        assert all(key in shown for key in ("esc Back", "h History", "f1 Help")), shown
