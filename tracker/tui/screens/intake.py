"""Logging a complaint that just arrived: a form, checked in full before anything is saved.

The form reads what arrived as `complaint add --from` does (`intake_read`: a saved e-mail or text file, else the
message pasted into it), filling only the fields still empty. What it saves is what the fields show, the values a
read filled in as they were read unless the owner changed them (the file's text is untrusted: a field shows it with
control characters escaped). Attached images are written to a private scratch folder, removed when the form
closes, and archived from there on Save as the CLI archives them. Its deadline said back: `intake_deadline`; its
draft kept: `intake_kept`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.complaints.intake import add_complaint
from tracker.complaints.intake_checks import SameMessage, same_sender_same_post
from tracker.complaints.legal import BASIS_LABELS, CHANNEL_LABELS, REQUIRED_ELEMENTS, default_deadline
from tracker.db.models import Channel, LegalBasis
from tracker.errors import TrackerError
from tracker.support.dates import start_of_local_day
from tracker.tui.message_fill import (
    FieldError,
    error_field,
    follow_up_hint,
    read_deadline_moved,
    record_shows,
    split_list,
    ticked_hint,
)
from tracker.tui.screens.guard import ConfirmScreen
from tracker.tui.screens.intake_deadline import ShowsDeadline
from tracker.tui.screens.intake_kept import KeepsIntake
from tracker.tui.screens.intake_read import ReadsMessage
from tracker.tui.text import plain
from tracker.tui.widgets.choices import Selection, SelectionList
from tracker.tui.widgets.line_input import PASTED_MESSAGE, LineInput
from tracker.tui.widgets.message_area import MessageArea

if TYPE_CHECKING:
    from textual.worker import Worker

T = TypeVar("T")

FIELDS_WITH_ERRORS = ("from-file", "received", "posts", "images", "work-urls", "deadline")
"""The inputs an error can be shown under (`#<id>-error`); any other error goes on the form's error line."""


class IntakeScreen(ShowsDeadline, KeepsIntake, ReadsMessage):
    """The complaint form; Save checks every image and post first and keeps nothing on an error."""

    HELP = (
        "Fill in what the message gives (only the date is required), name the posts by URL or number, "
        "give the complainant's image file(s). `Ctrl+R` (Read) reads a saved e-mail (.eml) or text file "
        "named at the top, or else the message pasted into the form, as `tracker complaint add --from` "
        "does: it fills in only the fields still empty (what you typed is kept), attached images "
        "included, and says what it found. A post named by its URL and a contact given tick the notice "
        "elements they are (the material's location, the contact) as saving counts them. Nothing is saved "
        "if an image cannot be read or a post is not logged. A save that fails keeps everything typed and "
        "marks the field at fault; leaving with something typed asks first."
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="intake.cancel"),
        Binding("ctrl+r", "read", "Read", id="intake.read"),
        Binding("ctrl+s", "save", "Save", id="intake.save"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.saving = False
        """A save is under way (the form cannot be left until it ends)."""
        self.reading = False
        """A message is being read (Read and Save wait for it)."""
        self._failed_values: dict[str, str] = {}
        """What the inputs marked with an error held when the save failed."""
        self._read_values: dict[str, tuple[str, str]] = {}
        """By field: the value a read showed (escaped) and the one it read, saved while the field still shows it."""
        self._sent_offset: int | None = None
        """The UTC offset of the message read (`message_fields`), so the letter dates it as its sender did."""
        self._deadline_read: tuple[str, str] | None = None
        """(the arrival time, the deadline) the fields showed once a read filled the deadline, counted from it."""
        self._scratch: list[Path] = []
        self._left_out: list[str] = []  # attachments of the message read that are not kept: the record says so
        """The private folders holding attached images read (removed when the form closes)."""
        self._elements_basis: LegalBasis | None = None
        """The legal basis whose elements the list holds."""
        self._stated: dict[Any, Any] = {}
        """The notice elements the message read states, by legal basis (`elements_by_basis`): ticked
        when the owner picks that basis, as `complaint add --from --basis` keeps them."""
        self._derived: set[str] = set()
        """The notice elements the form ticked itself (`message_fill.RECORD_SHOWS`): unticked again once
        their field no longer gives them."""
        self._status_at = "from-file-status"  # where a read is said: there, or under the message (Ctrl+R there)

    def field_error(self, field: str) -> Static:
        """The error line under an input (hidden while empty)."""
        return self.query_one(f"#{field}-error", Static)

    def _error_line(self, field: str, kind: str = "error", classes: str = "error field-error") -> Static:
        """A line under a field, hidden until it says something: what is wrong with it, or (`status`) how it read."""
        line = Static(Text(""), id=f"{field}-{kind}", classes=classes)
        line.display = False
        return line

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(can_focus=False):  # Tab from Save goes to the first field, not to an unmarked stop
            yield self.top_hint()
            yield Label(Text("Read a saved message (.eml or text file), or paste the whole message here"))
            with Horizontal(id="read-row"):
                yield LineInput(id="from-file", placeholder="~/Downloads/complaint.eml", lines_to=PASTED_MESSAGE)
                yield Button("Read", id="read")
            yield self._error_line("from-file")
            yield self._error_line("from-file", "status", "hint")
            yield Label(Text("Received (YYYY-MM-DD, ISO date-time or 'now')"))
            yield LineInput(value="now", id="received")
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
            derived = Static(Text(""), id="elements-hint", classes="hint")
            derived.display = False
            yield derived
            yield Label(Text("Posts it names: URLs or post numbers, separated by spaces or commas"))
            yield LineInput(id="posts", placeholder="https://www.pixiv.net/artworks/123  #4")
            yield self._error_line("posts")
            yield Label(Text("Complainant's image file(s): paths, separated by spaces (quote paths with spaces)"))
            yield LineInput(id="images", placeholder="~/Downloads/their-work.jpg")
            yield self._error_line("images")
            yield Label(Text("Platform"))
            yield LineInput(id="platform", placeholder="pixiv")
            yield Label(Text("Platform's ticket number"))
            yield LineInput(id="ticket", placeholder="ticket id")
            yield Label(Text("Complainant's name"))
            yield LineInput(id="name", placeholder="name")
            yield Label(Text("Their organisation"))
            yield LineInput(id="org", placeholder="organisation")
            yield Label(Text("Their role"))
            yield LineInput(id="role", placeholder="rights holder / agent / lawyer")
            yield Label(Text("Their contact"))
            yield LineInput(id="contact", placeholder="email or address")
            yield Label(Text("Their work's title"))
            yield LineInput(id="work-title", placeholder="title")
            yield Label(Text("Their work's URLs, separated by spaces"))
            yield LineInput(id="work-urls", placeholder="https://...")
            yield self._error_line("work-urls")
            yield Label(Text("Language to answer in"))
            yield Select(
                [("guess from the message", "auto"), ("Japanese (日本語)", "ja"), ("English", "en")],
                value="auto",
                allow_blank=False,
                id="language",
            )
            yield Label(Text("Deadline to answer (empty: the default for the legal basis)"))
            yield LineInput(id="deadline")
            yield self._error_line("deadline")
            yield self._error_line("deadline", "status", "hint")  # the day it is read as, before Save
            yield Label(Text("The message as received"))
            yield MessageArea(id="message")
            yield self._error_line("message", "status", "hint")  # a read asked from the message: said there
            yield Static(Text(""), id="intake-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save complaint", id="save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "New complaint"
        self._fill_elements(LegalBasis.NONE)
        self.query_one("#from-file", Input).focus()  # the first field: what arrived, read with Ctrl+R
        self.remember_input()  # and what was typed here before the tracker closed, put back (`KeepsIntake`)

    def _fill_elements(self, basis: LegalBasis) -> None:
        self._elements_basis = basis
        self._derived = set()
        elements = self.query_one("#elements", SelectionList)
        elements.clear_options()
        for key, label in REQUIRED_ELEMENTS[basis]:
            elements.add_option(Selection(Text(label), key, False))
        if not REQUIRED_ELEMENTS[basis]:
            elements.add_option(Selection(Text("(no formal elements for this basis)"), "", False, disabled=True))
        self._tick_what_the_record_shows()

    def _tick_what_the_record_shows(self) -> None:
        """Tick the elements a post URL or contact gives (as saving counts them), untick those no longer given."""
        elements = self.query_one("#elements", SelectionList)
        known = {key for key, _ in REQUIRED_ELEMENTS[self._elements_basis or LegalBasis.NONE]}
        posts = self._text("posts")
        try:
            named = split_list(posts)
        except TrackerError:  # Save says what is wrong with the list
            named = posts.split()
        shows = {key: field for key, field in record_shows(named, self._text("contact")).items() if key in known}
        selected = set(elements.selected)
        for key in sorted(set(shows) - selected):
            elements.select(key)
            self._derived.add(key)
        for key in sorted(self._derived - set(shows)):
            if key in selected:
                elements.deselect(key)
        self._derived &= set(shows)
        said = ticked_hint({shows[key] for key in self._derived}, len(self._derived))
        hint = self.query_one("#elements-hint", Static)
        hint.update(Text(said))
        hint.display = bool(said)

    @on(Input.Changed, "#posts, #contact")
    def record_fields_changed(self) -> None:
        self._tick_what_the_record_shows()

    @on(SelectionList.SelectedChanged, "#elements")
    def elements_changed(self) -> None:
        """An element the form holds a post URL or a contact for stays ticked: saving counts it present."""
        self._tick_what_the_record_shows()

    @on(Select.Changed, "#basis")
    def basis_changed(self, event: Select.Changed) -> None:
        if isinstance(basis := event.select.value, str) and LegalBasis(basis) is not self._elements_basis:
            self._fill_elements(LegalBasis(basis))  # the basis chosen now (a draft put back set it meanwhile)
            self._fill_elements_read(self._stated.get(LegalBasis(basis), ()))

    def _value(self, widget_id: str, shown: str) -> str:
        """What a field holding `shown` means: the value read from a message while it still shows it."""
        read = self._read_values.get(widget_id)
        return read[1] if read is not None and read[0] == shown else shown

    def _text(self, widget_id: str) -> str:
        return self._value(widget_id, self.query_one(f"#{widget_id}", Input).value).strip()

    def _read(self, widget_id: str, read: Callable[[str], T]) -> T:
        """One input's value through `read`; what it cannot read raises a `FieldError` naming the input."""
        try:
            return read(self._text(widget_id))
        except TrackerError as exc:
            raise FieldError(widget_id, str(exc)) from None

    def collect(self) -> ComplaintInput:
        """The form as a ComplaintInput; a bad date or list raises one clear `FieldError` naming its input."""
        now = self.tracker.clock()  # the app's clock, as the deadline below counts from it
        received = self._read("received", lambda text: self.typed_received(text, now))
        message = self._message_text()
        offset = self.senders_offset(message)  # as `complaint add` records it
        if read_deadline_moved(self._deadline_read, self._text("deadline"), self._text("received")):
            raise FieldError("deadline", "counted from the arrival time read before: clear it and press Ctrl+R again")
        deadline = self._read("deadline", lambda text: self.typed_deadline(text, received, now, offset))
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
            message=message or None,
            elements={e for e in self.query_one("#elements", SelectionList).selected if e},
            deadline_at=deadline,
            posts=self._read("posts", split_list),
            images=[Path(p).expanduser() for p in self._read("images", split_list)],
            sent_utc_offset=offset,  # the message's, else the zone typed with the arrival time (as --received)
            left_out=self._left_out,
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
        if self.reading:
            self.notify("Reading the message: a moment…", markup=False)
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
        self.deadline_changed(field)  # said again under the deadline: the day it is read as
        if field in self._failed_values and event.value != self._failed_values[field]:
            del self._failed_values[field]
            self.field_error(field).display = False

    @work(thread=True, exclusive=True, group="intake", exit_on_error=False)
    def save(self, data: ComplaintInput) -> None:
        """Read the images and write the complaint off the UI thread (images can be large)."""
        archive = self.tracker.archive()
        try:
            number = add_complaint(archive.factory, self.tracker.settings, data, archive.platforms)
        except SameMessage as exc:  # refused as `complaint add` refuses it, unless the owner says to log it again
            self.from_worker(self._ask_same_message, exc.earlier, data)
            return
        except TrackerError as exc:
            self.from_worker(self._failed, str(exc), error_field(exc))
            return
        with archive.factory() as session:  # as `complaint add` says it: the sender's earlier complaint, if any
            earlier = None if data.duplicate else same_sender_same_post(session, number)
        deadline = data.deadline_at or default_deadline(data.legal_basis, data.received_at)
        self.from_worker(self._saved, number, deadline, earlier)

    def _ask_same_message(self, earlier: int, data: ComplaintInput) -> None:
        """Complaint #`earlier` holds this very message: log it again only when the owner says so (Enter: don't)."""

        def answered(again: bool | None) -> None:
            if again:
                self.save(replace(data, duplicate=True))
            else:
                self._failed(f"complaint #{earlier} already holds this message: nothing logged")

        question = f"Complaint #{earlier} already holds this message. Log it again as a new complaint?"
        ask = ConfirmScreen(question, yes=("log-again", "Log it again"), no=("dont-log", "Don't log"), default_no=True)
        self.app.push_screen(ask, answered)

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        if worker.group == "intake-read":
            self._read_failed(message, notified=True)
            return
        self._failed(message)

    def _failed(self, message: str, field: str | None = None) -> None:
        """Nothing was saved: everything typed stays; the error goes under its input too when it names one."""
        self.saving = False
        self._show_field_error(field, message)
        self.query_one("#intake-error", Static).update(plain(f"Not saved: {message}"))
        self.query_one("#save", Button).disabled = False

    def _saved(self, number: int, deadline: datetime, earlier: tuple[int, int] | None = None) -> None:
        """Say the deadline stored, as `complaint add` does: `answer by 2026-12-04`, OVERDUE once its day is over;
        and the sender's earlier complaint about the same post (`earlier`: it, the post), whose follow-up it may be."""
        self.saving = False
        self.input_saved()  # leaving loses nothing now; the form's draft goes
        late = deadline < start_of_local_day(self.tracker.clock())
        said = f"Complaint #{number} logged: answer by {deadline_shown(deadline)}" + (
            ", OVERDUE already." if late else "."
        )
        self.notify(said, severity="warning" if late else "information", markup=False)
        if earlier is not None:
            self.notify(follow_up_hint(number, *earlier), severity="warning", markup=False, timeout=12)
        if not self.is_active:  # a question is open over the form (quit?): leave the form to it
            self.query_one("#intake-error", Static).update(Text(f"Saved as complaint #{number}.", style="not bold"))
            return
        self.app.pop_screen()
        self.tracker.open_complaint(number)
