"""A complaint's history on the complaint screen (`h`): what `tracker complaint show N` lists under `history`.

When it was received, each correction, each decision (its private notes and the reply note), each post recorded
removed, each reply marked sent, each later message of its sender: the entries of `complaints.history_words`, in
its words, oldest first; each entry's time, what it did and the command, then each thing it changed on a line of its
own (80 columns hold them better than one long line); a line too long for the box folds under its own text
(`text.Hanging`), the dates alone at the left edge. Every value is literal text (`tui.text.plain`), never markup.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static
from textual.worker import Worker

from tracker.complaints.history_words import entry_changes, history_entries
from tracker.posts.history_words import command_words
from tracker.support.dates import from_iso, local_minute
from tracker.tui.screens.base import VIEW_KEYS, ReadOnlyView, view_bindings
from tracker.tui.text import Hanging, plain
from tracker.tui.triage_text import MESSAGE_KEY

HISTORY_KEY = "h"
"""The complaint screen's key that opens its history."""


DATE_COLUMN = len("2026-12-07 11:20  ")
"""Where an entry's text starts after its date and time: a long entry folds under it (`text.Hanging`)."""
CHANGE_HANG = 4
"""Where a long change (a note, a URL) folds: two cells in from its own start, under its text."""


def history_text(number: int, events: list[dict[str, Any]]) -> Text | Hanging:
    """The history's entries, oldest first: `2026-12-07 11:20  create  complaint add`, then each change indented; a
    line longer than the box folds under its own text, not back at the box's edge among the dates."""
    if not events:
        return Text("No history recorded.")
    lines: list[tuple[Text, int]] = []
    for event in events:
        entry = Text(f"{local_minute(from_iso(event['at']))}  {event['action']:<7} ", style="bold")
        entry.append_text(plain(command_words(event), style="dim"))
        lines.append((entry, DATE_COLUMN))
        for change in entry_changes(event, number, messages_at=f"{MESSAGE_KEY} on the complaint: messages"):
            lines.append((Text("  ") + plain(change, keep_newlines=True), CHANGE_HANG))
    return Hanging(lines)


class HistoryScreen(ReadOnlyView):
    """Complaint `number`'s history, read in a worker, read-only."""

    HELP = (
        "The complaint's history, as `tracker complaint show` lists it: when it was logged, each correction, "
        "each decision with its private notes and the note that goes into the letter, each post recorded removed, "
        "each reply marked sent and each later message of the sender, oldest first. Read-only. Scroll with the "
        "arrow keys, Page Up / Page Down or the mouse; `Esc` goes back to the complaint, and `h` there opens it again "
        "where you closed it."
    )
    BINDINGS = view_bindings("triage.history")  # named after the complaint screen it belongs to (`h` opens it)
    BOX = "history-box"

    def __init__(self, number: int, read_at: dict[str, float] | None = None) -> None:
        super().__init__(read_at)
        self.number = number
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"History of complaint #{self.number}", style="bold"), classes="section")
            with VerticalScroll(id="history-box"):
                yield Static(Text("Loading…"), id="history-text")
            yield Static(Text(VIEW_KEYS), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#history-box", VerticalScroll).focus()
        self.load()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        with self.tracker.archive().factory() as session:
            events = history_entries(session, self.number)
        self.from_worker(self.show, events)

    def show(self, events: list[dict[str, Any]]) -> None:
        self.query_one("#history-text", Static).update(history_text(self.number, events))
        self.loaded = True
        self.restore()

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        self.query_one("#history-text", Static).update(plain(message))
        self.loaded = True
