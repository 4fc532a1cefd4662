"""The first screen: unanswered complaints (overdue ones first, in red), then recent posts.

It is drawn at once, with a "Loading…" banner, and filled from a worker that reads the complaint
queue (`tracker.complaints.queue`) and the newest posts (`tracker.posts.listing`) as SQL text, as
`tracker status` reads: on a SQLite file at this revision through the standard library's driver
(`db.quick`), so the rows come as soon as `status` would print, else in a session of the archive.
Like `tracker.tui.app`, this module imports no database layer at its top. The banner
then says, in one line, what `tracker status` says: how many are unanswered and overdue, and which
are due today and tomorrow (`queue.due_soon`), and a restore killed with warnings it never said, a persona a
restore brought back, or a complaint to answer only a database a restore replaced holds (`banner.restore_alarm`:
`tracker status` says them). A line under it names the forms kept unsaved (`purge.drafts`:
a reply, a decision, a new complaint, with when they were typed), as `tracker status` does, so that a connection
dropped mid-reply is not a complaint forgotten.

The rows read are kept (`dashboard_rows.Row`), so that the filter (`/`) and the sort (`s`, `S`) draw the tables
again from them without reading the database: a filter keeps the rows whose text holds what was
typed, a sort orders them by one column's values (numbers as numbers, dates as dates).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.widgets.data_table import RowDoesNotExist
from textual.worker import Worker

from tracker.support.dates import local_zone
from tracker.support.textsafe import cell_width, clip, keep_end
from tracker.support.words import counted
from tracker.tui.banner import banner_text, numbers, restore_alarm, restore_kind, unsaved_text
from tracker.tui.dashboard_rows import DashboardData, Row, done_rows, matching, post_rows, waiting_rows
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.text import plain
from tracker.tui.widgets.line_input import LineInput
from tracker.tui.widgets.table import OpenTable, fit_cell, flex_width

if TYPE_CHECKING:
    from tracker.db.plain import Readable

RECENT_POSTS = 20
RECENT_DONE = 20
LOADING_KEY = "loading"
"""Row key of the complaint table's placeholder until the data arrives."""
NOT_LOADED_KEY = "not-loaded"
"""The complaint table's one row when the first load failed (the banner says why): Enter opens nothing."""
TABLES = ("complaints", "done", "posts")
"""The dashboard's tables, by id, in the order they are shown."""
TABLE_NAMES = {"complaints": "to answer", "done": "answered", "posts": "posts"}
"""What the filter's count calls each table."""
FLEX = {"complaints": 4, "done": 3, "posts": 5}
"""Each table's column that gets the room the others leave: the sender's name is cut at its end,
a post's URL in its middle (`keep_end`: the post's id stays), so no column is pushed off screen."""
SIDE_ROOM = 4
"""Columns of the screen a table cannot use: its margins and the scroll bars."""
BANNER_PADDING = 2
"""Columns of the screen the banner cannot write in (`.banner`'s padding)."""


class DashboardScreen(TrackerScreen[None]):
    """Complaints still needing an answer, answered ones, recent posts."""

    HELP = (
        "Complaints still needing an answer, overdue ones first and in red, then answered ones and "
        "your recent posts. `Enter` on a complaint opens it; on a post, the post's page. `/` filters "
        "all three tables by any text their rows show (`Esc` clears the filter); `s` sorts the table "
        "you are in by its next column, `S` reverses the order."
    )
    BINDINGS = [
        Binding(
            "n", "app.new_complaint", "New", tooltip="complaint: type it in or paste it", id="dashboard.new_complaint"
        ),
        Binding("enter", "open", "Open", show=False, id="dashboard.open"),  # shown by the table in focus (OpenTable)
        Binding("slash", "filter", "Filter", tooltip="rows holding some text", id="dashboard.filter"),
        Binding("o", "app.find_complaint", "Open #", tooltip="a complaint by number", id="dashboard.find_complaint"),
        Binding(
            "g", "app.find_post", "Post", tooltip="open one by its number or URL", show=False, id="dashboard.find_post"
        ),
        Binding("m", "app.match_image", "Match", tooltip="which posts an image file shows", id="dashboard.match_image"),
        Binding("s", "sort", "Sort", tooltip="the table by its next column", show=False, id="dashboard.sort"),
        Binding("S", "reverse_sort", "Reverse order", show=False, id="dashboard.reverse_sort"),
        Binding("escape", "close_filter", "Clear the filter", show=False, id="dashboard.close_filter"),
        Binding("b", "app.purge", "Burn down", tooltip="a persona's deletion checklist", id="dashboard.burn_down"),
        Binding("r", "refresh", "Refresh", show=False, id="dashboard.refresh"),
        Binding("j", "cursor_down", "Down", show=False, id="dashboard.cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="dashboard.cursor_up"),
        Binding("tab", "app.focus_next", "Next table", show=False, id="dashboard.next_table"),
    ]

    ROOMY_FOOTER: ClassVar[int] = 90
    """From this many columns the footer's keys and `^p palette` fit with Textual's wider spacing; below it the
    footer is compact, so that every key it offers (to Quit) is whole at 80 columns."""

    AUTO_REFRESH: ClassVar[float] = 30.0
    """Seconds between the dashboard's own reloads (`reload_by_itself`, from `TrackerApp.on_ready`); `r`: at once."""
    WATCH: ClassVar[float] = 3.0
    """Seconds between the dashboard's looks at whether the database changed (`watch_by_itself`): a complaint
    another terminal logged is shown within them, not at the next reload."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded = False
        self.failed = False
        """The last load raised (the banner says so): the next reload by itself tries again."""
        self._open_when_loaded = False
        self.rows: dict[str, list[Row]] = {}
        """Each table's rows as read (before filter and sort); a table is missing until its data arrives."""
        self.sorting: dict[str, tuple[int | None, bool]] = {}
        """Each table's sort: the column (None: as read) and whether reversed."""
        self.filter_text = ""
        self._labels: dict[str, list[str]] = {}
        self._before_filter: str | None = None
        self.data: DashboardData | None = None
        """What the worker read last (the banner is cut again to a new width from it)."""
        self.mark: object = None
        """The database's `queue.change_mark` when the rows shown were read (`watch_by_itself` compares it)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(self.tracker.loading_text), id="banner", classes="banner loading")
        yield Static(Text(""), id="unsaved", classes="banner pending")  # shown while a form is kept unsaved
        with Horizontal(id="filter-bar"):
            yield LineInput(placeholder="filter: any text the rows show", id="filter", compact=True)
            yield Static(Text(""), id="filter-count", classes="hint")
        with VerticalScroll(can_focus=False):  # Tab goes from table to table: no stop where Enter opens nothing
            yield Static(Text("Complaints needing an answer"), classes="section", id="complaints-title")
            yield OpenTable(id="complaints", cursor_type="row", zebra_stripes=True)
            yield Static(Text("Answered and closed complaints"), classes="section")
            yield OpenTable(id="done", cursor_type="row")
            yield Static(Text("Recent posts"), classes="section")
            yield OpenTable(id="posts", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self._labels = {
            "complaints": [
                "#",
                f"deadline ({local_zone(self.tracker.clock())})",
                "status",
                "received",
                "from",
                "basis",
                "posts",
            ],
            "done": ["#", "status", "received", "from", "basis"],
            "posts": ["#", "posted", "persona", "platform", "status", "url"],
        }
        for table_id, labels in self._labels.items():
            table = self.query_one(f"#{table_id}", DataTable)
            for n, label in enumerate(labels):
                table.add_column(label, key=str(n))
        complaints = self.query_one("#complaints", DataTable)
        complaints.add_row(Text("-"), Text("loading…"), *(Text("") for _ in range(5)), key=LOADING_KEY)
        complaints.focus()

    def reload_by_itself(self) -> None:
        """A dashboard left open (over SSH, in tmux) turns red by itself when a deadline passes, and shows
        what another process logged: it reloads every `AUTO_REFRESH` seconds while it is the screen shown,
        and after a load that failed (a database locked by a restore, say), tries again the same way."""
        if self.tracker.drawn and (self.loaded or self.failed) and self.app.screen is self:
            self.refresh_data()

    def watch_by_itself(self) -> None:
        """Every `WATCH` seconds while the dashboard is the screen shown and loaded, ask the database, in one cheap
        query, whether anything was written since the rows were read (`queue.change_mark`: another terminal's
        `tracker complaint add`, an answer sent from the CLI), and reload only then. As any reload, it keeps the
        cursor on its row and the filter as typed (`fill`); a form is never on this screen."""
        if self.tracker.drawn and self.loaded and self.app.screen is self:
            self.look_for_changes()

    @work(thread=True, exclusive=True, group="dashboard-watch", exit_on_error=False)
    def look_for_changes(self) -> None:
        from tracker.complaints.queue import change_mark

        try:
            with self._reading() as db:
                mark = change_mark(db)
        except Exception:  # a database locked by a restore, say: said by the next reload (reload_by_itself)
            return
        self.from_worker(self._changed, mark)

    def _changed(self, mark: object) -> None:
        if mark != self.mark and self.loaded and self.app.screen is self:
            self.refresh_data()

    def on_resize(self) -> None:
        """Cut the long cells and the banner again to the new width; the footer compact when narrow."""
        self.query_one(Footer).compact = self.app.size.width < self.ROOMY_FOOTER
        for table_id in TABLES:
            self.fill(table_id)
        if self.data is not None:
            self._show_banner(self.data)

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
        """Read the queue and the newest posts in one snapshot (`_reading`)."""
        from tracker.complaints.queue import (
            awaiting_answers,
            change_mark,
            complaints_by_id,
            due_soon,
            is_overdue,
            open_complaints,
            overdue_summary,
            promised_takedowns,
            recent_complaints,
        )
        from tracker.posts.listing import recent_posts
        from tracker.purge.drafts import drop_stale, unsaved_forms

        now = self.tracker.clock()
        with self._reading() as db:
            mark = change_mark(db)
            summary = overdue_summary(db, now)
            waiting = open_complaints(db)
            done = recent_complaints(db, limit=RECENT_DONE)
            promised = promised_takedowns(db)
            asked = awaiting_answers(db)
            missing = (set(promised) | set(asked)) - {c.id for c in done}
            done = complaints_by_id(db, missing) + done if missing else done  # older ones stay in view
            posts = recent_posts(db, limit=RECENT_POSTS)
            restore = restore_kind(self.tracker.settings, db)
            drop_stale(self.tracker.settings, db)  # what forms kept for complaints deleted or merged since
            unsaved = unsaved_forms(self.tracker.settings, db)
        overdue = {c.id for c in waiting if is_overdue(c, now)}
        soon = due_soon(waiting, now)
        data = DashboardData(now, summary, waiting, overdue, done, posts, soon, promised, asked, restore, unsaved)
        self.from_worker(self.show_data, data, mark)

    @work(thread=True, exclusive=True, group="archive", exit_on_error=False)
    def open_archive(self) -> None:
        """Open the archive the screens Enter opens read through, while the owner reads the rows (`_reading`
        read them without it): after they are drawn, which the import would otherwise hold up."""
        self.tracker.archive()

    @contextmanager
    def _reading(self) -> Iterator[Readable]:
        """A connection to read the dashboard on, as `tracker status` chooses one: on a SQLite file at this
        revision the standard library's (`db.quick`: the rows do not wait for SQLAlchemy to load), else a
        session of the archive (which creates, upgrades or reports the database, after any `prepare`)."""
        from tracker.db.quick import open_at_head

        quick = open_at_head(self.tracker.settings.db_url) if self.tracker.prepared else None
        if quick is None:
            with self.tracker.archive().factory() as session:
                yield session
            return
        with closing(quick):
            quick.execute("BEGIN")  # one snapshot: the counts agree with the rows, as in the session's transaction
            yield quick

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        self.data = None  # the banner says what failed until a load succeeds, whatever the width
        self.failed = True
        banner = self.query_one("#banner", Static)
        banner.update(plain(f"Could not load the archive: {message} (r tries again)"))
        banner.set_classes("banner overdue")
        if "complaints" not in self.rows:  # nothing ever arrived: the placeholder must not say "loading…" for ever
            complaints = self.query_one("#complaints", DataTable)
            complaints.clear()
            complaints.add_row(Text("-"), Text("not loaded"), *(Text("") for _ in range(5)), key=NOT_LOADED_KEY)

    def show_data(self, data: DashboardData, mark: object = None) -> None:
        """Fill the tables and the banner with what the worker read (at the database's `mark`)."""
        self.mark = mark
        self.rows = {"complaints": waiting_rows(data), "done": done_rows(data), "posts": post_rows(data)}
        for table_id in TABLES:
            self.fill(table_id)
        self.data = data
        self._show_summary(data)
        self._show_filter_count()
        self.loaded, self.failed = True, False
        if not self.tracker.is_ready:
            self.call_after_refresh(self.open_archive)
        if self._open_when_loaded:
            self._open_when_loaded = False
            self.action_open()

    def fill(self, table_id: str) -> None:
        """Draw a table again from its rows, filtered and sorted; the cursor stays on its row if still shown,
        else on the row that took its place (never back at the top: Enter then opens a complaint next to it).

        A table whose data has not arrived keeps its placeholder row.
        """
        rows = self.rows.get(table_id)
        if rows is None:
            return
        table = self.query_one(f"#{table_id}", DataTable)
        kept, place = None, table.cursor_row
        if table.row_count:
            kept = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        shown = matching(rows, self.filter_text)
        column, reverse = self.sorting.get(table_id, (None, False))
        if column is not None:
            shown.sort(key=lambda row: row.order[column], reverse=reverse)
        elif reverse:
            shown.reverse()
        self._label_columns(table, column, reverse)
        labels = [str(col.label) for col in table.ordered_columns]
        room = flex_width([row.cells for row in rows], labels, FLEX[table_id], self.size.width - SIDE_ROOM)
        cut = keep_end if table_id == "posts" else clip
        lines = [list(row.cells) for row in shown]
        for cells in lines:
            cells[FLEX[table_id]] = fit_cell(cells[FLEX[table_id]], room, cut)
        for n, col in enumerate(table.ordered_columns):  # now, not when the table next idles: no frame between
            col.content_width = max([col.content_width, *(cells[n].cell_len for cells in lines if n < len(cells))])
        table.clear()
        for row, cells in zip(shown, lines, strict=True):
            table.add_row(*cells, key=row.key)
        if table_id == "complaints" and not rows:
            table.add_row(Text("-"), Text("nothing to answer"), *(Text("") for _ in range(5)), key="none")
        if kept is not None:
            try:
                table.move_cursor(row=table.get_row_index(kept), animate=False)
            except RowDoesNotExist:
                if table.row_count:
                    table.move_cursor(row=min(place, table.row_count - 1), animate=False)

    def _label_columns(self, table: DataTable[Text], column: int | None, reverse: bool) -> None:
        """The column headers, the sorted one marked ▲ (ascending) or ▼; each column as wide as its header
        until the rows shown are added (a column narrows again once its widest row has left the table)."""
        labels = self._labels.get(str(table.id), [])
        for n, (col, label) in enumerate(zip(table.ordered_columns, labels, strict=False)):
            shown = label + ((" ▼" if reverse else " ▲") if n == column else "")
            col.label = Text(shown)
            col.content_width = cell_width(shown)

    def _show_banner(self, data: DashboardData) -> None:
        """One line, cut to the screen's width: overdue in red; due today, or anything unanswered, in amber."""
        summary, soon = data.summary, data.soon
        overdue_ids = [c.id for c in data.waiting if c.id in data.overdue]
        banner = self.query_one("#banner", Static)
        width = max(self.size.width - BANNER_PADDING, 10)
        promised = f"{counted(len(data.promised), 'take-down')} to confirm{numbers(data.promised, 3)}"
        alarm = restore_alarm(width, data.restore)  # kept whole at the end
        if alarm and summary.unanswered == 0 and not data.promised:
            text = clip(f"⚠ {alarm.removeprefix(' · ')}", width)  # nothing else waits: the restore leads
        elif data.promised and summary.unanswered == 0:
            text = clip(f"⚠ {promised}", width - cell_width(alarm)) + alarm  # nothing else waits: the promise leads
        else:
            text = banner_text(summary, soon, overdue_ids, width - cell_width(alarm), data.promised) + alarm
        banner.update(plain(text))
        banner.set_classes("banner")
        banner.set_class(summary.overdue > 0, "overdue")
        waiting = summary.unanswered > 0 or bool(soon.today) or bool(data.promised) or bool(data.restore)
        banner.set_class(summary.overdue == 0 and waiting, "pending")
        banner.set_class(not waiting, "calm")
        line = self.query_one("#unsaved", Static)
        line.update(plain(unsaved_text(data.unsaved, data.now, width)))
        line.display = bool(data.unsaved)

    def _show_summary(self, data: DashboardData) -> None:
        summary = data.summary
        self._show_banner(data)
        if self.app.screen is self:  # not over the title of a screen opened meanwhile
            self.tracker.sub_title = summary.line()
        shown = len(self.rows.get("complaints", []))
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
        if table is None or not table.row_count:
            return
        self._open(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id in TABLES:
            self._open(event.row_key.value)

    def _open(self, key: str | None) -> None:
        """Open the complaint or post of a row; Enter while loading opens the highlighted one once it is there."""
        if key == LOADING_KEY:
            self._open_when_loaded = True
        elif key and key.isdigit():
            self.tracker.open_complaint(int(key))
        elif key and key.startswith("post-") and key.removeprefix("post-").isdigit():
            self.tracker.open_post(int(key.removeprefix("post-")))

    # ------------------------------------------------------------------ filter and sort

    def action_filter(self) -> None:
        """Show the filter field (at the top) and type into it."""
        focused = self._focused_table()
        if focused is not None:
            self._before_filter = focused.id
        self.query_one("#filter-bar").add_class("-open")
        self.query_one("#filter", Input).focus()

    def action_close_filter(self) -> None:
        """Clear the filter, hide its field, and go back to the table it was opened from."""
        bar = self.query_one("#filter-bar")
        if not bar.has_class("-open"):
            return
        field = self.query_one("#filter", Input)
        field.value = ""
        self._apply_filter("")
        bar.remove_class("-open")
        self._focus_table(self._before_filter)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._apply_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter: to the first table with rows left (the filter stays)."""
        if event.input.id != "filter":
            return
        preferred = [self._before_filter] if self._before_filter else []
        for table_id in [*preferred, *TABLES]:
            if self.query_one(f"#{table_id}", DataTable).row_count:
                self._focus_table(table_id)
                return

    def _focus_table(self, table_id: str | None) -> None:
        self.query_one(f"#{table_id if table_id in TABLES else 'complaints'}", DataTable).focus()

    def _apply_filter(self, text: str) -> None:
        if text == self.filter_text:
            return
        self.filter_text = text
        for table_id in TABLES:
            self.fill(table_id)
        self._show_filter_count()

    def _show_filter_count(self) -> None:
        """How many rows of each table the filter keeps: `to answer 1/3 · answered 0/2 · posts 2/20`."""
        if not self.filter_text.strip() or not self.rows:
            text = "Enter: to the tables · Esc: clear"
        else:
            text = " · ".join(
                f"{TABLE_NAMES[t]} {len(matching(self.rows[t], self.filter_text))}/{len(self.rows[t])}" for t in TABLES
            )
        self.query_one("#filter-count", Static).update(Text(text))

    def action_sort(self) -> None:
        """Sort the table in focus by its next column (after the last: back to the order as read)."""
        table = self._focused_table()
        if table is None or table.id not in TABLES:
            return
        column, _ = self.sorting.get(str(table.id), (None, False))
        count = len(self._labels.get(str(table.id), []))
        following = 0 if column is None else column + 1
        self.sorting[str(table.id)] = (following if following < count else None, False)
        self._sorted(table)

    def action_reverse_sort(self) -> None:
        """Reverse the order of the table in focus."""
        table = self._focused_table()
        if table is None or table.id not in TABLES:
            return
        column, reverse = self.sorting.get(str(table.id), (None, False))
        self.sorting[str(table.id)] = (column, not reverse)
        self._sorted(table)

    def _sorted(self, table: DataTable[Text]) -> None:
        table_id = str(table.id)
        if table_id in self.rows:
            self.fill(table_id)
        else:  # still loading: the placeholder stays, the order applies once the rows arrive
            column, reverse = self.sorting[table_id]
            self._label_columns(table, column, reverse)
            table.refresh()
