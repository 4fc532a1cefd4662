"""What every tracker screen shares: the app (typed), results handed back from workers, failures reported.

Textual posts a worker's state changes to the screen that started it, not to the app, so each
screen forwards a failure to `TrackerApp.report_worker_error` (one notification, the app keeps
running) and may then put itself in a sensible state (`worker_failed`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, ParamSpec, TypeVar, cast

from textual import events, on
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea
from textual.worker import Worker, WorkerState, get_current_worker

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp

ResultType = TypeVar("ResultType")
P = ParamSpec("P")


class TrackerScreen(Screen[ResultType]):
    """A screen of the tracker app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so the focus moves when Tab is read, not when it has bubbled up from the field: keys
        # typed ahead in one burst over a slow link (text, Tab, text) land in the field Tab went to.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True, id="screen.focus_next"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous field", show=False, priority=True, id="screen.focus_previous"
        ),
        # Not priority: typed into a text field, `q` is text. On the dashboard the app's `q` quits (`check_action`).
        Binding("q", "app.back_as_escape", "Back", show=False, id="screen.back"),
    ]

    PALETTE: ClassVar[list[tuple[str, str, str]]] = []
    """This screen's own actions in the command palette (Ctrl+P), as (title, help, action): reached there on a
    keyboard without the F-keys they are bound to (a vt100, a phone over SSH). The help screen lists them."""

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The command palette's entries for `PALETTE`, those this screen allows now (`check_action`)."""
        for title, help_text, action in self.PALETTE:
            if self.check_action(action, ()) is not False:
                yield SystemCommand(title, help_text, getattr(self, f"action_{action}"))

    @property
    def tracker(self) -> TrackerApp:
        """The app, with what it knows of the archive."""
        return cast("TrackerApp", self.app)

    @on(events.Resize)
    def keep_focus_in_view(self) -> None:
        """A smaller terminal may leave the focused field outside the scrolled form, where what is typed next
        goes unseen: once the form is laid out at the new size, scroll it back into view."""
        self.call_after_refresh(self.show_focused)

    def show_focused(self) -> None:
        """Scroll the focused widget into view, then its cursor (a tall text area may be cut off below it)."""
        focused = self.focused
        if focused is None:
            return
        if isinstance(focused, TextArea):
            focused.scroll_cursor_visible()  # the letter rewrapped to the new width: the cursor row moved
        focused.scroll_visible(animate=False, immediate=True)
        if isinstance(focused, (Input, TextArea)):
            self.call_after_refresh(show_cursor, focused)

    def from_worker(self, callback: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        """In a worker thread: run `callback` on the UI thread, unless the worker was cancelled
        meanwhile (a newer load replaced it, or the screen was closed)."""
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(callback, *args, **kwargs)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker, self.tracker.report_worker_error(event.worker))

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        """A worker of this screen raised (the owner was told): leave no "loading" state behind."""


def show_cursor(widget: Input | TextArea) -> None:
    """Scroll the containers around `widget` (innermost first) until the row of its text cursor is inside each."""
    if not widget.is_mounted or widget.screen.focused is not widget:
        return
    row = widget.cursor_screen_offset.y
    for container in widget.ancestors:
        if not isinstance(container, Widget) or not container.allow_vertical_scroll:
            continue
        window = container.scrollable_content_region
        if row < window.y:
            delta = row - window.y
        elif row >= window.bottom:
            delta = row - window.bottom + 1
        else:
            continue
        container.scroll_relative(y=delta, animate=False, immediate=True)
        row -= delta


class TrackerModal(ModalScreen[ResultType], TrackerScreen[ResultType]):
    """A dialog of the tracker app, drawn over the screen below. F1 opens the help here too (the app's own
    binding does not reach a modal screen), at the dialog's section; `?` stays text in a dialog's fields."""

    BINDINGS = [Binding("f1", "app.help", "Help", show=False, id="dialog.help")]


VIEW_KEYS = "↑/↓ PgUp/PgDn scroll · Esc or q close"
"""Said under a text to read (`ReadOnlyView`: the whole message, the history; the help), its keys whole at 80x24."""


class ReadOnlyView(TrackerModal[None]):
    """A text to read in a scrolling box (its id `BOX`): the arrows, Page Up / Page Down, `j` and `k` scroll it, Esc
    or `q` closes it (`view_bindings`). Given `read_at` (the screen's that opens it), it opens where it was last closed
    (`restore`, once its text is drawn): the owner reading the message again finds the paragraph they were at."""

    BOX: ClassVar[str] = ""

    def __init__(self, read_at: dict[str, float] | None = None) -> None:
        super().__init__()
        self.read_at = {} if read_at is None else read_at

    def restore(self) -> None:
        """Scroll to where this view was last closed, after the text's next drawing (its height known then)."""
        if at := self.read_at.get(self.BOX):
            box = self.query_one(f"#{self.BOX}", VerticalScroll)
            self.call_after_refresh(box.scroll_to, y=at, animate=False)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one(f"#{self.BOX}", VerticalScroll)
        if direction == "down":
            box.scroll_down(animate=False)
        else:
            box.scroll_up(animate=False)

    def action_close(self) -> None:
        self.read_at[self.BOX] = self.query_one(f"#{self.BOX}", VerticalScroll).scroll_y
        self.dismiss(None)


def view_bindings(name: str) -> list[BindingType]:
    """A `ReadOnlyView`'s keys, their ids under `name` (`triage.message`: named after the screen that opens it)."""
    return [
        Binding("escape", "close", "Close", id=f"{name}.close"),
        Binding("q", "close", "Close", show=False, id=f"{name}.close_q"),
        Binding("j", "scroll('down')", "Down", show=False, id=f"{name}.down"),
        Binding("k", "scroll('up')", "Up", show=False, id=f"{name}.up"),
    ]
