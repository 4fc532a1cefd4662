"""Recording a decision (a revision when the complaint already has one)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Label, RadioButton, RadioSet, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from tracker.complaints.decisions import DecisionInput, current_decision, decide
from tracker.complaints.legal import ACTION_LABELS, REASON_LABELS
from tracker.db.models import Complaint, DecisionAction, DisputeReason
from tracker.errors import TrackerError
from tracker.matching.search import MatchedPost
from tracker.tui.screens.base import TrackerModal
from tracker.tui.screens.guard import GuardsInput
from tracker.tui.text import plain


class DecisionScreen(GuardsInput, TrackerModal[int | None]):
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
        posts: list[MatchedPost],
        selected_posts: list[int],
        preset: str | None,
    ) -> None:
        super().__init__()
        self.complaint = complaint
        self.posts = posts
        self.selected_posts = selected_posts
        self.preset = DecisionAction(preset) if preset else None

    def compose(self) -> ComposeResult:
        previous = current_decision(self.complaint)
        named = {link.post_id for link in self.complaint.named_posts}
        chosen = named or set(self.selected_posts)
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
                            plain(f"#{p.id} {p.platform} {p.url}"),
                            p.id,
                            p.id in chosen,
                        )
                        for p in self.posts
                    ],
                    id="posts",
                )
                yield Label(Text("Private notes (kept with the decision, never sent):"))
                yield TextArea(id="notes")
                yield Label(Text("A sentence for the complainant (goes into the reply):"))
                yield TextArea(id="reply-note")
                yield Checkbox(
                    Text("Decide despite the record (when it contradicts the reason; kept in the audit trail)"),
                    id="despite-record",
                )
                yield Static(Text(""), id="decision-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Static(Text("Ctrl+S save · Esc cancel"), classes="hint keys-hint")
                yield Button("Cancel", id="cancel")
                yield Button("Save decision", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#action", RadioSet).focus()
        self.remember_input()

    def input_values(self) -> dict[str, object]:
        """What leaving would lose: the chosen action and reason, the notes and the sentence for the complainant."""
        return {
            "action": self.query_one("#action", RadioSet).pressed_index,
            "reason": self.query_one("#reason", Select).value,
            "notes": self.query_one("#notes", TextArea).text,
            "reply-note": self.query_one("#reply-note", TextArea).text,
        }

    def chosen_action(self) -> DecisionAction | None:
        pressed = self.query_one("#action", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return None
        return DecisionAction(pressed.id.removeprefix("action-"))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.leave_asking(lambda: self.dismiss(None))

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
            despite_record=self.query_one("#despite-record", Checkbox).value,
        )
        try:
            decision_id = decide(self.tracker.factory, self.complaint.id, choice)
        except TrackerError as exc:
            error.update(plain(str(exc)))
            return
        self.dismiss(decision_id)
