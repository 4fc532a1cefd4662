"""Logging a complaint that just arrived: a form, checked in full before anything is saved."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from tracker.complaints.deadlines import checked_deadline
from tracker.complaints.intake import ComplaintInput, add_complaint
from tracker.complaints.legal import BASIS_LABELS, CHANNEL_LABELS, REQUIRED_ELEMENTS, default_deadline
from tracker.db.models import Channel, LegalBasis
from tracker.errors import ImageReadError, NotFoundError, TrackerError, UsageError
from tracker.support.dates import local_day, parse_when, start_of_local_day
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.screens.guard import GuardsInput
from tracker.tui.text import plain

if TYPE_CHECKING:
    from textual.worker import Worker

T = TypeVar("T")

FIELDS_WITH_ERRORS = ("received", "posts", "images", "work-urls", "deadline")
"""The inputs an error can be shown under (`#<id>-error`); any other error goes on the form's error line."""


def split_list(text: str) -> list[str]:
    """Items separated by commas, spaces or new lines; quotes keep a path with spaces together."""
    try:
        parts = shlex.split(text.replace(",", " "), posix=True)
    except ValueError as exc:
        raise UsageError(f"cannot read the list {text!r}: {exc}") from None
    return [p for p in parts if p]


class FieldError(UsageError):
    """A value of one input of the form cannot be read: `field` is the input's id."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def error_field(error: TrackerError) -> str | None:
    """The input a failed save is about (its id), or None when it is about the form as a whole."""
    if isinstance(error, FieldError):
        return error.field
    if isinstance(error, ImageReadError):
        return "images"
    if isinstance(error, NotFoundError):  # the form names no persona: only a named post can be missing
        return "posts"
    message = str(error)
    if isinstance(error, UsageError) and " images " in f" {message} ":  # "at most 20 images per complaint"
        return "images"
    if isinstance(error, UsageError) and "named posts" in message:  # posts of different personas
        return "posts"
    return None


class IntakeScreen(GuardsInput, TrackerScreen[None]):
    """The complaint form; Save checks every image and post first and keeps nothing on an error."""

    HELP = (
        "Fill in what the message gives (only the date is required), name the posts by URL or number, "
        "give the complainant's image file(s). Nothing is saved if an image cannot be read or a post "
        "is not logged. A save that fails keeps everything typed and marks the field at fault; leaving "
        "with something typed asks first."
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="intake.cancel"),
        Binding("ctrl+s", "save", "Save", id="intake.save"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.saving = False
        """A save is under way (the form cannot be left until it ends)."""
        self._failed_values: dict[str, str] = {}
        """What the inputs marked with an error held when the save failed."""

    def field_error(self, field: str) -> Static:
        """The error line under an input (hidden while empty)."""
        return self.query_one(f"#{field}-error", Static)

    def _error_line(self, field: str) -> Static:
        line = Static(Text(""), id=f"{field}-error", classes="error field-error")
        line.display = False
        return line

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(
                Text("New complaint — only the date is required; fill in what the message gives."), classes="hint"
            )
            yield Label(Text("Received (YYYY-MM-DD, ISO date-time or 'now')"))
            yield Input(value="now", id="received")
            yield self._error_line("received")
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
            yield self._error_line("posts")
            yield Label(Text("Complainant's image file(s): paths, separated by spaces (quote paths with spaces)"))
            yield Input(id="images", placeholder="~/Downloads/their-work.jpg")
            yield self._error_line("images")
            yield Label(Text("Platform"))
            yield Input(id="platform", placeholder="pixiv")
            yield Label(Text("Platform's ticket number"))
            yield Input(id="ticket", placeholder="ticket id")
            yield Label(Text("Complainant's name"))
            yield Input(id="name", placeholder="name")
            yield Label(Text("Their organisation"))
            yield Input(id="org", placeholder="organisation")
            yield Label(Text("Their role"))
            yield Input(id="role", placeholder="rights holder / agent / lawyer")
            yield Label(Text("Their contact"))
            yield Input(id="contact", placeholder="email or address")
            yield Label(Text("Their work's title"))
            yield Input(id="work-title", placeholder="title")
            yield Label(Text("Their work's URLs, separated by spaces"))
            yield Input(id="work-urls", placeholder="https://...")
            yield self._error_line("work-urls")
            yield Label(Text("Language to answer in"))
            yield Select(
                [("guess from the message", "auto"), ("Japanese (日本語)", "ja"), ("English", "en")],
                value="auto",
                allow_blank=False,
                id="language",
            )
            yield Label(Text("Deadline to answer (empty: the default for the legal basis)"))
            yield Input(id="deadline")
            yield self._error_line("deadline")
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
        self.remember_input()

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

    def _read(self, widget_id: str, read: Callable[[str], T]) -> T:
        """One input's value through `read`; what it cannot read raises a `FieldError` naming the input."""
        try:
            return read(self._text(widget_id))
        except TrackerError as exc:
            raise FieldError(widget_id, str(exc)) from None

    def collect(self) -> ComplaintInput:
        """The form as a ComplaintInput; a bad date or list raises one clear `FieldError` naming its input."""
        received = self._read("received", lambda text: parse_when(text or "now"))
        # As `complaint add --deadline`: a day is the end of that local day; before the complaint arrived is refused.
        deadline = self._read("deadline", lambda text: checked_deadline(text, received) if text else None)
        basis = LegalBasis(str(self.query_one("#basis", Select).value))
        return ComplaintInput(
            received_at=received,
            channel=Channel(str(self.query_one("#channel", Select).value)),
            legal_basis=basis,
            platform=self._text("platform") or None,
            ticket_id=self._text("ticket") or None,
            language=None
            if self.query_one("#language", Select).value == "auto"
            else str(self.query_one("#language", Select).value),
            complainant_name=self._text("name") or None,
            complainant_org=self._text("org") or None,
            complainant_role=self._text("role") or None,
            complainant_contact=self._text("contact") or None,
            claimed_title=self._text("work-title") or None,
            claimed_urls=self._read("work-urls", split_list),
            message=self.query_one("#message", TextArea).text or None,
            elements={e for e in self.query_one("#elements", SelectionList).selected if e},
            deadline_at=deadline,
            posts=self._read("posts", split_list),
            images=[Path(p).expanduser() for p in self._read("images", split_list)],
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Leave the form; with something typed in it, only once the owner chose to discard it."""
        if self.saving:
            self.notify("Saving the complaint: a moment…", markup=False)
            return
        self.leave_asking(self.app.pop_screen)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.saving:
            return
        self._show_field_error(None, "")
        error = self.query_one("#intake-error", Static)
        try:
            data = self.collect()
        except TrackerError as exc:
            self._show_field_error(error_field(exc), str(exc))
            error.update(plain(str(exc)))
            return
        error.update(Text("Saving: reading the images…", style="not bold"))
        self.query_one("#save", Button).disabled = True
        self.saving = True
        self.save(data)

    def _show_field_error(self, field: str | None, message: str) -> None:
        """Show `message` under the input `field` (and focus it), hiding every other field's error."""
        self._failed_values = {}
        for name in FIELDS_WITH_ERRORS:
            line = self.field_error(name)
            line.display = name == field
            line.update(plain(message) if name == field else Text(""))
        if field is not None:
            self._failed_values[field] = self.query_one(f"#{field}", Input).value
            self.query_one(f"#{field}", Input).focus()

    @on(Input.Changed)
    def field_changed(self, event: Input.Changed) -> None:
        """An input marked with an error was changed: its error no longer applies."""
        field = event.input.id
        if field in self._failed_values and event.value != self._failed_values[field]:
            del self._failed_values[field]
            self.field_error(field).display = False

    @work(thread=True, exclusive=True, group="intake", exit_on_error=False)
    def save(self, data: ComplaintInput) -> None:
        """Read the images and write the complaint off the UI thread (images can be large)."""
        archive = self.tracker.archive()
        try:
            number = add_complaint(archive.factory, self.tracker.settings, data, archive.platforms)
        except TrackerError as exc:
            self.from_worker(self._failed, str(exc), error_field(exc))
            return
        self.from_worker(self._saved, number, data.deadline_at or default_deadline(data.legal_basis, data.received_at))

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        self._failed(message)

    def _failed(self, message: str, field: str | None = None) -> None:
        """Nothing was saved: everything typed stays; the error goes under its input too when it names one."""
        self.saving = False
        self._show_field_error(field, message)
        self.query_one("#intake-error", Static).update(plain(f"Not saved: {message}"))
        self.query_one("#save", Button).disabled = False

    def _saved(self, number: int, deadline: datetime) -> None:
        """Say the deadline stored, as `complaint add` does: `answer by 2026-12-04`, OVERDUE once its day is over."""
        self.saving = False
        self._remembered = None  # saved: leaving loses nothing now
        late = deadline < start_of_local_day(self.tracker.clock())
        said = f"Complaint #{number} logged: answer by {local_day(deadline)}" + (", OVERDUE already." if late else ".")
        self.notify(said, severity="warning" if late else "information", markup=False)
        if not self.is_active:  # a question is open over the form (quit?): leave the form to it
            self.query_one("#intake-error", Static).update(Text(f"Saved as complaint #{number}.", style="not bold"))
            return
        self.app.pop_screen()
        self.tracker.open_complaint(number)
