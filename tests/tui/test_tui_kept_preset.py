"""A decision form opened by `t` (take down) keeps that action when a draft from before the tracker closed is put
back: the draft's notes come back, its dispute does not, so Ctrl+S at once records the take-down the owner chose."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for
from textual.widgets import RadioSet, Select, Static, TextArea

from tracker.tui.app import TrackerApp
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.widgets.choices import RadioButton

pytestmark = pytest.mark.db

SMALL = (80, 24)
NOTE = "private: I drew the [b]sketch[/b] myself"


@pytest.fixture
def complained(tracker: Tracker, tmp_path: Path) -> Tracker:
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth", "--new-persona")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please remove it.")
    return tracker


async def open_decision(app: TrackerApp, pilot, key: str) -> DecisionScreen:  # type: ignore[no-untyped-def]
    await settled(pilot)
    app.open_complaint(1)
    await wait_for(pilot, lambda: candidates_loaded(app))
    await pilot.press(key)
    await settled(pilot)
    assert isinstance(app.screen, DecisionScreen)
    return app.screen


async def test_t_keeps_take_down_over_a_dispute_kept_from_before(complained: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        decision = await open_decision(app, pilot, "d")
        decision.query_one("#action-dispute", RadioButton).value = True
        decision.query_one("#reason", Select).value = "independent_creation"
        decision.query_one("#notes", TextArea).text = NOTE
        await pilot.pause()
        decision.keep_input()  # what the timer does about once a second
        app.exit()  # the tracker dies with the form open

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        decision = await open_decision(app, pilot, "t")
        pressed = decision.query_one("#action", RadioSet).pressed_button
        assert pressed is not None and pressed.id == "action-take_down", "the action the owner just chose"
        assert decision.query_one("#notes", TextArea).text == NOTE, "the notes typed before come back"
        said = str(decision.query_one("#decision-keys", Static).render())
        assert said.startswith("Restored what you typed") and "the action stays take down" in said, said
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert not isinstance(app.screen, DecisionScreen)
    decided = complained.json("complaint", "show", "1")["decisions"]
    assert [d["action"] for d in decided] == ["take_down"]


async def test_d_puts_the_kept_action_back(complained: Tracker) -> None:
    """Opened by `d`, no action was chosen by a key: the draft's comes back, as before."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        decision = await open_decision(app, pilot, "d")
        decision.query_one("#action-ask_info", RadioButton).value = True
        await pilot.pause()
        decision.keep_input()
        app.exit()
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        decision = await open_decision(app, pilot, "d")
        pressed = decision.query_one("#action", RadioSet).pressed_button
        assert pressed is not None and pressed.id == "action-ask_info"
        assert "the action stays" not in str(decision.query_one("#decision-keys", Static).render())
