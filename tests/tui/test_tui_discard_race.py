"""What the owner discarded stays discarded: the draft a form keeps once a second is not written back by a tick that
lands between the discard and the form's removal (a loaded machine, an SSH session that lags), where the next form
"restored" the complaint just thrown away and the dashboard said it was not saved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.tui import make_app, settled, wait_for
from textual.widgets import Input, TextArea

from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.guard import ConfirmDiscard
from tracker.tui.screens.intake import IntakeScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


def draft() -> Path:
    return Path(os.environ["TRACKER_DATA_DIR"]) / "drafts" / "new-complaint.json"


def tick_right_after_the_discard(form: IntakeScreen) -> None:
    """The once-a-second keep lands just after the draft was dropped, before the form is gone."""
    drop = form.drop_kept_input

    def dropped_then_ticked() -> None:
        drop()
        form.keep_input()

    form.drop_kept_input = dropped_then_ticked  # type: ignore[method-assign]


async def open_typed_form(app, pilot) -> IntakeScreen:  # type: ignore[no-untyped-def]
    await settled(pilot)
    await pilot.press("n")
    await settled(pilot)
    form = app.screen
    assert isinstance(form, IntakeScreen)
    form.query_one("#received", Input).value = "2026-12-06"
    form.query_one("#message", TextArea).text = "著作権侵害の件で削除をお願いいたします。12月8日までにご対応ください。"
    form.keep_input()
    assert draft().exists(), "kept while unsaved"
    tick_right_after_the_discard(form)
    return form


async def test_a_discarded_new_complaint_is_not_kept_again_by_a_late_tick(tracker: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_typed_form(app, pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDiscard))
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await settled(pilot)
        assert not draft().exists(), "discarded: no draft for the next form to put back"
        await pilot.press("n")
        await settled(pilot)
        assert app.screen.query_one("#message", TextArea).text == "", "the next form starts empty"


async def test_discard_and_quit_leaves_no_draft_behind(tracker: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_typed_form(app, pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDiscard))
        await pilot.press("ctrl+d")
        await pilot.pause()
    assert not draft().exists(), "discarded on quitting: nothing restored at the next start"
