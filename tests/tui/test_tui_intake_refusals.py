"""The New complaint form refuses what `complaint add` refuses, saying why under the form and keeping what was typed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fixtures.common import Tracker
from fixtures.tui import make_app, settled
from textual.widgets import Input, Static

from tracker.tui.screens.intake import IntakeScreen

pytestmark = [pytest.mark.db]

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


async def test_an_empty_complaint_is_not_saved(tracker: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test() as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#platform", Input).value = "pixiv"  # where it came from is no complaint yet
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is form
        said = str(form.query_one("#intake-error", Static).render())
        assert said == (
            "Not saved: nothing to log: give at least the message, a post it names, an image they sent or the sender"
        ), said
    assert "no unanswered complaints" in tracker("status").stdout


async def test_a_work_url_that_is_no_web_address_is_marked_under_its_field(tracker: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test() as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#name", Input).value = "Jane Doe"
        form.query_one("#work-urls", Input).value = "javascript:alert(1)"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is form
        under = form.query_one("#work-urls-error", Static)
        assert under.display and "'javascript:alert(1)' is not a work URL" in str(under.render())
    assert "no unanswered complaints" in tracker("status").stdout
