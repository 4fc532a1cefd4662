"""Where a complaint came from, in the complaint screen's summary: a platform's ticket number with no platform
recorded is said as the ticket alone (`platform?` read like a question to answer, or a typo), and a complaint sent
through a platform's form says that the platform is not recorded, as the owner answers it there."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.tui import candidates_loaded, make_app, wait_for
from textual.widgets import Static

pytestmark = pytest.mark.db


async def summary_of(number: int) -> str:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(number)
        await wait_for(pilot, lambda: candidates_loaded(app))
        return str(app.screen.query_one("#summary-text", Static).render())


async def test_a_ticket_with_no_platform_is_said_as_the_ticket(tracker: Tracker, tmp_path: Path) -> None:
    tracker("complaint", "add", "--name", "山田", "--ticket", "T-204", "--channel", "email")
    tracker("complaint", "add", "--name", "山田", "--ticket", "CS-88", "--channel", "platform_form")
    tracker("complaint", "add", "--name", "山田", "--ticket", "P-1", "--platform", "pixiv")
    tracker("complaint", "add", "--name", "山田", "--platform", "pixiv")
    by_mail, by_form, on_pixiv, no_ticket = [await summary_of(n) for n in (1, 2, 3, 4)]
    assert "platform?" not in by_mail + by_form
    assert "by email (ticket T-204)" in by_mail
    assert "by platform form (ticket CS-88; platform not recorded)" in " ".join(by_form.split())
    assert "(pixiv, ticket P-1)" in on_pixiv, "as `tracker complaint show` says it"
    assert "(on pixiv)" in no_ticket
