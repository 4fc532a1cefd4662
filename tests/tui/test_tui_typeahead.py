"""Keys typed ahead, as they arrive over SSH in one packet: `o2⏎` on the dashboard opens complaint #2, the `2`
not lost while the dialog the `o` asked for was still being drawn."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fixtures.common import Tracker
from fixtures.tui import SIZE, make_app, settled, wait_for
from textual import events

from tracker.cli import AppContext
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.intake import add_complaint
from tracker.db.models import LegalBasis
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db


def typed_ahead(app, text: str) -> None:  # type: ignore[no-untyped-def]
    """Every key of `text` queued at once, as a terminal hands over a burst of keys ("\\r" is Enter)."""
    for character in text:
        key = "enter" if character == "\r" else character
        app.post_message(events.Key(key, character))


async def test_keys_typed_ahead_of_the_open_dialog_reach_it(tracker: Tracker) -> None:
    context = AppContext(db=None, data_dir=None)
    for name in ("K", "L"):
        complaint = ComplaintInput(received_at=datetime.now(UTC), legal_basis=LegalBasis.DSA, complainant_name=name)
        add_complaint(context.sessions(), context.settings, complaint, context.platforms())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        typed_ahead(app, "o2\r")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen) and app.screen.number == 2
