"""The first screen: unanswered complaints (overdue ones first, in red), then recent posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tracker.complaints.legal import BASIS_LABELS
from tracker.complaints.queue import Overdue, is_overdue, open_complaints, overdue_summary, recent_complaints
from tracker.db.models import Account, Post
from tracker.tui.text import day, due_text, plain, short

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp

RECENT_POSTS = 20


class DashboardScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "app.new_complaint", "New complaint"),
        Binding("enter", "open", "Open", show=True),
        Binding("r", "refresh", "Refresh"),
        Binding("b", "app.purge", "Burn down"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("tab", "app.focus_next", "Next table", show=False),
    ]
    DEFAULT_CSS = """
    DashboardScreen DataTable { height: auto; max-height: 24; margin: 0 1; }
    DashboardScreen #complaints { min-height: 3; }
    """

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="banner", classes="banner")
        with VerticalScroll():
            yield Static(Text("Complaints needing an answer"), classes="section", id="complaints-title")
            yield DataTable(id="complaints", cursor_type="row", zebra_stripes=True)
            yield Static(Text("Answered and closed complaints"), classes="section")
            yield DataTable(id="done", cursor_type="row")
            yield Static(Text("Recent posts"), classes="section")
            yield DataTable(id="posts", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#complaints", DataTable).add_columns(
            "#", "deadline", "status", "received", "from", "basis", "posts"
        )
        self.query_one("#done", DataTable).add_columns("#", "status", "received", "from", "basis")
        self.query_one("#posts", DataTable).add_columns("#", "posted", "persona", "platform", "status", "url")
        self.refresh_data()
        self.query_one("#complaints", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Reload everything from the database (cheap: bounded queries)."""
        now = self.tracker.clock()
        with self.tracker.factory() as session:
            summary = overdue_summary(session, now)
            waiting = open_complaints(session)
            done = recent_complaints(session, limit=20)
            posts = list(
                session.scalars(
                    select(Post)
                    .order_by(Post.id.desc())
                    .limit(RECENT_POSTS)
                    .options(selectinload(Post.account).selectinload(Account.persona))
                )
            )
        table = self.query_one("#complaints", DataTable)
        table.clear()
        for c in waiting:
            who = c.complainant_org or c.complainant_name or "unknown sender"
            style = "bold red" if is_overdue(c, now) else ""
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
        if not waiting:
            table.add_row(Text("-"), Text("nothing to answer"), *(Text("") for _ in range(5)), key="none")
        self._show_summary(summary)
        done_table = self.query_one("#done", DataTable)
        done_table.clear()
        for c in done:
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
        for p in posts:
            post_table.add_row(
                Text(f"#{p.id}"),
                Text(day(p.posted_at or p.logged_at)),
                short(p.account.persona.name, 20),
                plain(p.platform),
                plain(p.status.value, style="" if p.status.value == "live" else "yellow"),
                short(p.url, 70),
                key=f"post-{p.id}",
            )

    def _show_summary(self, summary: Overdue) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(Text(("⚠ " if summary.overdue else "") + summary.line()))
        banner.set_class(summary.overdue > 0, "overdue")
        banner.set_class(summary.overdue == 0 and summary.unanswered > 0, "pending")
        banner.set_class(summary.unanswered == 0, "calm")
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
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key and key.isdigit():
            self.tracker.open_complaint(int(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if event.data_table.id in ("complaints", "done") and key and key.isdigit():
            self.tracker.open_complaint(int(key))
