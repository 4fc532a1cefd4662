"""The reply drafted from a complaint's decision: edit it, switch its language, copy it, mark it answered."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, TextArea

from tracker.complaints.decisions import mark_answered
from tracker.complaints.records import get_complaint, set_language
from tracker.complaints.replies import Draft, draft_reply
from tracker.errors import TrackerError
from tracker.tui.screens.base import TrackerModal


class ReplyScreen(TrackerModal[None]):
    """The reply drafted from the decision: edit, copy, and mark the complaint answered."""

    HELP = (
        "A letter ready to send, drafted from the decision in the complaint's language (Japanese or "
        "English; F4 switches): the posts, the models and LoRAs, a model's creator where one is recorded, "
        "your private notes never, and your persona's sign-off. A disputed DMCA or DSA notice the platform "
        "acted on gives a counter-notice; what only you can fill in is marked [[ FILL IN ]]. Templates: "
        "`data/replies/<language>/`, overridden by `replies/<language>/` in your data folder."
    )
    BINDINGS = [
        Binding("escape", "close", "Close", id="reply.close"),
        Binding("f2", "copy", "Copy", id="reply.copy"),
        Binding("f3", "answered", "Mark answered", id="reply.answered"),
        Binding("f4", "switch_language", "Japanese/English", id="reply.language"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.draft: str | None = None
        """The drafted reply, once the worker has written it."""
        self.language: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Text(f"Reply to complaint #{self.number} — edit it, copy it, send it, then mark it answered"),
                classes="section",
            )
            yield TextArea("", id="reply", read_only=True, placeholder="Drafting the reply…")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
                yield Button("Copy", id="copy")
                yield Button("Mark answered", id="answered", variant="primary")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="reply", exit_on_error=False)
    def load(self, language: str | None = None) -> None:
        """Draft the reply from the complaint's decision (in `language`, recorded first when given)."""
        archive = self.tracker.archive()
        if language is not None:
            set_language(archive.factory, self.number, language)
        with archive.factory() as session:
            complaint = get_complaint(session, self.number)
            draft = draft_reply(session, self.tracker.settings, complaint)
        self.from_worker(self.show_draft, draft)

    def action_switch_language(self) -> None:
        if self.language is None:  # still drafting
            return
        self.draft = None
        self.load("en" if self.language == "ja" else "ja")

    def show_draft(self, draft: Draft) -> None:
        if draft.fill_in:
            self.notify("Fill in before sending: " + "; ".join(draft.fill_in), severity="warning", markup=False)
        self.language = draft.language
        text = draft.text
        self.draft = text
        reply = self.query_one("#reply", TextArea)
        reply.text = text
        reply.read_only = False
        reply.focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        if self.draft is None:  # still drafting
            return
        self.app.copy_to_clipboard(self.query_one("#reply", TextArea).text)
        self.notify("Reply copied to the clipboard (where the terminal allows it).")

    @on(Button.Pressed, "#answered")
    def action_answered(self) -> None:
        if self.draft is None:  # still drafting: nothing to keep yet
            return
        try:
            mark_answered(self.tracker.factory, self.number, self.query_one("#reply", TextArea).text)
        except TrackerError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"Complaint #{self.number} marked answered; the reply is kept with it.")
        self.dismiss(None)
