"""Recording a decision (a revision when the complaint already has one)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, RadioSet, Select, Static, TextArea
from textual.worker import Worker, get_current_worker

from tracker.accountability.rules import RuleLists
from tracker.complaints.decisions import DecisionInput, current_decision, decide
from tracker.complaints.legal import ACTION_LABELS, REASON_LABELS
from tracker.db.models import Complaint, DecisionAction, DisputeReason
from tracker.errors import ConflictError, TrackerError
from tracker.matching.search import MatchedPost
from tracker.purge.drafts import decision_draft
from tracker.tui.decision_posts import first_ticked, in_list_order, post_prompt, posts_line, several
from tracker.tui.kept_input import Value
from tracker.tui.screens.base import TrackerModal
from tracker.tui.screens.guard import GuardsInput
from tracker.tui.text import plain
from tracker.tui.widgets.choices import Checkbox, RadioButton, Selection, SelectionList
from tracker.tui.widgets.text_box import TextBox

if TYPE_CHECKING:
    from tracker.complaints.sent_matches import SentMatch  # the search's modules load with its first run

KEYS_HINT = "Ctrl+S save · Esc cancel"
CHECKING_HINT = "Checking your archive for their pictures… (Esc stops it)"
"""Said beside the buttons while a not-my-post dispute's search runs (`DecisionScreen.search_sent_pictures`)."""

DESPITE_LABEL = "Decide despite the record"
"""The check box that decides although the archive's record contradicts the reason (`--despite-record`)."""

_CLI_WORDS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"decide despite the record \(--despite-record, (kept in the audit trail)\)"),
        lambda m: f'tick "{DESPITE_LABEL}" ({m.group(1)})',
    ),
    (re.compile(r"--despite-record\b"), lambda m: f'"{DESPITE_LABEL}"'),
    (re.compile(r"\buse --reason (\w+)"), lambda m: f'choose the reason "{_reason_label(m.group(1))}"'),
    (re.compile(r"--reason (\w+)"), lambda m: f'the reason "{_reason_label(m.group(1))}"'),
    (re.compile(r"\bleave it out with --posts?\b"), lambda m: "untick it in the posts list"),
    (re.compile(r"--posts?\b"), lambda m: "the posts list"),
    (re.compile(r"--action (\w+)"), lambda m: f'the action "{_action_label(m.group(1))}"'),
    (  # a reason's own name, `independent_creation` (not "other": an everyday word)
        re.compile(r"\b(" + "|".join(r.value for r in DisputeReason if "_" in r.value) + r")\b"),
        lambda m: f'"{_reason_label(m.group(1))}"',
    ),
]
"""The command line's words in the engine's messages, and what this dialog calls the same thing."""


def _reason_label(value: str) -> str:
    try:
        return REASON_LABELS[DisputeReason(value)]
    except ValueError:
        return value.replace("_", " ")


def _action_label(value: str) -> str:
    try:
        return ACTION_LABELS[DecisionAction(value)]
    except ValueError:
        return value.replace("_", " ")


def in_tui_words(message: str) -> str:
    """An engine message with the command line's flags (`--reason licensed_input`, `--despite-record`)
    replaced by the controls of this dialog (the reason choice, the "Decide despite the record" box)."""
    for pattern, words in _CLI_WORDS:
        message = pattern.sub(words, message)
    return message


class DecisionScreen(GuardsInput, TrackerModal[int | None]):
    """Choose what to do; a second decision on the same complaint is recorded as a revision."""

    HELP = (
        "Take down, dispute (with a reason), ask for more information, invalid notice, or withdrawn. "
        "Deciding again records a revision: the form starts from the decision it replaces (action, reason, notes, "
        "posts), and earlier decisions stay on record; its sentence for the complainant only while the action stays "
        "the same: chosen another action (t after a dispute), the field starts empty and says the sentence was not "
        "carried over (a dispute's argument never goes into a take-down letter unseen); choosing the action back "
        "puts it back. A sentence you typed yourself stays when you choose another action, and the form says so "
        "above its buttons: written for a dispute, it would argue the dispute in a take-down letter. A dispute whose "
        "reason the archive's record of a post contradicts (independent creation for a post made with an image input, "
        'say) is refused with the post and the fact: choose another reason, or tick "Decide despite the '
        'record" (kept in the audit trail). A refusal is shown under the form until the form changes, and '
        "the field it concerns gets the focus. A 'not my post' dispute first searches your archive for the pictures "
        "the complainant sent, as `tracker match` does: the form says so beside its buttons while it runs, and Esc "
        "stops it, saving nothing. What you type is kept (`drafts/` in the data folder) until saved or discarded: "
        "should the tracker close, the form opened again holds it (opened with t, it stays a take-down: the notes come "
        "back, not the action kept)."
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
        self.searching: Worker[None] | None = None
        """The search for the complainant's pictures a not-my-post dispute runs before it is saved, while it runs."""
        self.searched: list[SentMatch] | None = None
        """What it found, kept while a screen over this one (help, the palette) waits to close before saving."""
        previous = current_decision(complaint)
        self.revised = previous
        """The decision this form revises (None: the first decision)."""
        self.note_written_for: DecisionAction | None = None
        """The action chosen when the sentence for the complainant was last typed or put in (None: no sentence)."""
        self._kept_action_dropped = False
        """A draft put back held another action than the one chosen by its key (`put_back_input`)."""

    def compose(self) -> ComposeResult:
        # A revision starts from the decision it replaces (its action unless `t` chose one, its reason, notes and
        # posts, its sentence for the complainant with its action only: `carried_note`): the owner changes what
        # changed, and saving keeps the rest.
        previous = current_decision(self.complaint)
        named = {link.post_id for link in self.complaint.named_posts}
        chosen = set(previous.post_ids) if previous is not None and previous.post_ids else None
        chosen = first_ticked(self.complaint, self.posts, chosen or named or set(self.selected_posts), bool(chosen))
        action = self.preset or (previous.action if previous is not None else None)
        reason = previous.reason.value if previous is not None and previous.reason else Select.NULL
        with Vertical():
            title = f"Decision on complaint #{self.complaint.id}"
            if previous is not None:
                title += f" — revises decision #{previous.id} ({ACTION_LABELS[previous.action]}); it stays on record"
            yield Label(plain(title), classes="section")
            with VerticalScroll(can_focus=False):  # Tab from "Save decision" goes to the action, not an unmarked stop
                with RadioSet(id="action"):
                    for choice in DecisionAction:
                        yield RadioButton(
                            Text(ACTION_LABELS[choice]), value=choice is action, id=f"action-{choice.value}"
                        )
                yield Select(
                    [(REASON_LABELS[r], r.value) for r in DisputeReason],
                    prompt="Reason (for a dispute)",
                    value=reason,
                    id="reason",
                )
                yield Checkbox(Text(DESPITE_LABEL), id="despite-record")
                yield Static(
                    Text("if the record contradicts the reason (kept in the audit trail)"),
                    id="despite-hint",
                    classes="hint",
                )
                yield Label(Text("Posts this decision is about (to take down, on a take-down):"))
                yield SelectionList[int](
                    *[
                        Selection(
                            plain(post_prompt(p, several(self.posts))),
                            p.id,
                            p.id in chosen,
                        )
                        for p in self.posts
                    ],
                    id="posts",
                )
                yield Label(Text("Private notes (kept with the decision, never sent):"))
                yield TextBox((previous.notes or "") if previous else "", id="notes")
                yield Label(Text("A sentence for the complainant (goes into the reply):"))
                yield TextBox(self.carried_note(action), id="reply-note")
                held = Static(Text(""), id="reply-note-hint", classes="hint")
                held.display = False  # until a sentence is held back (`note_for_action`)
                yield held
            # Outside the scrolling form, so that a refusal is seen whatever part of the form is shown, and which
            # posts the decision acts on, of which persona, and who the letter answers as (`decision_posts`).
            moved = Static(Text(""), id="reply-note-moved")
            moved.display = False  # until the action changes under a sentence typed for another (`note_for_action`)
            yield moved
            yield Static(Text(""), id="decision-posts", classes="hint")
            error = Static(Text(""), id="decision-error", classes="error")
            error.display = False  # until a refusal (`say_refused`)
            yield error
            with Horizontal(classes="buttons"):
                yield Static(Text(KEYS_HINT), id="decision-keys", classes="hint keys-hint")
                yield Button("Cancel", id="cancel")
                yield Button("Save decision", id="save", variant="primary")

    def carried_note(self, action: DecisionAction | None) -> str:
        """The revised decision's sentence for the complainant, when the form's action is that decision's: a
        sentence argues its action (a dispute's 「当該画像は私自身のプロンプトから生成したもので…」), and carried
        into another (a take-down's letter) it would be sent unread, below the fold at 80x24. "" otherwise."""
        previous = self.revised
        if previous is None or action is not previous.action:
            return ""
        return previous.reply_note or ""

    def held_back(self, action: DecisionAction | None) -> str:
        """What the form says under the sentence field when the revised decision's sentence is not carried over."""
        previous = self.revised
        if previous is None or not (previous.reply_note or "").strip() or action is previous.action:
            return ""
        was = ACTION_LABELS[previous.action]
        return (
            f"Not carried over: decision #{previous.id}'s sentence was written for {was}; type one for this letter "
            f"if it needs one (choosing {was} again puts it back)"
        )

    @on(RadioSet.Changed, "#action")
    def note_for_action(self) -> None:
        """The sentence for the complainant follows the action: the revised decision's goes when another action is
        chosen (unless the owner changed it: theirs now), and comes back, into an empty field, with its action."""
        action = self.chosen_action()
        previous = self.revised
        field = self.query_one("#reply-note", TextArea)
        said = (previous.reply_note or "") if previous is not None else ""
        if previous is not None and said.strip():
            if action is previous.action and not field.text.strip():
                field.text = said
            elif action is not previous.action and field.text == said:
                field.text = ""
        hint = self.query_one("#reply-note-hint", Static)
        held = self.held_back(action) if not field.text.strip() else ""
        hint.update(plain(held))
        hint.display = bool(held)
        self._say_note_moved(action, field.text)

    def _say_note_moved(self, action: DecisionAction | None, note: str) -> None:
        """Above the buttons, whatever part of the form is shown: the sentence for the complainant was written for
        another action than the one chosen now, and goes into this letter as it stands. A dispute refused by the
        record ("… or take it down") and then taken down sent the dispute's argument, below the fold at 80x24, in the
        take-down letter ("the image came from my own prompt" for a post made with img2img)."""
        written = self.note_written_for
        line = self.query_one("#reply-note-moved", Static)
        if not note.strip() or written is None or action is None or action is written:
            line.display = False
            return
        line.update(
            plain(
                f'Your sentence for the complainant was written for "{ACTION_LABELS[written]}": it goes into the '
                f'letter for "{ACTION_LABELS[action]}" as it stands. Read it again, or clear it, before saving.'
            )
        )
        line.display = True

    @on(TextArea.Changed, "#reply-note")
    def note_typed(self) -> None:
        """The sentence for the complainant is now the chosen action's (typed, put back, or cleared)."""
        field = self.query_one("#reply-note", TextArea)
        self.note_written_for = self.chosen_action() if field.text.strip() else None
        self._say_note_moved(self.chosen_action(), field.text)

    def on_mount(self) -> None:
        self.query_one("#action", RadioSet).focus()
        if self.query_one("#reply-note", TextArea).text.strip():
            self.note_written_for = self.chosen_action()
        self.posts_changed()
        self.note_for_action()
        self.remember_input()  # and what was typed here before the tracker closed, put back (`draft_path`)
        self.watch(self.query_one("#reason", Select), "expanded", self._reason_expanded, init=False)

    @on(Select.Changed, "#reason")
    def reason_chosen(self, event: Select.Changed) -> None:
        """A reason the owner chooses is a dispute's: the action becomes dispute. In a radio set ↓ only moves the
        highlight (Enter or Space chooses): at 2 a.m. the owner went ↓ to "dispute", chose "independent creation"
        and saved a take-down, its reason dropped, its argument in a take-down letter. A reason put back (a draft,
        the decision revised) chooses nothing: the form's own values are not the owner's choice now."""
        if not isinstance(event.value, str) or not event.select.has_focus_within:
            return
        if self.chosen_action() is not DecisionAction.DISPUTE:
            self.query_one(f"#action-{DecisionAction.DISPUTE.value}", RadioButton).value = True

    def _reason_expanded(self, expanded: bool) -> None:
        """The reasons' list opens below the field: the field goes to the top of the form first, so that the
        list has the room under it inside the dialog (at 80x24 it would run past the dialog's bottom edge)."""
        if expanded:
            self.query_one(VerticalScroll).scroll_to_widget(self.query_one("#reason"), animate=False, top=True)

    @on(RadioSet.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    @on(TextArea.Changed)
    def form_changed(self) -> None:
        """The form changed since a refusal: what was refused ("Not saved: …") no longer applies."""
        self.say_refused(Text(""))

    def say_refused(self, line: Text) -> None:
        """Say why nothing was saved under the form; "" hides the line, which then takes no row (at 80x24 with
        posts of two personas, the form keeps the room to show the "Decide despite the record" box whole)."""
        error = self.query_one("#decision-error", Static)
        error.update(line)
        error.display = bool(line.plain)

    @on(RadioSet.Changed)
    @on(SelectionList.SelectedChanged)
    def posts_changed(self) -> None:
        """Say which posts the decision acts on, of which persona, and who the letter answers as."""
        ticked = self.query_one("#posts", SelectionList).selected
        said = posts_line(self.complaint, self.posts, ticked, self.chosen_action() is DecisionAction.TAKE_DOWN)
        shown = self.query_one("#decision-posts", Static)
        shown.update(plain(said))
        shown.display = bool(said)

    def input_values(self) -> dict[str, object]:
        """What leaving would lose: the chosen action and reason, the notes and the sentence for the complainant."""
        return {
            "action": self.query_one("#action", RadioSet).pressed_index,
            "reason": self.query_one("#reason", Select).value,
            "notes": self.query_one("#notes", TextArea).text,
            "reply-note": self.query_one("#reply-note", TextArea).text,
        }

    def draft_path(self) -> Path:
        """The decision form keeps what is typed in it per complaint (`purge.drafts`): private notes included."""
        return decision_draft(self.tracker.settings, self.complaint.id)

    def draft_owner(self) -> str:
        return self.complaint.created_at.isoformat()

    def put_back_input(self, values: Mapping[str, Value]) -> None:
        """A form opened for an action by its key (`t`: take down) keeps that action; a draft kept from before puts
        back its notes, reason and sentence, not its own action: a dispute typed before the tracker closed, put back
        over `t`, was recorded by Ctrl+S as a dispute though the owner had just chosen to take the post down."""
        if self.preset is not None:
            chosen = list(DecisionAction).index(self.preset)
            action = {key: value for key, value in values.items() if key.endswith("#action")}  # `RadioSet#action`
            self._kept_action_dropped = any(value not in (None, chosen) for value in action.values())
            values = {key: value for key, value in values.items() if key not in action}
        super().put_back_input(values)

    def say_kept(self, message: str) -> None:
        """Beside the buttons, where the keys are said (the buttons say them too): no toast over them. Restored over
        an action chosen by its key, it says the action stays that one."""
        if self.preset is not None and self._kept_action_dropped and message.startswith("Restored"):
            message += f"; the action stays {ACTION_LABELS[self.preset]}, as you chose"
        self.query_one("#decision-keys", Static).update(plain(message))

    def draft_basis(self) -> str:
        """The decision this form revises (the latest when it opened): notes typed to revise it are not put back
        once another decision was recorded (`guard.STALE_DRAFT`)."""
        previous = current_decision(self.complaint)
        return f"decision {previous.id}" if previous is not None else ""

    def chosen_action(self) -> DecisionAction | None:
        pressed = self.query_one("#action", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return None
        return DecisionAction(pressed.id.removeprefix("action-"))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.searching is not None:  # leaving stops the search: nothing is saved once it ends
            self.searching.cancel()
            self._searching_ended()
            self.say_refused(plain("Not saved: you stopped the check of your archive."))
        self.leave_asking(lambda: self.dismiss(None))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.save()

    def save(self, matches: list[SentMatch] | None = None) -> None:
        """Record what the form holds. A not-my-post dispute first searches the archive for the complainant's
        pictures in a worker (`matches` then: what it found), which a second Ctrl+S does not start again."""
        if self.searching is not None:
            return
        action = self.chosen_action()
        if action is None:
            self.refuse("choose what you decided.", "#action")
            return
        reason_value = self.query_one("#reason", Select).value
        reason = DisputeReason(reason_value) if isinstance(reason_value, str) else None
        if action is not DecisionAction.DISPUTE:
            reason = None
        elif reason is None:
            self.refuse('a dispute needs a reason: choose one under "Reason (for a dispute)".', "#reason")
            return
        if reason is DisputeReason.NOT_MY_POST and matches is None:
            self.query_one("#decision-keys", Static).update(Text(CHECKING_HINT))
            self.query_one("#save", Button).disabled = True
            self.searching = self.search_sent_pictures()
            return
        posts = in_list_order(self.posts, self.query_one("#posts", SelectionList).selected)
        choice = DecisionInput(
            action,
            reason,
            notes=self.query_one("#notes", TextArea).text,
            reply_note=self.query_one("#reply-note", TextArea).text,
            post_ids=posts,
            despite_record=self.query_one("#despite-record", Checkbox).value,
        )
        try:
            artists = RuleLists.load(self.tracker.settings.data_dir).artists  # today's lists, not the log's
            decision_id = decide(
                self.tracker.factory, self.complaint.id, choice, artists, self.tracker.settings, matches
            )
        except TrackerError as exc:
            self._refused(exc)
            return
        self.drop_kept_input()
        self.dismiss(decision_id)

    def _refused(self, exc: TrackerError) -> None:
        if isinstance(exc, ConflictError):  # the record contradicts the reason: change it, or decide despite it
            self.refuse(in_tui_words(str(exc)), "#reason")
            return
        message = in_tui_words(str(exc))
        self.refuse(message, "#posts" if "post" in message else "#action")

    @work(thread=True, exclusive=True, group="sent-pictures", exit_on_error=False)
    def search_sent_pictures(self) -> None:
        """The search `decide` runs for a not-my-post dispute (a search per picture the complainant sent: a
        fraction of a second each in a large archive), off the UI thread; the form is read again once it ends."""
        from tracker.complaints.sent_matches import sent_picture_matches

        worker = get_current_worker()
        try:
            found = sent_picture_matches(self.tracker.factory, self.tracker.settings, self.complaint.id)
        except TrackerError as exc:  # refused under the form, as when `decide` searched on the UI thread
            self.from_worker(self._searched, worker, exc)
            return
        self.from_worker(self._searched, worker, found)

    def _searched(self, worker: Worker[None], found: list[SentMatch] | TrackerError) -> None:
        if worker is not self.searching or not self.is_attached:  # stopped, or the form was left: nothing is saved
            return
        self._searching_ended()
        if isinstance(found, TrackerError):
            self._refused(found)
        elif self.app.screen is not self:  # the help or the palette is over the form: saved once it is back
            self.searched = found
        else:
            self.save(found)

    def on_screen_resume(self) -> None:
        found, self.searched = self.searched, None
        if found is not None:
            self.save(found)

    def _searching_ended(self) -> None:
        self.searching = None
        self.query_one("#decision-keys", Static).update(Text(KEYS_HINT))
        self.query_one("#save", Button).disabled = False

    def worker_failed(self, worker: Worker[object], message: str) -> None:
        if worker is self.searching:  # the owner was told why; the form is theirs again, nothing saved
            self._searching_ended()

    def refuse(self, message: str, field: str) -> None:
        """Say why nothing was saved where it is seen, under the form, and bring the field it concerns into view
        with the focus on it; everything chosen and typed stays."""
        # Said once, above the buttons: no toast repeating it, which at 80x24 covered Cancel and Save (as the
        # intake form says its read once).
        self.say_refused(plain(f"Not saved: {message}"))
        widget = self.query_one(field)
        widget.focus(scroll_visible=False)
        self.query_one(VerticalScroll).scroll_to_widget(widget, animate=False, top=True)
