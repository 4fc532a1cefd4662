"""One logged post: where it is, its archived picture, how it was made, who complained, what happened to it.

What `tracker show N` prints, as a page: the post and its account, the archived image, the
generation facts (`tracker.tui.widgets.facts`, shared with the complaint screen), the complaints
that name it, its burn-down mark when its persona's burn-down has started, and its audit trail.
Everything is read in one worker, in its own session; the post and its audit trail as `tracker show`
reads them (`posts.record.read_post`), so the page and the command cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static
from textual.worker import Worker

from tracker.checking.results import evidence_text
from tracker.complaints.about_post import history_complaints, post_complaints
from tracker.complaints.legal import BASIS_SHORT
from tracker.complaints.triage import post_facts
from tracker.db.enums import UNANSWERED, ComplaintStatus, LegalBasis, PurgeItemState
from tracker.db.post_checks import check_dict, last_check
from tracker.errors import TrackerError
from tracker.posts.history_words import change_words, command_words
from tracker.posts.record import read_post
from tracker.posts.sizes import size_text
from tracker.posts.views import page_dict, shown_post_dict
from tracker.purge.items import PlanItem
from tracker.purge.marks import run_of
from tracker.purge.plan import build_plan
from tracker.support.dates import from_iso, local_minute
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.text import as_words, day, due_text, plain, sender
from tracker.tui.widgets.facts import generation_text, heading
from tracker.tui.widgets.preview import ImagePreview


@dataclass(frozen=True)
class PurgeState:
    """The burn-down of the post's persona, when one has started, and this post's item on its checklist."""

    persona: str
    started_at: datetime
    item: PlanItem | None
    """None when the post is not on the checklist (it was deleted before the burn-down)."""


@dataclass(frozen=True)
class PostPage:
    """Everything the post screen shows, read in one worker."""

    post: dict[str, Any]
    """`posts.views.shown_post_dict` of what `posts.record.read_post` read, with its audit trail (`events`)."""
    facts: dict[str, Any]
    """`complaints.triage.post_facts`: the image's report with resource creators, inputs, request."""
    complaints: list[dict[str, Any]]
    """`complaints.about_post.post_complaints`: those naming the post, and those whose decision takes it down."""
    purge: PurgeState | None
    check: dict[str, Any] | None = None
    """`checking.results.check_dict` of the post's last `tracker check`, or None when it was never checked."""


STATUS_SET_WITH_LOG = timedelta(minutes=1)
"""A status changed no later than this after the post was logged is the one `tracker log` gave it."""


def _status_since(post: dict[str, Any]) -> datetime | None:
    """Since when the post has its status: for a post live since it was logged, since it was posted (a post of
    1 November logged today is not "live since" today); else since the status last changed."""
    changed, logged, posted = (from_iso(post[key]) for key in ("status_changed_at", "logged_at", "posted_at"))
    never_changed = changed is None or (logged is not None and changed <= logged + STATUS_SET_WITH_LOG)
    if post["status"] == "live" and posted is not None and never_changed:
        return posted
    return changed


def post_text(post: dict[str, Any]) -> Text:
    """The post itself: number, status, URL in full, platform, persona, account, dates, title, its image and
    further pages (each with its archived file)."""
    out = Text()
    out.append(f"Post #{post['id']}  ", style="bold")
    status = post["status"]
    out.append(as_words(status), style="" if status == "live" else "bold yellow")
    out.append(f" since {local_minute(_status_since(post))}", style="dim")
    out.append("\n")
    out.append_text(plain(post["url"]))
    account = post["account"]
    out.append("\nplatform ", style="bold")
    out.append_text(plain(post["platform"]))
    out.append("  persona ", style="bold")
    out.append_text(plain(post["persona"]))
    out.append("  account ", style="bold")
    out.append_text(plain(account["handle"] or "handle unknown"))
    if account["profile_url"]:
        out.append("\n")
        out.append_text(plain(account["profile_url"], style="dim"))
    if post["platform_post_id"]:
        out.append("\nplatform's post id ", style="bold")
        out.append_text(plain(post["platform_post_id"]))
    if post["title"]:
        out.append("\ntitle ", style="bold")
        out.append_text(plain(post["title"]))
    out.append("\nposted ", style="bold")
    out.append(local_minute(from_iso(post["posted_at"]), missing="not recorded"))
    out.append("  logged ", style="bold")
    out.append(local_minute(from_iso(post["logged_at"])))
    image = post["image"]
    out.append("\nimage ", style="bold")
    out.append_text(plain(f"{image['original_name']}  {size_text(image)}"))
    out.append_text(plain(f"  sha256 {image['sha256'][:16]}…", style="dim"))
    for page in post.get("pages", []):  # pixiv's `_p1`: the post's too, and deleted with it by a scrub
        out.append("\npage " if page["page"] is None else f"\npage {page['page']} ", style="bold")
        out.append_text(plain(page["file"]))
        out.append_text(plain(f"  sha256 {page['sha256'][:16]}…", style="dim"))
        out.append("\n  archived ", style="dim")
        out.append_text(plain(page["archived"], style="dim"))
    return out


def complaints_text(out: Text, complaints: list[dict[str, Any]], now: datetime, post: dict[str, Any]) -> None:
    """The complaints about the post, as `tracker show` lists them (`about_post.post_complaints`): number, status,
    legal basis, received, deadline, then who sent it, and how they named the post when not by its URL or number.
    One that does not name the post but whose decision takes it down (matched by its picture) is listed too, saying
    so: the page of a post promised removed said nothing of the promise."""
    heading(out, "Complaints about this post")
    if not complaints:
        out.append("\nnone")
    for c in complaints:
        status = ComplaintStatus(c["status"])
        out.append(f"\n#{c['id']} ", style="bold")
        basis = BASIS_SHORT[LegalBasis(c["legal_basis"])]
        out.append(f"{as_words(status.value)}  {basis}  received {day(from_iso(c['received_at']))}  ")
        out.append_text(due_text(from_iso(c["deadline_at"]), now, status in UNANSWERED))
        out.append("\n  from ")
        who = sender(
            c["complainant_name"], c["complainant_org"], c["complainant_contact"], c["platform"], c["ticket_id"]
        )
        out.append_text(plain(who))
        if not c["named"]:
            out.append("\n  does not name this post: its decision takes it down", style="yellow")
        if c["reference"] and c["reference"].strip().lstrip("#") not in (post["url"], str(post["id"])):
            out.append("\n  named as ", style="dim")
            out.append_text(plain(c["reference"], style="dim"))


def purge_text(out: Text, purge: PurgeState | None) -> None:
    """The post's mark on its persona's burn-down checklist (nothing when no burn-down has started)."""
    if purge is None:
        return
    heading(out, "Burn-down")
    out.append("\n")
    out.append_text(plain(f"The burn-down of persona {purge.persona} started {day(purge.started_at)}: "))
    item = purge.item
    if item is None:
        out.append("this post is not on its checklist (deleted before it started).")
        return
    state = item.state
    out.append(f"this post is {state.value}", style="bold" if state is PurgeItemState.DONE else "bold yellow")
    if item.marked_at is not None:
        out.append(f" (marked {day(item.marked_at)})")
    if item.reason:
        out.append_text(plain(f"; reason: {item.reason}"))


def check_text(out: Text, check: dict[str, Any] | None, post: dict[str, Any]) -> None:
    """The post's last `tracker check` (nothing when never checked); loud when a post that should be gone is live."""
    if check is None:
        return
    heading(out, "Last check")
    out.append("\n")
    state = check["state"] + (f" ({check['reason']})" if check.get("reason") else "")
    loud = check["state"] == "live" and post["status"] != "live"
    style = "bold red" if loud else "bold" if check["state"] == "gone" else "bold yellow"
    out.append_text(plain("STILL ONLINE: " + state if loud else state, style=style))
    out.append(f"  {local_minute(from_iso(check['checked_at']))}  ")
    out.append_text(plain(evidence_text(check["evidence"]), style="dim"))


def history_text(out: Text, events: list[dict[str, Any]]) -> None:
    """The audit trail, oldest first, as `tracker show` gives it (`posts.history_words`): when, what, by which
    command, then each field it changed on a line of its own (a URL's old and new value fit 80 columns better)."""
    heading(out, "History")
    for event in events:
        out.append("\n")
        out.append(f"{local_minute(from_iso(event['at']))}  {event['action']:<7} ")
        out.append_text(plain(command_words(event), style="dim"))
        for change in change_words(event, as_words):
            out.append("\n  ")
            out.append_text(plain(change))


def page_text(page: PostPage, now: datetime) -> Text:
    """The whole page below (or beside) the picture."""
    out = post_text(page.post)
    out.append("\n\n")
    out.append_text(generation_text(page.facts, details=True))
    complaints_text(out, page.complaints, now, page.post)
    purge_text(out, page.purge)
    check_text(out, page.check, page.post)
    history_text(out, page.post.get("events", []))
    return out


class PostScreen(TrackerScreen[None]):
    """One logged post, read in a worker: its facts, picture, complaints and history."""

    HELP = (
        "One logged post, as `tracker show N` prints it: the URL in full, platform, persona and account, "
        "the archived picture, the generation metadata with the models and LoRAs (hashes and their "
        "recorded creators), image inputs with their risk notes and recorded input files, findings, the "
        "complaints about it (naming it, or taking it down by their decision) with who sent each, its burn-down "
        "mark if its persona's burn-down has started, and its history. "
        "`Enter` on a post of the dashboard opens it; so does the palette's Open post… (number or URL)."
    )
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="post.back"),
        Binding("j", "scroll_down", "Scroll down", show=False, id="post.scroll_down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="post.scroll_up"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    """Under 100 columns the picture goes above the text (app.tcss)."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.page: PostPage | None = None
        """What was read, once it arrives."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="post-body"):
            yield ImagePreview("archived image", self.tracker.graphics, id="post-image")
            yield VerticalScroll(Static(Text(f"Loading post #{self.number}…"), id="post-text"), id="post-facts")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Post #{self.number}"
        self.query_one("#post-facts", VerticalScroll).focus()
        self.load()

    @work(thread=True, exclusive=True, group="post", exit_on_error=False)
    def load(self) -> None:
        """Read the post, its facts, the complaints naming it, its burn-down mark and history."""
        archive = self.tracker.archive()
        settings = self.tracker.settings
        with archive.factory() as session:
            try:
                found = read_post(session, self.number)
            except TrackerError as exc:
                self.from_worker(self._failed, str(exc))
                return
            number = found.post.id
            post = shown_post_dict(found.post, found.image, archive.report_context, events=found.events)
            post["pages"] = [page_dict(page, settings.archive_dir) for page in found.pages]
            by_complaint = history_complaints(session, number, found.events)  # as `tracker show` names them
            for event in post["events"]:
                event["complaint"] = by_complaint.get(event["id"])
            facts = post_facts(session, number, archive.report_context, settings)
            complaints = post_complaints(session, number, self.tracker.clock())  # as `tracker show` lists them
            purge = None
            persona = found.post.persona
            run = run_of(session, persona)
            if run is not None:
                plan = build_plan(session, persona, archive.platforms, settings, post_ids=[number], details=False)
                item = next((i for i in plan.items if i.id == f"post:{number}"), None)
                purge = PurgeState(persona, run.started_at, item)
            checked = last_check(session, number)
            check = check_dict(checked) if checked is not None else None
        self.from_worker(self.show_page, PostPage(post, facts, complaints, purge, check))

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        self._failed(message)

    def _failed(self, message: str) -> None:
        self.query_one("#post-text", Static).update(plain(f"Cannot show post #{self.number}: {message}"))

    def show_page(self, page: PostPage) -> None:
        """Draw what the worker read: the text, then the picture."""
        self.page = page
        self.query_one("#post-text", Static).update(page_text(page, self.tracker.clock()))
        image = page.post["image"]
        self.query_one("#post-image", ImagePreview).set_image(
            self.tracker.settings.archive_dir / image["archive_path"],
            f"{image['original_name']}  {size_text(image, with_format=False)}",
        )

    def action_scroll_down(self) -> None:
        self.query_one("#post-facts", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#post-facts", VerticalScroll).scroll_up()
