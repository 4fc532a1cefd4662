"""Nothing typed is lost: leaving a form or dialog that holds unsaved input asks first.

A screen that holds what the owner types mixes in `GuardsInput`: it calls `remember_input()` once
its widgets hold their first values (the end of `on_mount`), and leaves through `leave_asking`
(Escape, its Cancel or Close button). `has_unsaved_input()` compares what the widgets hold now
with what they held then; a screen whose "saved" state moves (the reply, once written to a file)
overrides it. `q` outside a text field is Escape (`TrackerApp.action_back_as_escape`). Quitting the app (`q` on
the dashboard, Ctrl+Q, the palette's Quit) goes through `ask_before_losing_input`, which asks when any screen on
the stack holds unsaved input.

A form whose input should outlive the process (the tracker killed, the SSH connection dropped) also says where
to keep it (`draft_path`, `purge.drafts`): from `remember_input()` (or `start_keeping_input()`, for a screen that
does not remember), what its fields hold is put back from an earlier draft (saying so), and written to the draft
about once a second while it is unsaved (`tui.kept_input`). The draft goes when the owner discards the input here,
or the form stops holding unsaved input (typed back as it was); a form that saves calls `input_saved()` or
`drop_kept_input()`.

A small dialog of one line (a complaint's number, a file's path) closes at once on `Esc` instead, its question not
worth asking: it says where what was typed is set aside (`set_aside_key`), and the app holds that while it runs
(`TrackerApp.set_aside`), for the next time the dialog opens, which puts it back (`put_back_input`, as from a draft)
and says so. Nothing of it is written to disk: it is retyped in a moment, and a drafts file would outlive a
burn-down that knows nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, RadioSet, Select, SelectionList, Static, TextArea

from tracker.support.dates import local_minute
from tracker.tui.kept_input import Value, as_kept, drop_input, keep_input, put_back, read_input
from tracker.tui.screens.base import TrackerModal
from tracker.tui.text import plain

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget

    from tracker.tui.app import TrackerApp

DISCARD_QUESTION = "Discard what you typed?"

SET_ASIDE_BACK = "What you typed before closing this is back (Ctrl+U clears it)"
"""Said by a small dialog that opens again with what it held when `Esc` closed it (`GuardsInput.set_aside_key`)."""

STALE_DRAFT = "What you typed for the earlier decision was dropped: the decision changed since"
"""Said when a draft kept for the decision then in force (`draft_basis`) meets another decision: never put back."""

KEEP_EVERY = 1.0
"""Seconds between two looks at a form's fields for its draft: at most this much typing is lost to a crash."""


class YesNo(TrackerModal[bool]):
    """A question answered by one of two buttons (Enter answers the focused one, the yes one at first, the no one
    when `default_no`: a question whose yes does what the owner should not do by mistake).

    `yes` and `no` are (button id, label) pairs, so a question says what answering does (`Mark answered`).
    Each kind of question is a subclass with its own keys and help.
    """

    def __init__(
        self,
        question: str,
        yes: tuple[str, str] = ("yes", "Yes"),
        no: tuple[str, str] = ("no", "No"),
        hint: str = "",
        default_no: bool = False,
    ) -> None:
        super().__init__()
        self.question, self.yes, self.no, self.hint, self.default_no = question, yes, no, hint, default_no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.question, keep_newlines=True), id="confirm-question")
            if self.hint:
                yield Static(plain(self.hint), classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(self.no[1], id=self.no[0])
                yield Button(self.yes[1], id=self.yes[0], variant="primary")

    def on_mount(self) -> None:
        self.query_one(f"#{(self.no if self.default_no else self.yes)[0]}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == self.yes[0])

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConfirmScreen(YesNo):
    """A yes/no question (y: yes; Esc or n: no); its keys are said under it unless the caller says them."""

    HELP = (
        "A question before a change of many items at once, or before logging a message a complaint already "
        "holds (there `Enter` keeps it out); `Enter` answers the highlighted button."
    )
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]
    KEYS = "y: yes · n or Esc: no · Enter: the highlighted button"

    def __init__(
        self,
        question: str,
        yes: tuple[str, str] = ("yes", "Yes"),
        no: tuple[str, str] = ("no", "No"),
        hint: str = "",
        default_no: bool = False,
    ) -> None:
        super().__init__(question, yes, no, hint or self.KEYS, default_no)


class ConfirmDiscard(TrackerModal[bool]):
    """Asked before leaving unsaved input: True when the owner chose to discard it."""

    HELP = (
        "Asked before a form or dialog closes (or the app quits) with something typed in it that is not "
        "saved. `Esc` or Keep editing goes back to it with everything as it was. Until it is saved or discarded, "
        "what the new-complaint, decision and reply forms hold is kept in the data folder (`drafts/`): should the "
        "tracker close, the form opened again holds it. Discarding removes that too."
    )
    BINDINGS = [
        Binding("escape", "answer(False)", "Keep editing", id="discard.keep"),
        Binding("ctrl+d", "answer(True)", "Discard", id="discard.discard"),
    ]

    def __init__(self, question: str = DISCARD_QUESTION, discard_label: str = "Discard") -> None:
        super().__init__()
        self.question = question
        self.discard_label = discard_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.question, keep_newlines=True), id="discard-question")
            yield Static(plain(f"Esc: keep editing · Ctrl+D: {self.discard_label.lower()}"), classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Keep editing", id="keep", variant="primary")
                yield Button(plain(self.discard_label), id="discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()  # Enter keeps: losing input takes a deliberate choice

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "discard")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


def typed_widgets(screen: Widget) -> Iterator[tuple[str, Widget]]:
    """The fields the owner can type in or choose with on a screen, each with its key (`<kind>#<id>`): the kind is
    the widget's type, or the `DRAFT_KIND` it keeps so that drafts kept before it was subclassed still match."""
    for n, widget in enumerate(screen.query("Input, TextArea, Select, SelectionList, RadioSet")):
        kind = getattr(type(widget), "DRAFT_KIND", type(widget).__name__)
        yield f"{kind}#{widget.id or n}", widget


def typed_values(screen: Widget) -> dict[str, object]:
    """What the owner can type or choose on a screen, by widget: inputs, text areas, selects, lists, radio sets."""
    values: dict[str, object] = {}
    for key, widget in typed_widgets(screen):
        if isinstance(widget, Input):
            values[key] = widget.value
        elif isinstance(widget, TextArea):
            values[key] = widget.text
        elif isinstance(widget, Select):
            values[key] = widget.value
        elif isinstance(widget, SelectionList):
            values[key] = frozenset(widget.selected)
        elif isinstance(widget, RadioSet):
            values[key] = widget.pressed_index
    return values


class GuardsInput:
    """Mixed into a screen or dialog that holds what the owner types: leaving it with unsaved input asks first."""

    _remembered: dict[str, object] | None = None
    _kept: dict[str, object] | None = None
    """What the draft holds, as last written (None: nothing written since the form opened or the draft went)."""
    _draft_there = False
    """A draft may be on disk for this form (written, or found when it opened)."""
    _keeping = False
    _keep_failed = False
    _discarded = False
    """The owner discarded this form's input: its draft is never written again, though the form may take a moment
    to go (the once-a-second `keep_input` landing between the discard and the form's removal wrote it back, and the
    next form "restored" what had been discarded)."""

    def input_values(self) -> dict[str, object]:
        """What counts as the owner's input here (by default every field: `typed_values`)."""
        return typed_values(cast("Screen[Any]", self))

    def remember_input(self) -> None:
        """Take what the fields hold now as the unchanged state (call it once they are filled in); a form that
        keeps its input (`draft_path`) then puts back what an earlier draft of it kept, and starts keeping it; a
        small dialog, what `Esc` set aside when it last closed (`set_aside_key`)."""
        self._remembered = self.input_values()
        if self.draft_path() is not None:
            self.start_keeping_input()
        key = self.set_aside_key()
        if key is not None and (kept := self._set_aside().pop(key, None)) is not None:
            self.put_back_input(kept)
            self.say_kept(SET_ASIDE_BACK)

    def input_sent(self) -> None:
        """What the fields hold now was used (looked up, searched for): leaving keeps nothing of it, and what is
        typed after it counts as unsent again."""
        self._remembered = self.input_values()

    def input_saved(self) -> None:
        """The form's input is saved: leaving loses nothing now, and its draft goes."""
        self._remembered = None
        self.drop_kept_input()

    def has_unsaved_input(self) -> bool:
        """Something typed or chosen since `remember_input()` that leaving would lose."""
        if self._remembered is None:
            return False
        return self.input_values() != self._remembered

    def leave_asking(
        self,
        leave: Callable[[], object],
        question: str = DISCARD_QUESTION,
        discard_label: str = "Discard",
        closes: bool = True,
    ) -> None:
        """Run `leave` at once when nothing would be lost, else only once the owner chose to discard. `closes`:
        `leave` closes the form (its draft is never written again); False for one that stays open (the reply
        drafted anew), whose new input is kept as before."""
        if not self.has_unsaved_input():
            if self._draft_there:
                self.drop_kept_input()  # typed back as it was since the draft was written
            leave()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                (self.discard_kept_input if closes else self.drop_kept_input)()
                leave()

        cast("Screen[Any]", self).app.push_screen(ConfirmDiscard(question, discard_label), answered)

    def discard_kept_input(self) -> None:
        """The owner chose to lose what is typed here: the draft goes, and is not written again while the form
        closes (or the app quits)."""
        self._discarded = True
        self.drop_kept_input()

    # ------------------------------------------------------------------ set aside by a small dialog's Esc

    def set_aside_key(self) -> str | None:
        """A small dialog that `Esc` closes at once, keeping what was typed in it and not sent for the next time it
        opens while the tracker runs: the key it is kept under (`TrackerApp.set_aside`). None (the default): the
        screen asks before its input is lost (`leave_asking`)."""
        return None

    def _set_aside(self) -> dict[str, dict[str, Value]]:
        return cast("TrackerApp", cast("Screen[Any]", self).app).set_aside

    def leave_setting_aside(self, leave: Callable[[], object]) -> None:
        """Run `leave` at once, first setting aside what the fields hold when it is unsent (typed since the dialog
        opened, or since it was last used: `input_sent`); a dialog left as it opened forgets what was set aside."""
        key = self.set_aside_key()
        if key is not None:
            if self.has_unsaved_input():
                self._set_aside()[key] = as_kept(typed_values(cast("Screen[Any]", self)))
            else:
                self._set_aside().pop(key, None)
        leave()

    # ------------------------------------------------------------------ kept in case the tracker dies

    def draft_path(self) -> Path | None:
        """Where this form keeps its unsaved input (`purge.drafts`); None (the default): it is not kept."""
        return None

    def draft_owner(self) -> str:
        """Whose form it is, kept with the draft and checked when it is read back: the complaint's logged time (a
        restored database may have given its number to another complaint); "" for a form of no complaint."""
        return ""

    def draft_basis(self) -> str:
        """What the input here is typed for, kept with the draft: a draft kept for another is stale and dropped,
        saying so (`STALE_DRAFT`). The reply's and the decision form's: the decision in force when it opened (a
        letter or notes for a take-down never come back after deciding to dispute). "" (the default): nothing."""
        return ""

    def start_keeping_input(self) -> None:
        """Put back what an earlier draft of this form kept (`restore_kept_input`), then keep what is typed in it
        while it is unsaved (checked every `KEEP_EVERY` seconds)."""
        self.restore_kept_input()
        if not self._keeping:
            self._keeping = True
            cast("Screen[Any]", self).set_interval(KEEP_EVERY, self.keep_input)

    def put_back_input(self, values: Mapping[str, Value]) -> None:
        """Fill the fields in from a draft's values (`kept_input.put_back`); a form whose fields depend on each
        other fills those in order first."""
        for key, widget in typed_widgets(cast("Screen[Any]", self)):
            if key in values:
                put_back(widget, values[key])

    def restore_kept_input(self) -> bool:
        """Fill the form in from its draft, if one was kept for it, and say so; True when it did. A draft that is
        not one (`kept_input.read_input`) is ignored; one kept for another complaint of the same number is dropped, and
        one kept for an earlier decision (`draft_basis`) too, saying so."""
        path = self.draft_path()
        kept = read_input(path) if path is not None else None
        if path is None or kept is None:
            return False
        self._draft_there = True
        now = as_kept(typed_values(cast("Screen[Any]", self)))
        if kept.owner != self.draft_owner() or all(now.get(key) == value for key, value in kept.values.items()):
            self.drop_kept_input()  # another complaint's, or nothing in it this form does not hold already
            return False
        if kept.basis != self.draft_basis():
            self.drop_kept_input()  # typed for the decision in force then: another one was recorded since
            self.say_kept(STALE_DRAFT)
            return False
        self.put_back_input(kept.values)
        self._kept = None
        self.say_kept(f"Restored what you typed on {local_minute(kept.saved_at)}, before the tracker closed")
        return True

    def say_kept(self, message: str) -> None:
        """Say, as the form opens, what became of its draft (put back, or dropped as stale): a toast by default; a
        form says it in a line of its own, since at 80x24 a toast covers its Cancel and Save buttons while it shows."""
        cast("Screen[Any]", self).notify(message, markup=False, timeout=8)

    def keep_input(self) -> None:
        """Write what the form holds to its draft while it holds unsaved input; remove the draft once it holds
        none. A draft that cannot be written is said once (the form works on without it)."""
        path = self.draft_path()
        if path is None or self._discarded:
            return
        if not self.has_unsaved_input():
            if self._draft_there:
                self.drop_kept_input()
            return
        values = typed_values(cast("Screen[Any]", self))
        if values == self._kept:
            return
        try:
            keep_input(path, self.values_to_keep(values), self.draft_owner(), datetime.now(UTC), self.draft_basis())
        except OSError as exc:
            if not self._keep_failed:
                self._keep_failed = True
                cast("Screen[Any]", self).notify(
                    f"What you type here cannot be kept in case the tracker closes ({path.parent}: "
                    f"{exc.strerror or exc}); save it before you leave.",
                    severity="warning",
                    markup=False,
                )
            return
        self._kept, self._draft_there = values, True

    def values_to_keep(self, values: dict[str, object]) -> dict[str, object]:
        """What the draft keeps of the fields' `values` (as they are, by default; the new-complaint form keeps the
        attached images it names with it). Raises OSError."""
        return values

    def drop_kept_input(self) -> None:
        """Remove this form's draft: its input was saved, or the owner discarded it."""
        path = self.draft_path()
        if path is not None:
            drop_input(path)
        self._kept, self._draft_there = None, False


def holds_unsaved_input(screen: Screen[Any]) -> bool:
    """The screen keeps input that closing it would lose."""
    return isinstance(screen, GuardsInput) and screen.has_unsaved_input()


def ask_before_losing_input(
    app: App[Any], then: Callable[[], object], question: str = DISCARD_QUESTION, discard_label: str = "Discard"
) -> None:
    """Run `then` (quit, say) at once when no screen on the stack holds unsaved input, else once the owner
    chose to discard it. While the question is already on screen, nothing happens: it is answered first."""
    if isinstance(app.screen, ConfirmDiscard):
        return
    if not any(holds_unsaved_input(screen) for screen in app.screen_stack):
        then()
        return

    def answered(discard: bool | None) -> None:
        if discard:
            for screen in app.screen_stack:
                if isinstance(screen, GuardsInput):
                    screen.discard_kept_input()
            then()

    app.push_screen(ConfirmDiscard(question, discard_label), answered)
