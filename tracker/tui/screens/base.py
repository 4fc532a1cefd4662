"""What every tracker screen shares: the app (typed), results handed back from workers, failures reported.

Textual posts a worker's state changes to the screen that started it, not to the app, so each
screen forwards a failure to `TrackerApp.report_worker_error` (one notification, the app keeps
running) and may then put itself in a sensible state (`worker_failed`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, ParamSpec, TypeVar, cast

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
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
    ]

    @property
    def tracker(self) -> TrackerApp:
        """The app, with what it knows of the archive."""
        return cast("TrackerApp", self.app)

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


class TrackerModal(ModalScreen[ResultType], TrackerScreen[ResultType]):
    """A dialog of the tracker app, drawn over the screen below. F1 opens the help here too (the app's own
    binding does not reach a modal screen), at the dialog's section; `?` stays text in a dialog's fields."""

    BINDINGS = [Binding("f1", "app.help", "Help", show=False, id="dialog.help")]
