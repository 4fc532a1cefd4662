"""One complaint: what it says, its candidates (as `tracker match` finds them), the two pictures, the evidence."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static

from tracker.complaints.decisions import confirm_takedown, decision_overrides, decision_resembles, resembles_warning
from tracker.complaints.live_copies import take_down_copies
from tracker.complaints.records import get_complaint
from tracker.complaints.stored import pending_takedown
from tracker.complaints.triage import TriageCandidate, TriageResult, candidate_facts, triage
from tracker.complaints.views import current_decision
from tracker.db.enums import DecisionAction
from tracker.db.models import Complaint, Decision
from tracker.errors import TrackerError
from tracker.posts.sizes import archived_size_text, size_text
from tracker.support.textsafe import safe_text
from tracker.support.words import counted
from tracker.tui.external import open_in_viewer
from tracker.tui.screens.base import VIEW_KEYS, ReadOnlyView, TrackerScreen, view_bindings
from tracker.tui.screens.complaint_history import HISTORY_KEY, HistoryScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.guard import ConfirmScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.text import as_words, due_words, plain
from tracker.tui.triage_text import (
    MESSAGE_KEY,
    complaint_text,
    facts_text,
    message_heading,
    messages_text,
    posts_where,
    their_images_text,
)
from tracker.tui.widgets.footer_room import fit_footer
from tracker.tui.widgets.preview import ImagePreview
from tracker.tui.widgets.table import Table

if TYPE_CHECKING:
    from textual.worker import Worker

    from tracker.matching.stored import Database
    from tracker.support.settings import Settings


def best_of_each_image(database: Database, settings: Settings, complaint: Complaint) -> list[tuple[str, str]]:
    """Each of the complainant's images with its own best match, in words ("post #3: region 0.96 (certain)").

    The candidates keep, for each archived image, only the complaint image that matched it best;
    with two pictures of the same post (a crop and a screenshot) the other's match would not be
    seen. This runs the same search as `tracker match` on each image (its best result only).
    """
    from tracker.matching.search import match_reading
    from tracker.metadata.decoding import decode_file

    shown = []
    for item in complaint.images:
        try:
            results = match_reading(database, settings, decode_file(settings.archive_dir / item.archive_path), top=1)
        except TrackerError as exc:
            shown.append((item.original_name, f"not compared: {exc}"))
            continue
        if not results:
            shown.append((item.original_name, "no match"))
            continue
        best, c = results[0], results[0].candidate
        what = ("post " + ", ".join(f"#{p.id}" for p in best.posts)) if best.posts else f"image #{best.image_id}"
        kind = "identical file" if best.identical else c.kind
        shown.append((item.original_name, f"{what}: {kind} {c.score:.2f} ({c.confidence})"))
    return shown


class MessageScreen(ReadOnlyView):
    """The complaint's whole message, as received, read-only (control characters shown as escapes)."""

    HELP = (
        "The complaint's whole message as it was received (the complaint screen shows its first words): "
        "deadlines, statements, signature and address included; then each later message of its sender (their "
        "answer, a reminder), with the day it arrived. Read-only; control "
        "characters and terminal escapes in it are shown as visible `\\xNN` text. Scroll with the arrow "
        "keys, Page Up / Page Down or the mouse; opened again from the complaint, it starts where you closed it."
    )
    BINDINGS = view_bindings("triage.message")  # named after the complaint screen it belongs to (`m` opens it)
    BOX = "message-box"

    def __init__(self, complaint: Complaint, read_at: dict[str, float] | None = None) -> None:
        super().__init__(read_at)
        self.complaint = complaint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(message_heading(self.complaint), id="message-heading", classes="section")
            with VerticalScroll(id="message-box"):
                yield Static(messages_text(self.complaint), id="message-text")
            yield Static(Text(VIEW_KEYS), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#message-box", VerticalScroll).focus()
        self.restore()


class TriageScreen(TrackerScreen[None]):
    """One complaint and what it may be about; the complaint and its candidates load in workers."""

    HELP = (
        "The complaint, then its candidates: the posts it names first, then exactly what `tracker match` "
        "finds for its images, in the same order: posted images, images archived without a post, and recorded "
        "input images (a ControlNet or img2img source, with the posts made from it), each labelled, with the "
        "score, how sure (certain, high or possible) and which hash, region and distance matched. The two "
        "pictures are shown side by side when the terminal is wide and below the candidates when it is narrow "
        "(PgDn scrolls to them, and Tab stops on each); `v` opens the candidate's picture and `V` the "
        "complaint's in the system's image viewer (over SSH, with no desktop, they say where the file is and copy "
        "its path to the clipboard). A take-down names the posts to remove; once you have "
        "removed them on the platform, confirm it (c: in the footer while there is such a take-down) and they are "
        "recorded as taken down. The summary shows "
        "the first words of the complaint's message on one line; `m` shows the whole message, `h` its history (what "
        "`tracker complaint show` lists: received, corrected, decided, answered, their later messages); opened again, "
        "each starts where you closed it. Enter on a "
        "candidate opens its post's page: the prompt, the settings and the post's history (Esc comes back here)."
    )
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="triage.back"),
        Binding("d", "decide", "Decide", id="triage.decide"),
        Binding("t", "take_down", "Take down", id="triage.take_down"),
        Binding(
            "c", "confirm_removed", "Confirm", tooltip="the take-down's posts are removed", id="triage.confirm_removed"
        ),
        Binding("p", "reply", "Reply", tooltip="the draft of the answer", id="triage.reply"),
        Binding(MESSAGE_KEY, "message", "Message", tooltip="the complaint's whole message", id="triage.message"),
        Binding(HISTORY_KEY, "history", "History", tooltip="received, decided, answered", id="triage.history"),
        Binding("v", "view_candidate", "View picture", show=False, id="triage.view_candidate"),
        Binding("V", "view_complaint", "View theirs", show=False, id="triage.view_complaint"),
        Binding("i", "next_theirs", "Their next image", show=False, id="triage.next_theirs"),
        Binding("j", "cursor_down", "Down", show=False, id="triage.cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="triage.cursor_up"),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            tooltip="the pictures and the evidence, below on a small terminal",
            show=False,
            priority=True,
            id="triage.page_down",
        ),
        Binding("pageup", "page(-1)", "Page up", show=False, priority=True, id="triage.page_up"),
    ]
    WIDE = 110
    """From this many columns the complaint and the pictures stand side by side."""
    TALL = 40
    """Below this many rows (and narrow), the summary and the pictures are shorter (app.tcss `.short`)."""
    FOOTER_GIVES_WAY = ("triage.history", "triage.back")
    """Left out of the footer while its keys do not fit (`footer_room.fitted`), the first first. At 80 columns with
    c Confirm (a take-down's posts still live) History gives way: it only reads the record, and Esc Back is the one
    key that says how to leave the screen (q goes back too). Narrower still, Back goes as well: Esc goes back from
    every screen, as it closes every dialog. Each still works, and F1 Help lists it."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.complaint: Complaint | None = None
        self.pending: list[int] = []
        self.result: TriageResult | None = None
        self._shown: dict[str, Path | None] = {"complaint": None, "candidate": None}
        self.read_at: dict[str, float] = {}
        """Where the message (m) and history (h) views were closed: reopened, each starts there (`ReadOnlyView`)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with ScrollableContainer(id="main"):
            with Vertical(id="left"):
                yield VerticalScroll(
                    Static(Text(f"Loading complaint #{self.number}…"), id="summary-text"), id="summary"
                )
                yield Static(
                    Text("Candidates: named posts first, then as `tracker match` ranks them"), classes="section"
                )
                yield LoadingIndicator(id="loading")
                yield Static(Text(""), id="triage-status", classes="hint")
                yield Table(id="candidates", cursor_type="row", zebra_stripes=True)
                yield Static(Text(""), id="their-images", classes="hint")
            with Vertical(id="right"):
                with Horizontal(id="pictures"):
                    yield ImagePreview("their image", self.tracker.graphics, id="complaint-image")
                    yield ImagePreview("candidate", self.tracker.graphics, id="candidate-image")
                yield VerticalScroll(Static(Text("Select a candidate."), id="facts-text"), id="facts")
        yield Footer()

    def on_mount(self) -> None:
        # "how sure" last: on a wide terminal the narrow left pane keeps status and platform in view.
        columns = ("", "score", "match", "candidate", "status", "platform", "how sure")
        self.query_one("#candidates", DataTable).add_columns(*columns)
        self.title = f"Complaint #{self.number}"
        self.query_one("#their-images", Static).display = False  # until a complaint with several images says more
        self._fit(self.size.width, self.size.height)
        self.load(find=True)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Side by side when wide; one scrolling column (pictures in a row) when narrow, shorter when short; the
        footer's keys one space apart when the terminal is too narrow for their usual spacing, fewer when narrower
        still (`active_bindings`)."""
        self.set_class(width < self.WIDE, "narrow")
        self.set_class(height < self.TALL, "short")
        self.refresh_bindings()  # the footer fitted again to the new width (`active_bindings`)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The screen's bindings, those the footer has no room for not shown (`FOOTER_GIVES_WAY`); it is made
        compact when they do not fit otherwise. Confirm (c) is shown only while there is something to confirm."""
        bindings = super().active_bindings
        if not self.pending:  # c only while a take-down has posts to confirm removed; pressed, it still says why not
            bindings = {
                key: active._replace(binding=replace(active.binding, show=False))
                if active.binding.id == "triage.confirm_removed"
                else active
                for key, active in bindings.items()
            }
        return fit_footer(self, bindings, self.FOOTER_GIVES_WAY)

    def action_page(self, pages: int) -> None:
        """PgDn/PgUp: in the narrow column, scroll it (the pictures and the evidence sit below the candidates);
        side by side, page the focused pane as usual."""
        if self.has_class("narrow"):
            main = self.query_one("#main", ScrollableContainer)
            (main.scroll_page_down if pages > 0 else main.scroll_page_up)(animate=False)
            return
        paging = getattr(self.focused, "action_page_down" if pages > 0 else "action_page_up", None)
        if callable(paging):
            paging()

    def load(self, find: bool) -> None:
        """Read the complaint again and, with `find`, compare its images with the archive (in a worker)."""
        self.run_worker(
            partial(self._load, find),
            name="find candidates" if find else "reload complaint",
            group="triage" if find else "complaint",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _load(self, find: bool) -> None:
        archive = self.tracker.archive()
        with archive.factory() as session:
            complaint = get_complaint(session, self.number)
            pending = pending_takedown(session, complaint)
        self.from_worker(self.show_complaint, complaint, pending)
        if not find:
            return
        try:
            result = triage(archive.factory, self.tracker.settings, complaint)
        except TrackerError as exc:
            result = TriageResult([], [str(exc)])
        self.from_worker(self.show_candidates, result)
        if len(complaint.images) > 1:
            self.from_worker(
                self.show_their_images, best_of_each_image(archive.factory, self.tracker.settings, complaint)
            )

    def show_their_images(self, rows: list[tuple[str, str]]) -> None:
        shown = self.query_one("#their-images", Static)
        shown.update(their_images_text(rows))
        shown.display = True

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        if worker.group == "facts":
            self._facts_failed(message)
            return
        self.query_one("#loading", LoadingIndicator).display = False
        self.query_one("#triage-status", Static).update(plain(message))

    def show_complaint(self, complaint: Complaint, pending: list[int]) -> None:
        self.complaint = complaint
        if pending != self.pending:
            self.pending = pending
            self.refresh_bindings()  # Confirm (c) in the footer only while a take-down has posts still live
        now = self.tracker.clock()
        unanswered = complaint.status.value in ("open", "decided")
        self.title = f"Complaint #{complaint.id}"
        self.sub_title = (
            due_words(complaint.deadline_at, now, unanswered) if unanswered else as_words(complaint.status.value)
        )
        self.query_one("#summary-text", Static).update(complaint_text(complaint, now, pending))
        if complaint.images:
            self._show_complaint_image(complaint.images[0])
        else:
            self.query_one("#complaint-image", ImagePreview).set_image(None, "no image sent")

    def _show_complaint_image(self, shown: Any) -> None:
        path = self.tracker.settings.archive_dir / shown.archive_path
        self._shown["complaint"] = path
        images = self.complaint.images if self.complaint else []
        which = f"{images.index(shown) + 1} of {len(images)}: " if len(images) > 1 and shown in images else ""
        size = archived_size_text(shown.width, shown.height, shown.format, path, with_format=False)  # as the post's
        self.query_one("#complaint-image", ImagePreview).set_image(path, f"{which}{shown.original_name}  {size}")

    def action_next_theirs(self) -> None:
        """Show the complainant's next image (after the last: the first again)."""
        images = self.complaint.images if self.complaint else []
        if len(images) < 2:
            self.notify("They sent no other image.", severity="warning")
            return
        current = self._shown["complaint"]
        paths = [self.tracker.settings.archive_dir / i.archive_path for i in images]
        following = (paths.index(current) + 1) % len(images) if current in paths else 0
        self._show_complaint_image(images[following])

    def show_candidates(self, result: TriageResult) -> None:
        """The candidates in the table; found again (after a decision), the one highlighted before stays so."""
        was = self.selected()
        self.result = result
        self.query_one("#loading", LoadingIndicator).display = False
        table = self.query_one("#candidates", DataTable)
        table.clear()
        personas = len({post.persona for post in result.posts}) > 1  # then each row says whose its posts are
        for c in result.candidates:
            first = c.first_post
            table.add_row(
                Text("named" if c.named else "", style="bold"),
                Text(f"{c.score:.2f}" if c.evidence else "-"),
                plain(c.match),
                plain(c.label, style="bold yellow" if c.kind == "input" else ""),
                plain(as_words(first.status) if first else c.kind_label),
                plain(posts_where(c, personas)),
                Text(c.evidence.confidence if c.evidence else "-"),
                key=c.key,
            )
        status = counted(len(result.candidates), "candidate")
        if not result.candidates:
            status = result.nothing_found()
        if result.grids:
            status += "; " + "; ".join(result.grids)
        if result.problems:
            status += "; " + "; ".join(result.problems)
        self.query_one("#triage-status", Static).update(plain(status))
        table.focus()
        keys = [c.key for c in result.candidates]
        row = keys.index(was.key) if was is not None and was.key in keys else 0
        if result.candidates:
            table.move_cursor(row=row, animate=False)
            self.show_candidate(result.candidates[row])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        candidate = self._candidate(event.row_key.value)
        if candidate is not None:
            self.show_candidate(candidate)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a candidate opens the page of the post its evidence is about: the prompt, the settings and the
        post's history, which the evidence pane leaves out (Esc comes back here)."""
        candidate = self._candidate(event.row_key.value)
        if candidate is None:
            return
        first = candidate.first_post
        if first is None:
            self.notify(f"{candidate.label} has no post to open: it was archived without one.", markup=False)
            return
        self.tracker.open_post(first.id)

    def _candidate(self, key: str | None) -> TriageCandidate | None:
        if self.result is None or key is None:
            return None
        return next((c for c in self.result.candidates if c.key == key), None)

    def selected(self) -> TriageCandidate | None:
        table = self.query_one("#candidates", DataTable)
        if not table.row_count:
            return None
        return self._candidate(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def show_candidate(self, candidate: TriageCandidate) -> None:
        """Show a candidate's evidence and picture (its facts are read in a worker)."""
        self.load_facts(candidate)

    @work(thread=True, exclusive=True, group="facts", exit_on_error=False)
    def load_facts(self, candidate: TriageCandidate) -> None:
        archive = self.tracker.archive()
        with archive.factory() as session:
            try:
                facts = candidate_facts(session, candidate, archive.report_context, self.tracker.settings)
            except TrackerError as exc:
                self.from_worker(self._facts_failed, str(exc))
                return
        self.from_worker(self._show_facts, candidate, facts)

    def _facts_failed(self, message: str) -> None:
        self.query_one("#facts-text", Static).update(plain(message))

    def _show_facts(self, candidate: TriageCandidate, facts: dict[str, Any]) -> None:
        image, path = facts["matched_image"], self.tracker.settings.archive_dir / facts["archive_path"]
        self._shown["candidate"] = path
        caption = f"{candidate.label}: {image['original_name']}  {size_text(image, with_format=False)}"
        self.query_one("#candidate-image", ImagePreview).set_image(path, caption)
        if candidate.evidence and self.complaint:
            shown = next(
                (i for i in self.complaint.images if i.original_name == candidate.evidence.complaint_image), None
            )
            if shown is not None:
                self._show_complaint_image(shown)
        self.query_one("#facts-text", Static).update(facts_text(facts, candidate))

    def action_cursor_down(self) -> None:
        self.query_one("#candidates", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#candidates", DataTable).action_cursor_up()

    def action_message(self) -> None:
        """The complaint's whole message, in a scrollable read-only view."""
        if self.complaint is None:  # still loading
            return
        if not self.complaint.message and not self.complaint.follow_ups:
            self.notify("The complaint has no message.", severity="warning")
            return
        self.app.push_screen(MessageScreen(self.complaint, self.read_at))

    def action_history(self) -> None:
        """The complaint's history (`complaint show`'s), in a scrollable read-only view."""
        self.app.push_screen(HistoryScreen(self.number, self.read_at))

    def _view(self, which: str) -> None:
        path = self._shown[which]
        if path is None:
            self.notify("No picture shown yet.", severity="warning")
            return
        said = open_in_viewer(path)
        if path.is_file() and not said.startswith("opened "):
            # Over SSH the path is all there is, wrapped over three lines of a toast at 80 columns: it goes to the
            # clipboard too (for `scp`), and the toast stays long enough to read it.
            self.app.copy_to_clipboard(str(path))
            self.notify(f"{said} (copied to the clipboard, if the terminal allows it)", markup=False, timeout=30)
            return
        self.notify(said, markup=False)

    def action_view_candidate(self) -> None:
        self._view("candidate")

    def action_view_complaint(self) -> None:
        self._view("complaint")

    def _open_decision(self, preset: str | None) -> None:
        if self.complaint is None:  # still loading
            return
        posts = self.result.posts if self.result else []
        chosen = self.selected()
        self.app.push_screen(
            DecisionScreen(self.complaint, posts, chosen.post_ids if chosen else [], preset),
            self._decided,
        )

    def action_decide(self) -> None:
        self._open_decision(None)

    def action_take_down(self) -> None:
        self._open_decision("take_down")

    def action_confirm_removed(self) -> None:
        if self.complaint is None:  # still loading
            return
        if not self.pending:
            self.notify("Nothing to confirm: no take-down in force with posts still live.", severity="warning")
            return
        posts = ", ".join(f"#{n}" for n in self.pending)
        question = (
            f"Record {'post' if len(self.pending) == 1 else 'posts'} {posts} as removed?\n"
            f"Do this once you have deleted {'it' if len(self.pending) == 1 else 'them'} on the platform: the "
            "take-down then leaves the reminders "
            "(a post marked live again later is owed again)."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.confirm_removed()

        self.app.push_screen(ConfirmScreen(question, yes=("removed", "Removed")), answered)

    @work(thread=True, exclusive=True, group="confirm", exit_on_error=False)
    def confirm_removed(self) -> None:
        """Record the take-down's posts as removed, in this worker's own transaction."""
        changed = confirm_takedown(self.tracker.archive().factory, self.number)
        self.from_worker(self._confirmed, changed)

    def _confirmed(self, changed: list[int]) -> None:
        self.load(find=self.result is not None)
        self.notify(f"Recorded as taken down: {', '.join(f'#{n}' for n in changed)}.")

    def _decided(self, decision_id: int | None) -> None:
        if decision_id is None:
            return
        self.load(find=self.result is not None)
        self.notify(f"Decision #{decision_id} recorded. Press p for the reply draft.")
        with self.tracker.factory() as session:  # a weaker match than refuses "not my post": said, as the CLI says it
            overridden = decision_overrides(session, decision_id)
            resembles = None if overridden else decision_resembles(session, decision_id)
        if resembles:
            self.notify(safe_text(resembles_warning(resembles)), severity="warning", markup=False, timeout=15)
        matched = None if self.result is None else self.result.sure_images()
        self.tell_live_copies(decision_id, matched)

    @work(thread=True, group="live copies", exit_on_error=False)
    def tell_live_copies(self, decision_id: int, matched: set[int] | None) -> None:
        """After a take-down, the same picture still live elsewhere, as `complaint decide` says it (`live_copies`):
        a worker, since without the triage's matches it searches the archive for the complainant's pictures."""
        factory = self.tracker.archive().factory
        with factory() as session:
            decision = session.get(Decision, decision_id)
            if decision is None or decision.action is not DecisionAction.TAKE_DOWN:
                return
            post_ids = list(decision.post_ids)
        copies = take_down_copies(factory, self.tracker.settings, self.number, post_ids, matched)
        if copies:
            said = "; ".join(copy.line() for copy in copies)
            self.from_worker(self.notify, safe_text(f"Also live: {said}"), severity="warning", markup=False, timeout=20)

    def action_reply(self) -> None:
        if self.complaint is None:  # still loading
            return
        if current_decision(self.complaint) is None:
            self.notify("Decide first (d): the reply is drafted from the decision.", severity="warning")
            return
        self.app.push_screen(ReplyScreen(self.number), lambda _: self.load(find=False))
