"""Burning a persona down from the TUI: pick the persona, then work through its checklist.

The checklist is the one `tracker purge plan` prints (`tracker.purge.build_plan`); marks go
through `tracker.purge.mark_items`, exactly as `tracker purge mark` does, so the CLI and the TUI
always agree. The scrub itself stays a terminal command: it asks for the persona's name typed out.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tracker.db.enums import PurgeItemState
from tracker.db.session import session_scope
from tracker.errors import TrackerError
from tracker.purge.items import SECTION_TITLES, Plan, PlanItem, Section
from tracker.purge.marks import PersonaChoice, mark_items, persona_choices, run_of
from tracker.purge.plan import build_plan
from tracker.support.shell import command
from tracker.support.textsafe import cell_width, clip_list, keep_end
from tracker.support.words import counted
from tracker.tui.screens.base import TrackerModal, TrackerScreen
from tracker.tui.screens.guard import ConfirmScreen, GuardsInput
from tracker.tui.text import bare_url, day, plain, short
from tracker.tui.widgets.line_input import LineInput
from tracker.tui.widgets.table import LEAST, Table, flex_width

if TYPE_CHECKING:
    from textual.worker import Worker

POSTS_PER_PLATFORM = 500
"""Post rows drawn per platform (every other item is always drawn); past that the owner marks a
platform's posts at once (`D`)."""

STATE_MARKS: dict[PurgeItemState, tuple[str, str]] = {
    PurgeItemState.OPEN: ("[ ]", ""),
    PurgeItemState.DONE: ("[x]", "green"),
    PurgeItemState.SKIPPED: ("[-]", "dim"),
    PurgeItemState.FAILED: ("[!]", "bold red"),
}


def state_cell(item: PlanItem) -> Text:
    if item.automatic:
        return Text("auto", style="dim italic")
    mark, style = STATE_MARKS[item.state]
    return Text(mark, style=style)


def item_text(item: PlanItem, width: int = 90) -> Text:
    """The row's main cell in at most `width` columns: what to do; for a post its URL, cut in the
    middle so that the post's id stays (`keep_end`), and its title when there is room."""
    marks = ("  (new)" if item.new_since_start else "") + ("  FAILED" if item.state is PurgeItemState.FAILED else "")
    room = max(LEAST, width - len(marks))
    if item.section is Section.POST:
        url = bare_url(item.url) if item.url else item.label
        text = plain(keep_end(url, room))
        title_room = room - cell_width(text.plain) - 2
        if item.title and title_room >= 6:
            text.append("  ")
            text.append_text(short(item.title, min(title_room, 30)))
    else:
        text = short(item.label, room)
    if item.new_since_start:
        text.append("  (new)", style="yellow")
    if item.state is PurgeItemState.FAILED:
        text.append("  FAILED", style="bold red")
    return text


def detail_text(item: PlanItem) -> Text:
    """Everything the plan knows about one item, literally (it comes from the archive and platforms.toml)."""
    out = Text()
    out.append_text(plain(item.label, style="bold"))
    out.append(f"\n{item.id} · {SECTION_TITLES[item.section]}")
    if item.platform_name:
        out.append(" · ")
        out.append_text(plain(item.platform_name))
    if item.account:
        out.append(" · account ")
        out.append_text(plain(item.account))
    if item.url:
        out.append("\nurl: ")
        out.append_text(plain(item.url))
    if item.title:
        out.append("\ntitle: ")
        out.append_text(plain(item.title))
    if item.posted_at:
        out.append(f"\nposted: {day(item.posted_at)}")
    if item.automatic:
        out.append("\nDone by `tracker purge scrub` itself: nothing to mark.", style="italic")
    else:
        out.append(f"\nstate: {item.state.value}")
        if item.marked_at:
            out.append(f" since {day(item.marked_at)}")
        if item.reason:
            out.append(" — ")
            out.append_text(plain(item.reason))
        if item.final_after:
            out.append(f"\ndeletion final after {day(item.final_after)}", style="yellow")
            if item.login_cancels_deletion:
                out.append(": do not log in before then, logging in cancels it", style="yellow")
    for n, step in enumerate(item.steps, 1):
        out.append(f"\n {n}. ")
        out.append_text(plain(step))
    if item.help_page:
        out.append("\n")
        out.append_text(plain(f"steps from {item.platform_name or item.platform}'s help: {item.help_page}"))
    elif item.help_page_note and item.steps:
        out.append("\nno help page of the platform's own: ", style="dim")
        out.append_text(plain(item.help_page_note, style="dim"))
    for note in item.notes:
        out.append("\n • ")
        out.append_text(plain(note))
    for name in item.files[:20]:
        out.append("\n   ")
        out.append_text(plain(name))
    if len(item.files) > 20:
        out.append(f"\n   ... and {len(item.files) - 20} more")
    if item.unverified:
        out.append("\nnot confirmed by the sources: ", style="yellow")
        out.append_text(plain(", ".join(item.unverified), style="yellow"))
    for source in item.sources:
        out.append("\nsource: ", style="dim")
        out.append_text(plain(source, style="dim"))
    return out


PICKER_ROOM = 64
"""Terminal columns a line of the persona picker has in its dialog at 80 columns: a renamed persona's former
names (`(formerly: …)`) are cut to what its name and counts leave of it (the full list: `tracker personas`)."""


class PersonaPickerScreen(TrackerModal[str | None]):
    """Which persona to burn down (opening its checklist changes nothing yet)."""

    HELP = "Choose whose deletion checklist to open (`Enter`); opening it changes nothing yet."
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="persona_picker.cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.choices: list[PersonaChoice] | None = None
        """The personas, once the worker has read them."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Burn down a persona: choose whose deletion checklist to open"), classes="section")
            yield OptionList(Option(Text("Loading the personas…"), id="", disabled=True), id="personas")
            yield Static(
                Text("Opening a checklist changes nothing; marking its first item starts the purge run."),
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#personas", OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="personas", exit_on_error=False)
    def load(self) -> None:
        """Read every persona with what a purge of it would cover."""
        with self.tracker.archive().factory() as session:
            choices = persona_choices(session)
        self.from_worker(self.show_choices, choices)

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        option_list = self.query_one("#personas", OptionList)
        option_list.clear_options()
        option_list.add_option(Option(plain(f"Could not read the personas: {message}"), id="", disabled=True))

    def show_choices(self, choices: list[PersonaChoice]) -> None:
        self.choices = choices
        options = []
        for row in choices:
            counts = f"  {counted(row.live_posts, 'live post')}, {counted(row.accounts, 'account')}"
            under_way = "  — purge under way" if row.purge_started else ""
            line = plain(row.name, style="bold")
            if row.former_names:  # the owner may still know it by an old name: the latest first, never cut off
                room = PICKER_ROOM - cell_width(f"{line.plain} (formerly: ){counts}{under_way}")
                latest_first = list(reversed(row.former_names))
                line.append_text(plain(f" (formerly: {clip_list(latest_first, max(room, 12))})"))
            line.append(counts)
            line.append(under_way, style="yellow")
            options.append(Option(line, id=row.name))
        if not options:
            options.append(Option(Text("No persona is logged yet."), id="", disabled=True))
        option_list = self.query_one("#personas", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        option_list.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonScreen(GuardsInput, TrackerModal[str | None]):
    """Ask why an item is skipped (required) or failed (optional); leaving with a reason typed asks first."""

    HELP = "Why an item is skipped (required: it stays on record) or failed (optional). `Enter` saves."
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]

    def __init__(self, question: str, required: bool) -> None:
        super().__init__()
        self.question = question
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.question), classes="section")
            yield LineInput(placeholder="reason", id="reason")
            yield Static(Text(""), id="reason-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()
        self.remember_input()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if self.required and not reason:
            self.query_one("#reason-error", Static).update(Text("Say why: the reason stays on record."))
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.leave_asking(lambda: self.dismiss(None))


class PurgeScreen(TrackerScreen[None]):
    """One persona's deletion checklist: every item with its mark, the highlighted one in full."""

    HELP = (
        "A persona's deletion checklist, in order: exports, services that block account deletion, every "
        "live post, the accounts, local traces. The highlighted item shows its steps, waiting periods and "
        "sources below the list. A post marked done is recorded as deleted. When nothing is left, "
        "`tracker purge scrub PERSONA` in a terminal deletes the persona."
    )
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="purge.back"),
        Binding("d", "mark('done')", "Done", id="purge.done"),
        Binding("s", "mark('skipped')", "Skip", tooltip="with a reason", id="purge.skip"),
        Binding("f", "mark('failed')", "Failed", id="purge.failed"),
        Binding("o", "mark('open')", "Reopen", show=False, id="purge.reopen"),
        Binding(
            "D",
            "mark_platform",
            "All posts",
            tooltip="done: every post on that platform, once the account deletion took them",
            id="purge.platform_done",
        ),
        Binding("a", "toggle_settled", "Hide/show settled", show=False, id="purge.toggle_settled"),
        Binding("r", "reload", "Refresh", show=False, id="purge.refresh"),
        Binding("j", "cursor_down", "Down", show=False, id="purge.cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="purge.cursor_up"),
    ]

    def __init__(self, persona: str) -> None:
        super().__init__()
        self.persona = persona
        self.plan: Plan | None = None
        self.items: dict[str, PlanItem] = {}
        self.hide_settled = False
        self.what_width = 90
        """Columns the "what" cell may take: what the screen leaves once the other columns have theirs."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"Loading the checklist of {self.persona}…"), id="banner", classes="banner pending")
        with VerticalScroll(id="notes-box"):  # scrolls (Tab to it) when the warnings are more than its lines
            yield Static(id="notes", classes="hint")
        yield Table(id="items", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="detail-box"):
            yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#items", DataTable).add_columns("", "item", "where", "what")
        self.tracker.sub_title = f"purge of {self.persona}"
        self.load()

    def on_resize(self) -> None:
        """Cut the items' text again to the new width."""
        if self.plan is not None:
            self._fill_table()

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="purge", exit_on_error=False)
    def load(self) -> None:
        """Build the persona's checklist, in this worker's own session."""
        archive = self.tracker.archive()
        try:
            with archive.factory() as session:
                plan = build_plan(session, self.persona, archive.platforms, self.tracker.settings)
        except TrackerError as exc:
            self.from_worker(self._failed, str(exc))
            return
        self.from_worker(self.show_plan, plan)

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        if worker.group == "purge" and self.plan is None:
            self._failed(message)

    def _failed(self, message: str) -> None:
        """Say why there is no checklist, and show none: a persona scrubbed meanwhile leaves nothing to mark."""
        self.query_one("#banner", Static).update(plain(message))
        self.query_one("#banner", Static).set_classes("banner overdue")
        self.plan, self.items = None, {}
        self.query_one("#items", DataTable).clear()
        self.query_one("#notes", Static).update("")
        self.query_one("#detail", Static).update("")

    def show_plan(self, plan: Plan) -> None:
        self.plan = plan
        self.items = {item.id: item for item in plan.items}
        self._fill_table()
        self._show_summary()
        self.query_one("#items", DataTable).focus()

    def _visible(self) -> list[PlanItem]:
        items = list(self.items.values())
        if self.hide_settled:
            items = [item for item in items if not item.settled]
        return items

    def _shown(self) -> list[PlanItem]:
        """The visible items that get a row: all but the posts past `POSTS_PER_PLATFORM` on a platform."""
        seen: dict[str | None, int] = {}
        shown = []
        for item in self._visible():
            if item.section is Section.POST:
                seen[item.platform] = seen.get(item.platform, 0) + 1
                if seen[item.platform] > POSTS_PER_PLATFORM:
                    continue
            shown.append(item)
        return shown

    def _fill_table(self) -> None:
        table = self.query_one("#items", DataTable)
        keep = table.cursor_row
        table.clear()
        shown = self._shown()
        labels = [str(col.label) for col in table.ordered_columns]
        fixed = [(*self._fixed_cells(item), Text("")) for item in shown]
        self.what_width = flex_width(fixed, labels, 3, self.size.width - 4)
        for item in shown:
            table.add_row(*self._cells(item), key=item.id)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
            self._show_detail(self._highlighted())
        else:
            self.query_one("#detail", Static).update(Text("Nothing left to mark here."))

    def _fixed_cells(self, item: PlanItem) -> tuple[Text, Text, Text]:
        """The row's cells before the "what" (their widths decide how much room it gets)."""
        where = item.platform_name or ("this computer" if item.section is Section.LOCAL else "")
        return state_cell(item), Text(item.id), short(where, 16)

    def _cells(self, item: PlanItem) -> tuple[Text, Text, Text, Text]:
        return *self._fixed_cells(item), item_text(item, self.what_width)

    def _show_summary(self) -> None:
        if self.plan is None:
            return
        items = list(self.items.values())
        left = [item for item in items if not item.settled]
        failed = sum(item.state is PurgeItemState.FAILED for item in left)
        done = sum(item.state is PurgeItemState.DONE for item in items if not item.automatic)
        skipped = sum(item.state is PurgeItemState.SKIPPED for item in items if not item.automatic)
        auto = sum(item.automatic for item in items)
        banner = self.query_one("#banner", Static)
        if left:
            line = f"Purge of {self.persona}: {len(left)} of {counted(len(items) - auto, 'item')} left"
            line += f" ({failed} failed)" if failed else ""
            line += f" · {done} done · {skipped} skipped · {auto} done by the scrub"
        else:
            line = (
                f"Purge of {self.persona}: every item is done or skipped. In a terminal, "
                f"`{command('tracker', 'purge', 'scrub', self.persona)}` now deletes the persona from tracker "
                "(it asks for the name)."
            )
        banner.update(plain(line))
        banner.set_classes("banner " + ("overdue" if failed else "pending" if left else "calm"))
        notes = Text()
        run = self.plan.run_started_at
        notes.append(f"Run started {day(run)}. " if run else "Not started: marking the first item starts the run. ")
        visible, shown = len(self._visible()), len(self._shown())
        if shown < visible:
            notes.append(
                f"Showing the first {POSTS_PER_PLATFORM} posts of each platform ({visible - shown} more): "
                "`D` marks a platform's posts at once. "
            )
        for line in [*self.plan.warnings, *self.plan.reminders()]:  # warnings first: they are what must be seen
            notes.append("\n")
            notes.append_text(plain(line, style="yellow"))
        self.query_one("#notes", Static).update(notes)

    # ------------------------------------------------------------------ the table

    def _highlighted(self) -> PlanItem | None:
        table = self.query_one("#items", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.items.get(key) if key else None

    def _show_detail(self, item: PlanItem | None) -> None:
        self.query_one("#detail", Static).update(detail_text(item) if item else Text(""))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        self._show_detail(self.items.get(key) if key else None)

    def action_cursor_down(self) -> None:
        self.query_one("#items", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#items", DataTable).action_cursor_up()

    def action_toggle_settled(self) -> None:
        self.hide_settled = not self.hide_settled
        self._fill_table()
        self._show_summary()
        self.notify("Showing what is left" if self.hide_settled else "Showing every item", markup=False)

    def action_reload(self) -> None:
        self.load()

    # ------------------------------------------------------------------ marking

    def action_mark(self, state: str) -> None:
        item = self._highlighted()
        if item is None:
            return
        if item.automatic:
            self.notify(f"{item.id} is done by `tracker purge scrub` itself.", markup=False)
            return
        if state == PurgeItemState.SKIPPED:
            question = f"Why skip {item.id}? (kept with the mark)"
            self.app.push_screen(ReasonScreen(question, required=True), lambda r: self._mark([item.id], state, r))
        elif state == PurgeItemState.FAILED:
            question = f"What went wrong with {item.id}? (optional)"
            self.app.push_screen(ReasonScreen(question, required=False), lambda r: self._mark([item.id], state, r))
        else:
            self._mark([item.id], state, "")

    def action_mark_platform(self) -> None:
        item = self._highlighted()
        if item is None or item.platform is None:
            self.notify("Move to a post or an account of the platform first.", markup=False)
            return
        platform = item.platform
        posts = [i for i in self.items.values() if i.section is Section.POST and i.platform == platform]
        todo = [i for i in posts if not i.settled]  # a skipped post keeps its skip and reason (as a pattern does)
        if not todo:
            self.notify(f"Every post on {item.platform_name or platform} is already done or skipped.", markup=False)
            return
        question = (
            f"Mark all {counted(len(todo), 'remaining post')} on {item.platform_name or platform} done?\n"
            "Do this once the posts are really gone (deleting the account usually takes them with it); "
            "they are recorded as deleted. `o` on a post reopens it."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_many(["post:*"], platform)

        self.app.push_screen(ConfirmScreen(question), answered)

    def _mark(self, keys: list[str], state: str, reason: str | None) -> None:
        if reason is None:  # the reason dialog was cancelled
            return
        try:
            with session_scope(self.tracker.factory, command="tui purge mark") as session:
                outcomes = mark_items(
                    session, self.persona, keys, state, self.tracker.platforms, self.tracker.settings, reason or None
                )
        except TrackerError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._apply([o.item for o in outcomes])
        if len(outcomes) == 1 and not (self.hide_settled and outcomes[0].item.settled):
            self.action_cursor_down()

    @work(thread=True, exclusive=True, group="marks", exit_on_error=False)
    def _mark_many(self, keys: list[str], platform: str) -> None:
        archive = self.tracker.archive()
        with session_scope(archive.factory, command="tui purge mark") as session:
            outcomes = mark_items(
                session, self.persona, keys, "done", archive.platforms, self.tracker.settings, None, platform
            )
        self.from_worker(self._apply, [o.item for o in outcomes])
        self.from_worker(self.notify, f"Marked {counted(len(outcomes), 'post')} done.", markup=False)

    def _apply(self, changed: list[PlanItem]) -> None:
        """Show new marks without reloading the whole plan (a big persona takes a second to plan)."""
        if self.plan is not None and self.plan.run_id is None:  # the first mark started the run
            with self.tracker.factory() as session:
                run = run_of(session, self.persona)
            if run is not None:
                self.plan = replace(self.plan, run_id=run.id, run_started_at=run.started_at)
        table = self.query_one("#items", DataTable)
        settled_now = []
        for item in changed:
            self.items[item.id] = item
            if item.id not in table.rows:
                continue
            if self.hide_settled and item.settled:
                settled_now.append(item.id)
                continue
            for column, cell in zip(table.columns, self._cells(item), strict=True):
                table.update_cell(item.id, column, cell)
        if len(settled_now) > len(changed) // 2 and len(settled_now) > 50:
            self._fill_table()
        else:
            for key in settled_now:
                table.remove_row(key)
        self._show_summary()
        self._show_detail(self._highlighted())
