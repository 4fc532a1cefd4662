"""The candidate the owner was looking at stays highlighted on the complaint screen when its candidates are found
again (after a decision is saved, a take-down confirmed): the table was rebuilt with the cursor back on its first
row, and the evidence and picture shown were another candidate's than the one just compared."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, make_app, settled, wait_for
from textual.widgets import DataTable, Static

from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


@pytest.fixture
def two_candidates(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Complaint #1 names post #1; the picture it sent is post #2's."""
    for n in range(2):
        path = tmp_path / f"scene{n}.png"
        drawing(n).save(path)
        extra = ["--new-persona"] if n == 0 else []
        tracker("log", path, "--url", f"https://www.pixiv.net/artworks/12000000{n}", "--persona", "moth", *extra)
    tracker("complaint", "add", "--post", "1", "--image", tmp_path / "scene1.png", "--name", "山田 花子")
    return tracker


def facts(screen: TriageScreen) -> str:
    return str(screen.query_one("#facts-text", Static).content)


async def test_the_highlighted_candidate_stays_after_a_decision(two_candidates: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        table = screen.query_one("#candidates", DataTable)
        assert table.row_count == 2 and screen.selected() is not None and screen.selected().post_ids == [1]
        await pilot.press("j")
        await settled(pilot)
        assert screen.selected().post_ids == [2] and "post #2" in facts(screen)
        await pilot.press("t")  # a take-down, saved as the form opens
        await settled(pilot)
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await settled(pilot)
        assert screen.result is not None and table.row_count == 2
        assert screen.selected().post_ids == [2], "the candidate compared is still the one highlighted"
        assert "post #2" in facts(screen), "and its evidence is the one shown"
