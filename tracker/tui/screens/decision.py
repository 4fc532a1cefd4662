"""Recording a decision, and the reply drafted from it."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, RadioButton, RadioSet, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from tracker.complaints.decisions import DecisionInput, current_decision, decide, mark_answered
from tracker.complaints.legal import ACTION_LABELS, REASON_LABELS
from tracker.complaints.records import get_complaint, set_language
from tracker.complaints.replies import Draft, draft_reply
from tracker.complaints.triage import TriageCandidate
from tracker.db.models import Complaint, DecisionAction, DisputeReason
from tracker.errors import TrackerError
from tracker.tui.screens.base import TrackerModal
from tracker.tui.text import plain, short


class DecisionScreen(TrackerModal[int | None]):
    """Choose what to do; a second decision on the same complaint is recorded as a revision."""

    HELP = (
        "Take down, dispute (with a reason), ask for more information, invalid notice, or withdrawn. "
        "Deciding again records a revision; earlier decisions stay on record."
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="decision.cancel"),
        Binding("ctrl+s", "save", "Save", id="decision.save"),
    ]

    def __init__(
        self,
        complaint: Complaint,
        candidates: list[TriageCandidate],
        selected_post: int | None,
        preset: str | None,
    ) -> None:
        super().__init__()
        self.complaint = complaint
        self.candidates = candidates
        self.selected_post = selected_post
        self.preset = DecisionAction(preset) if preset else None

    def compose(self) -> ComposeResult:
        previous = current_decision(self.complaint)
        named = {link.post_id for link in self.complaint.named_posts}
        chosen = named or ({self.selected_post} if self.selected_post else set())
        with Vertical():
            title = f"Decision on complaint #{self.complaint.id}"
            if previous is not None:
                title += f" — revises decision #{previous.id} ({ACTION_LABELS[previous.action]}); it stays on record"
            yield Label(plain(title), classes="section")
            with VerticalScroll():
                with RadioSet(id="action"):
                    for action in DecisionAction:
                        yield RadioButton(
                            Text(ACTION_LABELS[action]), value=action is self.preset, id=f"action-{action.value}"
                        )
                yield Select(
                    [(REASON_LABELS[r], r.value) for r in DisputeReason],
                    prompt="Reason (for a dispute)",
                    id="reason",
                )
                yield Label(Text("Posts this decision is about (to take down, on a take-down):"))
                yield SelectionList[int](
                    *[
                        Selection(
                            Text(f"#{c.post_id} {c.platform} {short(c.url, 60).plain}"),
                            c.post_id,
                            c.post_id in chosen,
                        )
                        for c in self.candidates
                    ],
                    id="posts",
                )
                yield Label(Text("Private notes (kept with the decision, never sent):"))
                yield TextArea(id="notes")
                yield Label(Text("A sentence for the complainant (goes into the reply):"))
                yield TextArea(id="reply-note")
                yield Static(Text(""), id="decision-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save decision", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#action", RadioSet).focus()

    def chosen_action(self) -> DecisionAction | None:
        pressed = self.query_one("#action", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return None
        return DecisionAction(pressed.id.removeprefix("action-"))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        action = self.chosen_action()
        error = self.query_one("#decision-error", Static)
        if action is None:
            error.update(Text("Choose what you decided."))
            return
        reason_value = self.query_one("#reason", Select).value
        reason = DisputeReason(reason_value) if isinstance(reason_value, str) else None
        if action is not DecisionAction.DISPUTE:
            reason = None
        posts = tuple(self.query_one("#posts", SelectionList).selected)
        choice = DecisionInput(
            action,
            reason,
            notes=self.query_one("#notes", TextArea).text,
            reply_note=self.query_one("#reply-note", TextArea).text,
            post_ids=posts,
        )
        try:
            decision_id = decide(self.tracker.factory, self.complaint.id, choice)
        except TrackerError as exc:
            error.update(plain(str(exc)))
            return
        self.dismiss(decision_id)


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
