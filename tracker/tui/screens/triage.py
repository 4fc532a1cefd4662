"""One complaint: what it says, the candidate posts, the two pictures side by side, the evidence."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static

from tracker.complaints.decisions import confirm_takedown
from tracker.complaints.legal import ACTION_LABELS, BASIS_LABELS, CHANNEL_LABELS, REASON_LABELS, missing_elements
from tracker.complaints.records import get_complaint, pending_takedown
from tracker.complaints.triage import TriageCandidate, TriageResult, post_facts, triage
from tracker.complaints.views import current_decision
from tracker.db.models import Complaint
from tracker.errors import TrackerError
from tracker.support.words import counted
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.text import day, due_text, plain, short
from tracker.tui.widgets.preview import ImagePreview
from tracker.tui.widgets.table import Table

if TYPE_CHECKING:
    from textual.worker import Worker


RISK_STYLES = {"identity": "bold red", "reproduces": "bold red", "lineart": "yellow", "unknown": "yellow"}
"""Risk classes (data/risk.toml) the owner calls most serious, drawn so they stand out."""


def complaint_text(c: Complaint, now: Any, pending: list[int]) -> Text:
    """The complaint's summary: who, what, which law, what is missing, where it stands."""
    out = Text()
    out.append(f"Complaint #{c.id}  ", style="bold")
    out.append_text(due_text(c.deadline_at, now, c.status.value in ("open", "decided")))
    out.append(f"\nstatus {c.status.value}; received {day(c.received_at)} by {CHANNEL_LABELS[c.channel]}")
    if c.platform or c.ticket_id:
        out.append_text(plain(f" ({c.platform or 'platform?'} ticket {c.ticket_id or '-'})"))
    out.append(f"\nlegal basis: {BASIS_LABELS[c.legal_basis]}")
    missing = missing_elements(c)
    if missing:
        out.append("\nnotice lacks: ", style="yellow")
        out.append_text(plain("; ".join(missing), style="yellow"))
    out.append("\nfrom: ")
    who = ", ".join(x for x in (c.complainant_name, c.complainant_org, c.complainant_role) if x) or "unknown"
    out.append_text(plain(who))
    if c.complainant_contact:
        out.append_text(plain(f" <{c.complainant_contact}>"))
    out.append("\nwork: ")
    out.append_text(plain(c.claimed_title or "not named"))
    for url in c.claimed_urls or []:
        out.append("\n")
        out.append_text(plain(f"  {url}"))
    if c.message:
        out.append("\nmessage: ")
        out.append_text(plain(c.message[:600] + ("…" if len(c.message) > 600 else ""), keep_newlines=True))
    for d in c.decisions:
        out.append(f"\ndecision #{d.id} {day(d.decided_at)}: {ACTION_LABELS[d.action]}", style="bold")
        if d.reason:
            out.append(f" ({REASON_LABELS[d.reason]})")
        if d.supersedes_id:
            out.append(f", revises #{d.supersedes_id}", style="italic")
        if d.notes:
            out.append_text(plain(f" — private note: {d.notes}"))
        if d.reply_note:
            out.append_text(plain(f" — to the complainant: {d.reply_note}"))
    if pending:
        listed = ", ".join(f"#{n}" for n in pending)
        out.append(f"\nto remove: {listed} (press c once they are removed)", style="bold yellow")
    return out


def facts_text(facts: dict[str, Any], candidate: TriageCandidate) -> Text:
    """A candidate's evidence and accountability report."""
    out = Text()
    out.append(f"Post #{facts['post_id']}  ", style="bold")
    out.append_text(plain(f"{facts['platform']}  {facts['status']}  persona {facts['persona']}"))
    out.append("\n")
    out.append_text(plain(f"{facts['url']}"))
    e = candidate.evidence
    if e is None:
        out.append("\nnamed by the complainant; no visual match with their image(s)", style="yellow")
    else:
        out.append(f"\nscore {e.score:.2f}, {candidate.kind}", style="bold")
        out.append_text(plain(f" vs {e.complaint_image}"))
        for line in e.matched:
            out.append("\n")
            out.append_text(plain(f"  matched: {line}"))
        if e.region:
            out.append("\n")
            out.append_text(plain(f"  {e.region}"))
    image = facts["image"]
    out.append("\n\nGeneration", style="bold underline")
    out.append("\n")
    out.append_text(plain(f"{image.get('generator') or 'no generation metadata'}"))
    for label, item in [("model", image.get("model")), *[("LoRA", lora) for lora in image.get("loras", [])]]:
        if not item:
            continue
        out.append(f"\n{label}: ", style="bold")
        out.append_text(plain(item.get("name") or "unnamed"))
        if item.get("hash"):
            out.append_text(plain(f" [{item['hash']}]", style="dim"))
        if item.get("weight") is not None:
            out.append_text(plain(f" x{item['weight']}"))
        creator = item.get("creator")
        out.append_text(plain(f" — by {creator}" if creator else " — creator not recorded", style="italic"))
    techniques = image.get("techniques", [])
    if techniques:
        out.append("\n\nImage inputs", style="bold underline")
    for t in techniques:
        risk = t.get("risk_class") or "?"
        style = RISK_STYLES.get(risk, "")
        out.append("\n")
        out.append_text(plain(f"{t.get('kind')}: {t.get('module') or t.get('model') or '-'}"))
        out.append_text(plain(f"  risk {t.get('risk_label') or risk}", style=style))
        if t.get("risk_note"):
            out.append("\n")
            out.append_text(plain(f"  {t['risk_note']}", style="dim"))
    provenance = facts.get("provenance") or {}
    recorded = {t["technique"]: t["inputs"] for t in provenance.get("inputs", [])}
    if recorded:
        out.append("\n\nRecorded inputs", style="bold underline")
    for number, uses in recorded.items():
        out.append(f"\n{number}. ")
        if not uses:
            out.append("not recorded (tracker input add)", style="yellow")
        for use in uses:
            out.append_text(plain(f"{use['file']} — {use['kind_label']}"))
            if use.get("licence"):
                out.append_text(plain(f"; licence: {use['licence']}", style="dim"))
    request = facts.get("request")
    if request:
        out.append("\n\nMade for ", style="bold")
        out.append_text(plain(request["by"]))
        given = request["permission_at"]
        out.append_text(
            plain(f", permission given {given:%Y-%m-%d}" if given else ", NO PERMISSION ON RECORD", style="")
        )
        if request.get("where"):
            out.append_text(plain(f" ({request['where']})", style="dim"))
    findings = [*image.get("findings", []), *provenance.get("licence_findings", [])]
    if findings:
        out.append("\n\nFindings", style="bold underline")
    for f in findings:
        style = "bold red" if f.get("severity") == "problem" else "yellow"
        out.append("\n")
        out.append_text(plain(f"{f.get('severity')}: {f.get('message')}", style=style))
    return out


class TriageScreen(TrackerScreen[None]):
    """One complaint and the posts it may be about; the complaint and its candidates load in workers."""

    HELP = (
        "The complaint, then candidate posts: those it names first, then every post that looks like its "
        "image (score, whole / flipped / region, which hashes matched). The two pictures are shown side by "
        "side with the post's models, LoRAs, image inputs and risk notes. A complaint image that matches a "
        'post\'s recorded input (a ControlNet or img2img source) puts that post first, as "used as input". '
        "A take-down names the posts to remove; once you have removed them on the platform, confirm it (c) "
        "and they are recorded as taken down."
    )
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="triage.back"),
        Binding("d", "decide", "Decide", id="triage.decide"),
        Binding("t", "take_down", "Take down", id="triage.take_down"),
        Binding("c", "confirm_removed", "Confirm removed", id="triage.confirm_removed"),
        Binding("p", "reply", "Reply draft", id="triage.reply"),
        Binding("j", "cursor_down", "Down", show=False, id="triage.cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="triage.cursor_up"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.complaint: Complaint | None = None
        self.pending: list[int] = []
        self.result: TriageResult | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="left"):
                yield VerticalScroll(
                    Static(Text(f"Loading complaint #{self.number}…"), id="summary-text"), id="summary"
                )
                yield Static(Text("Candidates: named posts first, then by similarity"), classes="section")
                yield LoadingIndicator(id="loading")
                yield Static(Text(""), id="triage-status", classes="hint")
                yield Table(id="candidates", cursor_type="row", zebra_stripes=True)
            with Vertical(id="right"):
                with Horizontal(id="pictures"):
                    yield ImagePreview("complaint image", self.tracker.graphics, id="complaint-image")
                    yield ImagePreview("candidate post", self.tracker.graphics, id="candidate-image")
                yield VerticalScroll(Static(Text("Select a candidate."), id="facts-text"), id="facts")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#candidates", DataTable).add_columns("", "score", "kind", "post", "status", "url", "platform")
        self.title = f"Complaint #{self.number}"
        self.load(find=True)

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

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        if worker.group == "facts":
            self._facts_failed(message)
            return
        self.query_one("#loading", LoadingIndicator).display = False
        self.query_one("#triage-status", Static).update(plain(message))

    def show_complaint(self, complaint: Complaint, pending: list[int]) -> None:
        self.complaint = complaint
        self.pending = pending
        self.query_one("#summary-text", Static).update(complaint_text(complaint, self.tracker.clock(), pending))
        if complaint.images:
            first = complaint.images[0]
            self.query_one("#complaint-image", ImagePreview).set_image(
                self.tracker.settings.archive_dir / first.archive_path,
                f"{first.original_name}  {first.width}x{first.height} {first.format}",
            )

    def show_candidates(self, result: TriageResult) -> None:
        self.result = result
        self.query_one("#loading", LoadingIndicator).display = False
        table = self.query_one("#candidates", DataTable)
        table.clear()
        for c in result.candidates:
            table.add_row(
                Text("named" if c.named else "", style="bold"),
                Text(f"{c.score:.2f}" if c.evidence else "-"),
                plain(c.kind),
                Text(f"#{c.post_id}"),
                plain(c.status, style="" if c.status == "live" else "yellow"),
                short(c.url, 60),
                plain(c.platform),
                key=str(c.post_id),
            )
        status = f"{counted(len(result.candidates), 'candidate post')}"
        if not result.candidates:
            status = "No logged post is named or looks like the complaint's image(s)."
        if result.problems:
            status += "; " + "; ".join(result.problems)
        self.query_one("#triage-status", Static).update(plain(status))
        table.focus()
        if result.candidates:
            self.show_candidate(result.candidates[0])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        candidate = self._candidate(event.row_key.value)
        if candidate is not None:
            self.show_candidate(candidate)

    def _candidate(self, key: str | None) -> TriageCandidate | None:
        if self.result is None or key is None:
            return None
        return next((c for c in self.result.candidates if str(c.post_id) == key), None)

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
                facts = post_facts(session, candidate.post_id, archive.report_context, self.tracker.settings)
            except TrackerError as exc:
                self.from_worker(self._facts_failed, str(exc))
                return
        self.from_worker(self._show_facts, candidate, facts)

    def _facts_failed(self, message: str) -> None:
        self.query_one("#facts-text", Static).update(plain(message))

    def _show_facts(self, candidate: TriageCandidate, facts: dict[str, Any]) -> None:
        image = facts["image"]
        self.query_one("#candidate-image", ImagePreview).set_image(
            self.tracker.settings.archive_dir / facts["archive_path"],
            f"post #{candidate.post_id}: {image['original_name']}  {image['width']}x{image['height']}",
        )
        if candidate.evidence and self.complaint:
            shown = next(
                (i for i in self.complaint.images if i.original_name == candidate.evidence.complaint_image), None
            )
            if shown is not None:
                self.query_one("#complaint-image", ImagePreview).set_image(
                    self.tracker.settings.archive_dir / shown.archive_path,
                    f"{shown.original_name}  {shown.width}x{shown.height} {shown.format}",
                )
        self.query_one("#facts-text", Static).update(facts_text(facts, candidate))

    def action_cursor_down(self) -> None:
        self.query_one("#candidates", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#candidates", DataTable).action_cursor_up()

    def _open_decision(self, preset: str | None) -> None:
        if self.complaint is None:  # still loading
            return
        candidates = self.result.candidates if self.result else []
        chosen = self.selected()
        self.app.push_screen(
            DecisionScreen(self.complaint, candidates, chosen.post_id if chosen else None, preset),
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
        self.confirm_removed()

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

    def action_reply(self) -> None:
        if self.complaint is None:  # still loading
            return
        if current_decision(self.complaint) is None:
            self.notify("Decide first (d): the reply is drafted from the decision.", severity="warning")
            return
        self.app.push_screen(ReplyScreen(self.number), lambda _: self.load(find=False))
