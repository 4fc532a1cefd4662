"""The new-complaint form reading what arrived: a saved e-mail or text file named at its top, else the message
pasted into it (`Ctrl+R`, Read), as `complaint add --from` reads it (`intake.message_fields`).

What is read fills only the fields still empty (what the owner typed is kept), and is said once, where Read was
asked (under the file's field, or under the message): what was filled, kept and not found. The file's text is
untrusted: a field shows it with control characters escaped (`safe_text`), the value read is what is saved unless
the owner changed it (`_read_values`). Attached images are written to a private scratch folder (`_scratch`,
removed when the form closes). `screens.intake` holds the form, its checks and its save.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from textual import on, work
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Select, Static
from textual.worker import get_current_worker

from tracker.complaints.forwarded import own_addresses
from tracker.complaints.intake import (
    is_logged_post,
    message_fields,
    own_account_page,
    own_account_post,
    readable_images,
)
from tracker.complaints.legal import REQUIRED_ELEMENTS
from tracker.complaints.reading.message_dates import typed_zone
from tracker.complaints.records import complaint_with_message
from tracker.db.models import LegalBasis
from tracker.errors import TrackerError
from tracker.support.dates import parse_when
from tracker.support.textsafe import safe_text
from tracker.support.user_files import fs_text
from tracker.support.words import counted
from tracker.tui.message_fill import (
    FIELD_WORDS,
    choices,
    join_list,
    message_path,
    read_notes,
    read_summary,
    read_values,
    time_filled,
    write_attachments,
)
from tracker.tui.message_read import message_from_text, read_message
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.text import plain
from tracker.tui.widgets.choices import SelectionList
from tracker.tui.widgets.message_area import MessageArea

UNTOUCHED = {"received": "now", "channel": "platform_form", "basis": "none", "language": "auto"}
"""What a field holds before the owner touches it (others: empty): reading a message fills such a field."""


class ReadsMessage(TrackerScreen[None]):
    """The new-complaint form's Read (`screens.intake.IntakeScreen`, which holds the state named here)."""

    reading: bool
    """A message is being read (Read and Save wait for it)."""
    saving: bool
    _read_values: dict[str, tuple[str, str]]
    _sent_offset: int | None
    _deadline_read: tuple[str, str] | None
    _scratch: list[Path]
    _left_out: list[str]
    _elements_basis: LegalBasis | None
    _stated: dict[Any, Any]
    _status_at: str

    def _text(self, widget_id: str) -> str:
        """What an input means, stripped (`screens.intake`)."""
        raise NotImplementedError

    def _show_field_error(self, field: str | None, message: str) -> None:
        """Say what is wrong under `field` (None: on the form's error line) (`screens.intake`)."""
        raise NotImplementedError

    def _fill_elements(self, basis: LegalBasis) -> None:
        """Offer the notice elements of `basis` (`screens.intake`)."""
        raise NotImplementedError

    @on(Button.Pressed, "#read")
    def action_read(self) -> None:
        """Read the file named (else the message pasted below) and fill in the fields still empty."""
        if self.reading or self.saving:
            return
        self._show_field_error(None, "")
        typed = self.query_one("#from-file", Input).value.strip()
        pasted = self.query_one("#message", MessageArea).text
        if not typed and not pasted.strip():
            self._read_failed("Name a saved message (.eml or text file), or paste the message below first.")
            return
        received_text = self._text("received")
        try:
            received = parse_when(received_text) if received_text.lower() not in ("", "now") else None
        except TrackerError:
            received = None  # Save says what is wrong with it
        self.reading = True
        self.query_one("#read", Button).disabled = True
        self._set_status("")  # said in one place only
        self._status_at = "message-status" if self.focused is self.query_one("#message") else "from-file-status"
        self._set_status("Reading the message…")
        contact = self._text("contact") or None  # an e-mail address typed may spell the name signing the message
        self.read_message(message_path(typed) if typed else None, pasted, received, typed_zone(received_text), contact)

    @work(thread=True, exclusive=True, group="intake-read", exit_on_error=False)
    def read_message(
        self, path: Path | None, pasted: str, received: datetime | None, zone: tzinfo | None, contact: str | None
    ) -> None:
        """Read the file (up to 25 MiB) and look its URLs up off the UI thread; write its images aside. The contact
        typed is the sender's address, as `complaint add --contact` gives it (`signer_names`: it may spell a name)."""
        try:
            message = read_message(path) if path is not None else message_from_text(pasted)
            archive = self.tracker.archive()
            with archive.factory() as session:
                logged = is_logged_post(session, archive.platforms)
                own, own_post = own_addresses(session), own_account_post(session, archive.platforms)
                own_page = own_account_page(session, archive.platforms)
                found = message_fields(
                    message, logged, received, archive.platforms, zone, contact, own, own_post, own_page
                )
                earlier = complaint_with_message(session, found["message"])
            folder, attached = write_attachments(message.attachments)
            attached = readable_images(attached, found["left_out"])
            if folder is not None and get_current_worker().is_cancelled:  # the form closed meanwhile
                shutil.rmtree(folder, ignore_errors=True)
                return
        except TrackerError as exc:
            self.from_worker(self._read_failed, str(exc))
            return
        except OSError as exc:  # the attached images could not be written aside
            self.from_worker(self._read_failed, f"cannot keep the attached images: {exc.strerror or exc}")
            return
        if folder is not None:
            self._scratch.append(folder)
        source = f"Read from {fs_text(path.name)}" if path is not None else "Read from the pasted message"
        self.from_worker(self._read_done, source, found, attached, earlier)

    def _set_status(self, text: str, style: str = "") -> None:
        """Say how a read went where it was asked (`_status_at`), in view: said out of sight, nothing seemed done."""
        status = self.query_one(f"#{self._status_at}", Static)
        status.update(plain(text, style=style))
        status.display = bool(text)
        if text:  # under the message: the form's last lines (then the buttons), where scroll_visible fell short
            scroll = (
                self.query_one(VerticalScroll).scroll_end if "message" in self._status_at else status.scroll_visible
            )
            self.call_after_refresh(scroll, animate=False)

    def _read_failed(self, message: str, notified: bool = False) -> None:
        """Nothing was read: the reason under the file's field, and in one notification."""
        self.reading = False
        self.query_one("#read", Button).disabled = False
        self._set_status("")
        self._show_field_error("from-file", f"Not read: {message}")
        if not notified:
            self.notify(safe_text(f"Not read: {message}"), severity="error", markup=False)

    def _read_done(self, source: str, found: Mapping[str, Any], attached: list[Path], earlier: int | None) -> None:
        """Fill in the fields still empty from what was read; say what was filled, kept and not found."""
        self.reading = False
        self.query_one("#read", Button).disabled = False
        filled: dict[str, str] = {}
        kept: list[str] = []
        missing: list[str] = []
        values = read_values(found)
        self._sent_offset, self._left_out = found.get("sent_utc_offset"), list(found.get("left_out") or [])
        self._stated = dict(found.get("elements_by_basis") or {})
        if attached:
            values["images"] = attached
        # The basis first (it sets which notice elements there are), the elements last; told in the form's order.
        for field in sorted(values, key=lambda f: (f != "basis", f == "elements")):
            value = values[field]
            if field == "elements":  # those of the basis the form holds now (the owner's, or the one read)
                value = self._stated.get(self._elements_basis, value)
                if not REQUIRED_ELEMENTS[self._elements_basis or LegalBasis.NONE]:
                    continue  # the basis asks for none
            if value is None or (not isinstance(value, datetime) and not value):
                if field != "channel":  # None: not an e-mail, which is no field left unfound
                    missing.append(field)
                continue
            said = self._fill(field, value)
            if said is None:
                kept.append(field)
            elif said:
                filled[field] = said
        read_now = (self._text("received"), self._text("deadline"))
        self._deadline_read = read_now if "deadline" in filled else self._deadline_read  # (a deadline kept: as before)
        order = list(FIELD_WORDS)
        notes = read_notes(found, "received" in filled, self.tracker.clock())
        said = read_summary(
            source,
            [filled[f] for f in sorted(filled, key=order.index)],
            [FIELD_WORDS[f] for f in sorted(kept, key=order.index)],
            [FIELD_WORDS[f] for f in sorted(missing, key=order.index)],
            earlier,
            notes,
        )
        # Said once, under the file's field: no toast repeating it, which at 80x24 covers the summary and the
        # received field it speaks of; what needs checking (a duplicate, nothing found, a date) stands out.
        warn = earlier is not None or not filled or bool(notes)
        self._set_status(said, "bold yellow" if warn else "")

    def _fill(self, field: str, value: Any) -> str | None:
        """Put `value` into the field when it is empty; what to say it filled ("" when nothing), None when kept."""
        if field == "elements":
            return self._fill_elements_read(value)
        if field == "message":
            area = self.query_one("#message", MessageArea)
            if area.text.strip():
                return None
            text = str(value)
            area.text = shown = safe_text(text, keep_newlines=True)
            self._read_values["message"] = (shown, text)
            return "message"
        if field in ("channel", "basis", "language"):
            select = self.query_one(f"#{field}", Select)
            if select.value != UNTOUCHED[field]:
                return None
            choice = getattr(value, "value", value)
            if field == "basis" and isinstance(choice, str) and choice in {b.value for b in LegalBasis}:
                if LegalBasis(choice) is not self._elements_basis:
                    self._fill_elements(LegalBasis(choice))
            labels = choices(field)
            if choice not in labels:  # a value this form does not offer: left as it is
                return ""
            select.value = choice
            return f"{FIELD_WORDS[field]} ({labels[choice]})"
        field_input = self.query_one(f"#{field}", Input)
        current = field_input.value.strip()
        if current and current.lower() != UNTOUCHED.get(field, "").lower():
            return None
        if isinstance(value, datetime):
            text, said = time_filled(field, value)
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = [str(v) for v in value]
            text = join_list(str(p) for p in items)
            noun = {"posts": "post", "work-urls": "work URL", "images": "image"}.get(field, FIELD_WORDS[field])
            said = counted(len(items), noun)
            if field == "images":
                said += " (attached; kept in a private folder until the form closes)"
        else:
            text = str(value)  # one line as read (`messages` joins a name's lines); a stray line end shows as \x0a
            said = FIELD_WORDS[field]
        shown = safe_text(text)
        field_input.value = shown
        if shown != text:
            self._read_values[field] = (shown, text)
        return said

    def _fill_elements_read(self, keys: Any) -> str:
        """Tick the notice elements read that the legal basis asks for (as `complaint add --from` keeps them)."""
        elements = self.query_one("#elements", SelectionList)
        known = {key for key, _ in REQUIRED_ELEMENTS[self._elements_basis or LegalBasis.NONE]}
        new = sorted((set(keys) & known) - set(elements.selected))
        for key in new:
            elements.select(key)
        return counted(len(new), "notice element") if new else ""
