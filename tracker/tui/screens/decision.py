"""Recording a decision (a revision when the complaint already has one)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, RadioButton, RadioSet, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from tracker.complaints.decisions import DecisionInput, current_decision, decide
from tracker.complaints.legal import ACTION_LABELS, REASON_LABELS
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
