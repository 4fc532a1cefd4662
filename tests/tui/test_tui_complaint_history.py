"""A complaint's own history on the complaint screen (`h`), at 80x24: what `tracker complaint show N` lists under
`history` (logged, corrected, decided, the reply marked sent, their later message), in the same words, escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, footer_drawn, make_app, screen_lines, wait_for
from textual.widgets import Static

from tracker.tui.app import TrackerApp
from tracker.tui.screens.complaint_history import HistoryScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)
NOTE = "[bold]not markup[/bold] 本人の作品ではない"


@pytest.fixture
def answered(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(0).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    tracker("complaint", "add", "--post", "1", "--basis", "jp", "--name", "佐藤 美咲", "--message", "削除してください")
    tracker("complaint", "set", "1", "--contact", "misaki@example.jp")
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation", "--notes", NOTE)
    tracker("complaint", "reply", "1", "--answered")
    tracker("complaint", "message", "1", "--message", "再度ご連絡します")
    return tracker


def history_shown(app: TrackerApp) -> bool:
    return isinstance(app.screen, HistoryScreen) and app.screen.loaded


async def test_h_shows_the_complaint_history_complaint_show_lists(answered: Tracker) -> None:
    shown = answered("complaint", "show", "1").stdout
    cli_history = shown.split("  history")[1]
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await footer_drawn(pilot)
        footer = screen_lines(app)[-1]
        assert "h History" in footer and "f1 Help" in footer, f"a key is not in the footer at 80 columns: {footer!r}"
        await pilot.press("h")
        await wait_for(pilot, lambda: history_shown(app))
        text = str(app.screen.query_one("#history-text", Static).render())
        for said in (
            "complaint #1 logged",
            "post #1 named",
            'contact: (none) -> "misaki@example.jp"',
            "decision #1: dispute",
            f'notes (private, never sent): "{NOTE}"',
            "reply: the letter sent is kept",
        ):
            assert said in text, f"{said!r} not in the history:\n{text}"
            assert said in cli_history, f"{said!r} is not what complaint show says:\n{cli_history}"
        assert "kept (m on the complaint: messages)" in text, text
        lines = screen_lines(app)
        assert any("[bold]not markup" in line for line in lines), "the note is drawn as literal text"
        assert all(len(line.rstrip()) <= SMALL[0] for line in lines)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        assert app.screen.focused is not None, "the focus is back on the complaint screen"
