"""The new-complaint form's draft: what was typed or pasted into it, kept in case the tracker closes.

One new complaint's form keeps the draft (`purge.drafts.new_complaint_draft`), the pasted message included: the
one holding its lock (`purge.drafts.new_complaint_lock`, let go when the form closes or its process ends, killed
too). A form opened in a second tracker meanwhile neither puts that draft back nor writes over it (what is typed
there would be lost to the other, or the other's to it): it says so at its top, and keeps its own draft once the
other form is closed with nothing kept. A draft left by a tracker that closed is put back by the next form opened.

Put back, the legal basis comes first: the notice elements the form offers are its own. Images read from a
message's attachments are in a scratch folder removed with the form: the draft keeps copies of those it names
(`kept_attachments`), and they go with it.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Select, Static

from tracker.db.models import LegalBasis
from tracker.purge.drafts import new_complaint_draft, new_complaint_images, new_complaint_lock, remove_kept_images
from tracker.support.files import try_lock, unlock
from tracker.tui.kept_attachments import KeptAttachments
from tracker.tui.kept_input import Value
from tracker.tui.screens.guard import KEEP_EVERY, GuardsInput
from tracker.tui.text import plain

if TYPE_CHECKING:
    from tracker.support.settings import Settings
    from tracker.tui.screens.base import TrackerScreen

KEPT_ELSEWHERE = (
    "A new complaint is being typed in another tracker: its draft is left alone, and what you type here is not "
    "kept should this one close. Save it before you leave."
)
KEPT_NOW = "The other tracker's new complaint form closed: what you type here is kept from now on."


class KeepsIntake(GuardsInput):
    """Mixed into the new-complaint form, before `GuardsInput`: where its draft is, and how it is put back."""

    _scratch: list[Path]
    """The private folders holding the attached images read into the form (`screens.intake`)."""
    _lock: int | None = None
    """The draft's lock, held by this form (-1: no locks here); None: another form holds it."""
    _lock_tried = False
    _waiting: Timer | None = None
    _attachments: KeptAttachments | None = None

    def _fill_elements(self, basis: LegalBasis) -> None:
        """Offer the notice elements of `basis` (the form's own)."""
        raise NotImplementedError

    def _settings(self) -> Settings:
        return cast("TrackerScreen[Any]", self).tracker.settings

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

    def keeps_draft(self) -> bool:
        """This form holds the draft's lock (taken the first time it is asked)."""
        if not self._lock_tried:
            self._lock_tried = True
            self._lock = try_lock(new_complaint_lock(self._settings()))
        return self._lock is not None

    def draft_path(self) -> Path | None:
        """The new complaint's draft, while this form keeps it; None while another tracker's form does."""
        return new_complaint_draft(self._settings()) if self.keeps_draft() else None

    def remember_input(self) -> None:
        super().remember_input()
        if not self.keeps_draft():
            self.say_kept(KEPT_ELSEWHERE)
            self._waiting = cast("TrackerScreen[Any]", self).set_interval(KEEP_EVERY, self._take_over)

    def _take_over(self) -> None:
        """Keep this form's draft once the other form is closed with no draft left (saved or discarded); a draft
        its tracker left when it closed stays for the next form opened to put back."""
        lock = try_lock(new_complaint_lock(self._settings()))
        if lock is None:
            return
        if new_complaint_draft(self._settings()).exists():
            unlock(lock)
            return
        self._lock = lock
        if self._waiting is not None:
            self._waiting.stop()
        self.start_keeping_input()
        self.say_kept(KEPT_NOW)

    def restore_kept_input(self) -> bool:
        """Put the draft back; with none, attached images a tracker killed while it wrote one left go too."""
        restored = super().restore_kept_input()
        if not restored and not new_complaint_draft(self._settings()).exists():
            remove_kept_images(new_complaint_images(self._settings()))
        return restored

    def values_to_keep(self, values: dict[str, object]) -> dict[str, object]:
        """The fields, the images field naming the copies kept of the attached images (`kept_attachments`)."""
        if self._attachments is None:
            self._attachments = KeptAttachments(new_complaint_images(self._settings()))
        images = values.get("Input#images")
        kept = self._attachments.keep(images if isinstance(images, str) else "", self._scratch)
        return {**values, "Input#images": kept} if isinstance(images, str) else values

    def drop_kept_input(self) -> None:
        """The draft goes, with the attached images kept with it (while this form keeps it)."""
        if self.draft_path() is not None:
            remove_kept_images(new_complaint_images(self._settings()))
        self._attachments = None
        super().drop_kept_input()

    def on_unmount(self) -> None:
        """The form is gone: so are the attached images read into it (archived already, if saved); its draft, if
        any, stays for the next form, which may be another tracker's."""
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)
        self._scratch.clear()
        unlock(self._lock)
        self._lock = None

    def put_back_input(self, values: Mapping[str, Value]) -> None:
        """The legal basis first, and its notice elements, then every field (those elements ticked)."""
        basis = values.get("Select#basis")
        if isinstance(basis, str) and basis in {b.value for b in LegalBasis}:
            cast("TrackerScreen[Any]", self).query_one("#basis", Select).value = basis
            self._fill_elements(LegalBasis(basis))
        super().put_back_input(values)
