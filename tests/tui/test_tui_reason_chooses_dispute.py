"""Choosing a dispute's reason in the decision form chooses the dispute.

In a radio set ↓ only moves the highlight (Enter or Space chooses). At 80x24 the owner revising a take-down went ↓
to "dispute", chose "independent creation" under "Reason (for a dispute)", typed the argument and saved: a second
take-down was recorded, the reason dropped, the argument for the dispute kept as the take-down letter's sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, make_app, settled, wait_for
from textual.widgets import RadioSet, Select

from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


@pytest.fixture
def taken_down(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(0).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000003", "--persona", "moth", "--new-persona")
    tracker("complaint", "add", "--post", "1", "--basis", "jp", "--name", "山田 花子", "--message", "削除してください")
    tracker("complaint", "decide", "1", "--action", "take_down")
    return tracker


async def test_a_reason_chosen_after_arrowing_to_dispute_records_a_dispute(taken_down: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        form = app.screen
        assert form.query_one("#action", RadioSet).has_focus
        await pilot.press("down", "tab", "enter")  # ↓ to "dispute" (highlighted only), Tab to the reasons, open them
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # independent creation
        await pilot.pause()
        assert form.query_one("#reason", Select).value == "independent_creation"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
    decided = taken_down.json("complaint", "show", "1")["decisions"][-1]
    assert (decided["action"], decided["reason"]) == ("dispute", "independent_creation")


async def test_t_after_a_dispute_stays_a_take_down(taken_down: Tracker) -> None:
    """The reason a revised dispute had, put back in the form `t` opens, chooses nothing."""
    taken_down("complaint", "decide", "1", "--action", "dispute", "--reason", "small_part")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
    assert taken_down.json("complaint", "show", "1")["decisions"][-1]["action"] == "take_down"
