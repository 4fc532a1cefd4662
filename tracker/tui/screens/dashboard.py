"""The first screen: unanswered complaints (overdue ones first, in red), then recent posts.

It is drawn at once, with a "Loading…" banner, and filled from a worker that reads the complaint
queue (`tracker.complaints.queue`) and the newest posts (`tracker.posts.lookup`) in its own
session. Like `tracker.tui.app`, this module imports no database layer at its top.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker

from tracker.complaints.legal import BASIS_LABELS
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.text import day, due_text, plain, short
from tracker.tui.widgets.table import Table

if TYPE_CHECKING:
    from tracker.complaints.queue import ComplaintSummary, Overdue

RECENT_POSTS = 20
RECENT_DONE = 20
LOADING_KEY = "loading"
"""Row key of the complaint table's placeholder until the data arrives."""


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, read in one worker."""

    now: datetime
    summary: Overdue
    waiting: list[ComplaintSummary]
    overdue: set[int]
    """Ids of the waiting complaints past their deadline."""
    done: list[ComplaintSummary]
    posts: list[dict[str, Any]]


class DashboardScreen(TrackerScreen[None]):
    """Complaints still needing an answer, answered ones, recent posts."""

    HELP = (
        "Complaints still needing an answer, overdue ones first and in red, then answered ones and "
        "your recent posts. `Enter` on a complaint opens it."
    )
    BINDINGS = [
        Binding("n", "app.new_complaint", "New complaint", id="dashboard.new_complaint"),
        Binding("enter", "open", "Open", show=True, id="dashboard.open"),
        Binding("r", "refresh", "Refresh", id="dashboard.refresh"),
        Binding("b", "app.purge", "Burn down", tooltip="a persona's deletion checklist", id="dashboard.burn_down"),
        Binding("j", "cursor_down", "Down", show=False, id="dashboard.cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="dashboard.cursor_up"),
        Binding("tab", "app.focus_next", "Next table", show=False, id="dashboard.next_table"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.loaded = False
        self._open_when_loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(self.tracker.loading_text), id="banner", classes="banner loading")
        with VerticalScroll():
            yield Static(Text("Complaints needing an answer"), classes="section", id="complaints-title")
            yield Table(id="complaints", cursor_type="row", zebra_stripes=True)
            yield Static(Text("Answered and closed complaints"), classes="section")
            yield Table(id="done", cursor_type="row")
            yield Static(Text("Recent posts"), classes="section")
            yield Table(id="posts", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        complaints = self.query_one("#complaints", DataTable)
        complaints.add_columns("#", "deadline", "status", "received", "from", "basis", "posts")
        complaints.add_row(Text("-"), Text("loading…"), *(Text("") for _ in range(5)), key=LOADING_KEY)
        self.query_one("#done", DataTable).add_columns("#", "status", "received", "from", "basis")
        self.query_one("#posts", DataTable).add_columns("#", "posted", "persona", "platform", "status", "url")
        complaints.focus()

    def on_screen_resume(self) -> None:
        # The first load starts once the first frame is drawn (`TrackerApp.on_ready`), so that the
        # worker's imports and queries do not delay it. Back on the dashboard, reload, unless
        # another screen was pushed meanwhile (a dialog closed only to open the next screen).
        if self.tracker.drawn:
            self.call_after_refresh(self._refresh_if_shown)

    def _refresh_if_shown(self) -> None:
        if self.app.screen is self:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Reload everything from the database, in a worker (cheap: bounded queries)."""
        self.load()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load(self) -> None:
        """Read the queue and the newest posts in this worker's own session."""
        from tracker.complaints.queue import is_overdue, open_complaints, overdue_summary, recent_complaints
        from tracker.posts.lookup import recent_posts

        archive = self.tracker.archive()
        now = self.tracker.clock()
        with archive.factory() as session:
            summary = overdue_summary(session, now)
            waiting = open_complaints(session)
            done = recent_complaints(session, limit=RECENT_DONE)
            posts = recent_posts(session, limit=RECENT_POSTS)
        overdue = {c.id for c in waiting if is_overdue(c, now)}
        self.from_worker(self.show_data, DashboardData(now, summary, waiting, overdue, done, posts))

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(plain(f"Could not load the archive: {message} (r tries again)"))
        banner.set_classes("banner overdue")

    def show_data(self, data: DashboardData) -> None:
        """Fill the tables and the banner with what the worker read."""
        now = data.now
        table = self.query_one("#complaints", DataTable)
        table.clear()
        for c in data.waiting:
            who = c.complainant_org or c.complainant_name or "unknown sender"
            style = "bold red" if c.id in data.overdue else ""
            table.add_row(
                Text(f"#{c.id}", style=style),
                due_text(c.deadline_at, now, True),
                plain(c.status.value, style=style),
                Text(day(c.received_at)),
                short(who, 28),
                Text(BASIS_LABELS[c.legal_basis]),
                Text(str(len(c.post_ids))),
                key=str(c.id),
            )
        if not data.waiting:
            table.add_row(Text("-"), Text("nothing to answer"), *(Text("") for _ in range(5)), key="none")
        self._show_summary(data.summary)
        done_table = self.query_one("#done", DataTable)
        done_table.clear()
        for c in data.done:
            who = c.complainant_org or c.complainant_name or "unknown sender"
            done_table.add_row(
                Text(f"#{c.id}"),
                plain(c.status.value),
                Text(day(c.received_at)),
                short(who, 28),
                Text(BASIS_LABELS[c.legal_basis]),
                key=str(c.id),
            )
        post_table = self.query_one("#posts", DataTable)
        post_table.clear()
        for p in data.posts:
            status = getattr(p["status"], "value", p["status"])
            post_table.add_row(
                Text(f"#{p['id']}"),
                Text(day(p["posted_at"] or p["logged_at"])),
                short(p["persona"], 20),
                plain(p["platform"]),
                plain(status, style="" if status == "live" else "yellow"),
                short(p["url"], 70),
                key=f"post-{p['id']}",
            )
        self.loaded = True
        if self._open_when_loaded:
            self._open_when_loaded = False
            self.action_open()

    def _show_summary(self, summary: Overdue) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(Text(("⚠ " if summary.overdue else "") + summary.line()))
        banner.set_classes("banner")
        banner.set_class(summary.overdue > 0, "overdue")
        banner.set_class(summary.overdue == 0 and summary.unanswered > 0, "pending")
        banner.set_class(summary.unanswered == 0, "calm")
        if self.app.screen is self:  # not over the title of a screen opened meanwhile
            self.tracker.sub_title = summary.line()
        shown = self.query_one("#complaints", DataTable).row_count
        more = f"; the oldest {shown} shown" if summary.unanswered > shown else ""
        self.query_one("#complaints-title", Static).update(
            Text(f"Complaints needing an answer ({summary.unanswered}, {summary.overdue} overdue{more})")
        )

    def action_refresh(self) -> None:
        self.refresh_data()

    def _focused_table(self) -> DataTable[Text] | None:
        focused = self.focused
        return focused if isinstance(focused, DataTable) else None

    def action_cursor_down(self) -> None:
        if (table := self._focused_table()) is not None:
            table.action_cursor_down()

    def action_cursor_up(self) -> None:
        if (table := self._focused_table()) is not None:
            table.action_cursor_up()

    def action_open(self) -> None:
        table = self._focused_table()
        if table is None or table.id == "posts" or not table.row_count:
            return
        self._open(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id in ("complaints", "done"):
            self._open(event.row_key.value)

    def _open(self, key: str | None) -> None:
        """Open the complaint of a row; Enter while loading opens the highlighted one once it is there."""
        if key == LOADING_KEY:
            self._open_when_loaded = True
        elif key and key.isdigit():
            self.tracker.open_complaint(int(key))
