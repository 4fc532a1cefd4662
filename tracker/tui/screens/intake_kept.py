"""The new-complaint form's draft: what was typed or pasted into it, kept in case the tracker closes.

One new complaint's form is kept at a time (`purge.drafts.new_complaint_draft`), the pasted message included. Put
back, the legal basis comes first: the notice elements the form offers are its own. Images read from a message's
attachments were in a scratch folder removed with the form: Save then says the file cannot be read.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.widgets import Select, Static

from tracker.db.models import LegalBasis
from tracker.purge.drafts import new_complaint_draft
from tracker.tui.kept_input import Value
from tracker.tui.screens.guard import GuardsInput
from tracker.tui.text import plain

if TYPE_CHECKING:
    from tracker.tui.screens.base import TrackerScreen


class KeepsIntake(GuardsInput):
    """Mixed into the new-complaint form, before `GuardsInput`: where its draft is, and how it is put back."""

    _scratch: list[Path]
    """The private folders holding the attached images read into the form (`screens.intake`)."""

    def on_unmount(self) -> None:
        """The form is gone: so are the attached images read into it (archived already, if saved)."""
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)
        self._scratch.clear()

    def _fill_elements(self, basis: LegalBasis) -> None:
        """Offer the notice elements of `basis` (the form's own)."""
        raise NotImplementedError

    def top_hint(self) -> Static:
        """The line at the top of the form: what to fill in, or what became of the draft as it opened."""
        return Static(
            Text("New complaint — only the date is required; fill in what the message gives."),
            classes="hint",
            id="intake-hint",
        )

    def say_kept(self, message: str) -> None:
        """In the line at the top of the form, seen as it opens: no toast over the buttons."""
        cast("TrackerScreen[Any]", self).query_one("#intake-hint", Static).update(plain(message))

    def draft_path(self) -> Path:
        return new_complaint_draft(cast("TrackerScreen[Any]", self).tracker.settings)

    def put_back_input(self, values: Mapping[str, Value]) -> None:
        """The legal basis first, and its notice elements, then every field (those elements ticked)."""
        basis = values.get("Select#basis")
        if isinstance(basis, str) and basis in {b.value for b in LegalBasis}:
            cast("TrackerScreen[Any]", self).query_one("#basis", Select).value = basis
            self._fill_elements(LegalBasis(basis))
        super().put_back_input(values)
