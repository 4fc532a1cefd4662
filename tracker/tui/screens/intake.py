"""Logging a complaint that just arrived: a form, checked in full before anything is saved."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from tracker.complaints.intake import ComplaintInput, add_complaint
from tracker.complaints.legal import BASIS_LABELS, CHANNEL_LABELS, REQUIRED_ELEMENTS
from tracker.db.models import Channel, LegalBasis
from tracker.errors import TrackerError, UsageError
from tracker.support.dates import parse_when
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.text import plain

if TYPE_CHECKING:
    from textual.worker import Worker


def split_list(text: str) -> list[str]:
    """Items separated by commas, spaces or new lines; quotes keep a path with spaces together."""
    try:
        parts = shlex.split(text.replace(",", " "), posix=True)
    except ValueError as exc:
        raise UsageError(f"cannot read the list {text!r}: {exc}") from None
    return [p for p in parts if p]


class IntakeScreen(TrackerScreen[None]):
    """The complaint form; Save checks every image and post first and keeps nothing on an error."""

    HELP = (
        "Fill in what the message gives (only the date is required), name the posts by URL or number, "
        "give the complainant's image file(s). Nothing is saved if an image cannot be read or a post "
        "is not logged."
    )
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Cancel", id="intake.cancel"),
        Binding("ctrl+s", "save", "Save", id="intake.save"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(
                Text("New complaint — only the date is required; fill in what the message gives."), classes="hint"
            )
            yield Label(Text("Received (YYYY-MM-DD, ISO date-time or 'now')"))
            yield Input(value="now", id="received")
            yield Label(Text("Channel"))
            yield Select(
                [(label, c.value) for c, label in CHANNEL_LABELS.items()],
                value="platform_form",
                allow_blank=False,
                id="channel",
            )
            yield Label(Text("Legal basis"))
            yield Select(
                [(label, b.value) for b, label in BASIS_LABELS.items()], value="none", allow_blank=False, id="basis"
            )
            yield Label(Text("What the notice contains (for its legal basis)"))
            yield SelectionList[str](id="elements")
            yield Label(Text("Posts it names: URLs or post numbers, separated by spaces or commas"))
            yield Input(id="posts", placeholder="https://www.pixiv.net/artworks/123  #4")
            yield Label(Text("Complainant's image file(s): paths, separated by spaces (quote paths with spaces)"))
            yield Input(id="images", placeholder="~/Downloads/their-work.jpg")
            yield Label(Text("Platform and ticket number"))
            with Horizontal(classes="row"):
                yield Input(id="platform", placeholder="pixiv")
                yield Input(id="ticket", placeholder="ticket id")
            yield Label(Text("Complainant: name, organisation, role, contact"))
            yield Input(id="name", placeholder="name")
            yield Input(id="org", placeholder="organisation")
            yield Input(id="role", placeholder="rights holder / agent / lawyer")
            yield Input(id="contact", placeholder="email or address")
            yield Label(Text("Their work: title and URLs"))
            yield Input(id="work-title", placeholder="title")
            yield Input(id="work-urls", placeholder="https://...")
            yield Label(Text("Deadline to answer (empty: the default for the legal basis)"))
            yield Input(id="deadline")
            yield Label(Text("The message as received"))
            yield TextArea(id="message")
            yield Static(Text(""), id="intake-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save complaint", id="save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "New complaint"
        self._fill_elements(LegalBasis.NONE)
        self.query_one("#received", Input).focus()

    def _fill_elements(self, basis: LegalBasis) -> None:
        elements = self.query_one("#elements", SelectionList)
        elements.clear_options()
        for key, label in REQUIRED_ELEMENTS[basis]:
            elements.add_option(Selection(Text(label), key, False))
        if not REQUIRED_ELEMENTS[basis]:
            elements.add_option(Selection(Text("(no formal elements for this basis)"), "", False, disabled=True))

    @on(Select.Changed, "#basis")
    def basis_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._fill_elements(LegalBasis(event.value))

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def collect(self) -> ComplaintInput:
        """The form as a ComplaintInput; bad dates or lists raise one clear UsageError."""
        received = parse_when(self._text("received") or "now")
        deadline = parse_when(self._text("deadline")) if self._text("deadline") else None
        basis = LegalBasis(str(self.query_one("#basis", Select).value))
        return ComplaintInput(
            received_at=received,
            channel=Channel(str(self.query_one("#channel", Select).value)),
            legal_basis=basis,
            platform=self._text("platform") or None,
            ticket_id=self._text("ticket") or None,
            complainant_name=self._text("name") or None,
            complainant_org=self._text("org") or None,
            complainant_role=self._text("role") or None,
            complainant_contact=self._text("contact") or None,
            claimed_title=self._text("work-title") or None,
            claimed_urls=split_list(self._text("work-urls")),
            message=self.query_one("#message", TextArea).text or None,
            elements={e for e in self.query_one("#elements", SelectionList).selected if e},
            deadline_at=deadline,
            posts=split_list(self._text("posts")),
            images=[Path(p).expanduser() for p in split_list(self._text("images"))],
        )

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self.query_one("#intake-error", Static)
        try:
            data = self.collect()
        except TrackerError as exc:
            error.update(plain(str(exc)))
            return
        error.update(Text("Saving: reading the images…", style="not bold"))
        self.query_one("#save", Button).disabled = True
        self.save(data)

    @work(thread=True, exclusive=True, group="intake", exit_on_error=False)
    def save(self, data: ComplaintInput) -> None:
        """Read the images and write the complaint off the UI thread (images can be large)."""
        archive = self.tracker.archive()
        try:
            number = add_complaint(archive.factory, self.tracker.settings, data, archive.platforms)
        except TrackerError as exc:
            self.from_worker(self._failed, str(exc))
            return
        self.from_worker(self._saved, number)

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        self._failed(message)

    def _failed(self, message: str) -> None:
        self.query_one("#intake-error", Static).update(plain(f"Not saved: {message}"))
        self.query_one("#save", Button).disabled = False

    def _saved(self, number: int) -> None:
        self.app.pop_screen()
        self.notify(f"Complaint #{number} logged.")
        self.tracker.open_complaint(number)
