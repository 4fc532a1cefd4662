"""The new-complaint form reads the name signing a pasted message with the contact typed into the form, as
`tracker complaint add --contact` does: `Kind regards,` / `Maria Huber` is her name when the address typed
(maria.huber@example.at) spells it, and no one's when it does not (`complaints.reading.signer_names`)."""

from __future__ import annotations

import pytest
from fixtures.common import Tracker
from fixtures.tui import make_app, settled
from textual.widgets import Input

from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.widgets.message_area import MessageArea

pytestmark = pytest.mark.db

PASTED = (
    "Hello,\n\nYour post https://x.com/lark_art/status/1900000000000000001 copies my illustration "
    '"Night Harbour". Please take it down.\n\nKind regards,\nMaria Huber\n'
)


@pytest.mark.parametrize(("contact", "name"), [("maria.huber@example.at", "Maria Huber"), ("info@studio.example", "")])
async def test_the_contact_typed_in_the_form_says_whose_name_signs_the_pasted_message(
    tracker: Tracker, contact: str, name: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#contact", Input).value = contact
        form.query_one("#message", MessageArea).text = PASTED
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert form.query_one("#name", Input).value == name
        assert form.query_one("#contact", Input).value == contact, "what was typed is kept"
