"""A take-down decided in the TUI says what it leaves live elsewhere as `complaint decide` does
(`complaints.live_copies`): the X post showing the page of the pixiv post the complaint is about (the triage's row
is that picture, with both posts: the owner unticks the X one), and never one showing only another page of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from complaints.test_live_copies import PIXIV, TWEET, complaint_about, copy_of, on_x, pixiv_post
from fixtures.common import Tracker
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for

from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.triage import TriageScreen
from tracker.tui.widgets.choices import SelectionList

pytestmark = pytest.mark.db


@pytest.mark.parametrize(("on_x_too", "said"), [(1, True), (0, False)])
async def test_a_take_down_in_the_tui_names_the_same_picture_still_live(
    tracker: Tracker, tmp_path: Path, on_x_too: int, said: bool
) -> None:
    pages = pixiv_post(tracker, tmp_path / "pixiv")
    on_x(tracker, pages[on_x_too], tmp_path / "x")
    complaint_about(tracker, copy_of(pages[1], tmp_path / "theirs.jpg"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        screen = app.screen
        assert isinstance(screen, TriageScreen) and screen.result is not None
        assert screen.result.candidates[0].label == ("post #1, #2" if said else "post #1, page 2")
        await pilot.press("t")
        assert isinstance(app.screen, DecisionScreen)
        app.screen.query_one("#posts", SelectionList).deselect(2)  # only the pixiv post: the X one stays up
        await pilot.click("#save")
        await settled(pilot)
        told = [n.message for n in app._notifications if n.message.startswith("Also live")]
    line = f"#2 {TWEET}  (the same image as post #1, page 2; not in this take-down)"
    assert told == ([f"Also live: {line}"] if said else []), told
    assert PIXIV not in "".join(told)
