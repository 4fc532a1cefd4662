"""`tracker complaint add|list|show|decide|confirm`; `set`, `message`, `close` and `reply` are in `corrections`,
`message`, `close` and `reply`, loaded when called (`tracker status` is in `tracker.cli.status`).

Thin on purpose: options become a `ComplaintInput` / `DecisionInput`, the use cases in
`tracker.complaints` do the work, and the output is drawn from one dict per complaint
(`complaint_dict`, also the `--json` form). Every value that came from a complainant, a post or
a file goes through `safe_text` / `safe_json`, so it cannot drive the terminal.
"""

from __future__ import annotations

import importlib
import shlex
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.complaint.text import complaint_lines, deadline_text, next_steps, notice_lines, persona_line
from tracker.cli.context import AppContext, echo_lines, echo_warning, pass_app, terminal_width
from tracker.cli.numbers import RecordNumber
from tracker.cli.output import alarmed, row
from tracker.complaints.deadlines import checked_deadline
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.complaints.legal import (
    ACTION_LABELS,
    BASIS_LABELS,
    REQUIRED_ELEMENTS,
    default_deadline,
)
from tracker.db.enums import Channel, DecisionAction, DisputeReason, LegalBasis, PostStatus, values
from tracker.errors import ConflictError, UsageError
from tracker.support.dates import local_day, parse_when, utcnow
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.user_files import MESSAGE_MAX_BYTES, fs_text, read_text_limited
from tracker.support.userinput import check_decodable
from tracker.support.words import counted

if TYPE_CHECKING:
    from tracker.complaints.complaint_input import ComplaintInput
    from tracker.complaints.reading.messages import ReceivedMessage


def _load(app: AppContext, number: int) -> dict[str, Any]:
    """The `--json` form of add and show: the complaint's dict (`views.complaint_dict`), what it gained since
    it was logged (`since_intake`: the complaint it duplicates, its later messages) and its `history`.

    Read as SQL text, as `tracker show` reads a post: no SQLAlchemy on a SQLite file at this revision."""
    from tracker.complaints.since_intake import since_intake
    from tracker.complaints.stored import history_dicts, pending_takedown, read_complaint
    from tracker.complaints.views import complaint_dict
    from tracker.db.plain import reading

    app.require_database()
    with reading(app.reader()) as db:
        complaint = read_complaint(db, number)
        data = complaint_dict(complaint, app.settings.archive_dir, utcnow(), pending_takedown(db, complaint))
        return {**data, **since_intake(db, number), "history": history_dicts(db, number)}


# ---------------------------------------------------------------------------- commands


_LOADED_LATER = {
    "set": ("corrections", "complaint_set_cmd"),
    "close": ("close", "complaint_close_cmd"),
    "message": ("message", "complaint_message_cmd"),
    "reply": ("reply", "complaint_reply_cmd"),
}
"""The `complaint` commands kept in modules of their own: {name: (module of `tracker.cli.complaint`, command)}."""


class _ComplaintGroup(click.Group):
    """The `complaint` group; `complaint set` (its dates and languages), `close`, `message` and `reply` are loaded
    only when they are called or listed, so `complaint list` and `show` start without them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_LOADED_LATER})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LOADED_LATER and cmd_name not in self.commands:
            module, command = _LOADED_LATER[cmd_name]
            self.add_command(getattr(importlib.import_module(f"tracker.cli.complaint.{module}"), command))
        return super().get_command(ctx, cmd_name)


@click.group("complaint", cls=_ComplaintGroup)
def complaint_group() -> None:
    """Complaints about your posts: log, list, show, decide and answer them, or close one logged twice."""


def _message(message: str | None, message_file: Path | None) -> str | None:
    if message is not None and message_file is not None:
        raise UsageError("give --message or --message-file, not both")
    if message_file is None:
        return message
    # A regular file of at most 1 MiB: /dev/zero or a FIFO must not read until memory runs out.
    return read_text_limited(message_file, MESSAGE_MAX_BYTES, "message file")


def _complaint_input(options: dict[str, Any], found: dict[str, Any], attached: list[Path]) -> ComplaintInput:
    """The options given, else what the file said (`found`), else the defaults; lists are joined."""
    from tracker.complaints.complaint_input import ComplaintInput
    from tracker.complaints.language import checked_language
    from tracker.complaints.reading.message_dates import typed_offset_of_sender

    def given(option: str, field: str, default: Any = None) -> Any:
        value = options[option]
        return value if value is not None else found.get(field) if found.get(field) is not None else default

    received = parse_when(options["received"]) if options["received"] else found.get("received_at") or utcnow()
    offset = found["sent_utc_offset"] if found else typed_offset_of_sender(options["received"])
    # A day typed is the end of that day on the sender's clock, as a day the message asks for is counted.
    deadline = checked_deadline(options["deadline"], received, sent_utc_offset=offset) if options["deadline"] else None
    if deadline is None and found.get("deadline_at") and found["deadline_at"] >= received:
        deadline = found["deadline_at"]  # the day the message asks for
    message = _message(options["message"], options["message_file"])
    basis = LegalBasis(given("basis", "legal_basis", LegalBasis.NONE))
    stated = found.get("elements_by_basis", {}).get(basis, found.get("elements", ()))
    in_text = set(stated) & {key for key, _ in REQUIRED_ELEMENTS[basis]}
    return ComplaintInput(
        received_at=received,
        channel=Channel(given("channel", "channel", Channel.PLATFORM_FORM)),
        legal_basis=basis,
        platform=given("platform", "platform"),
        ticket_id=given("ticket", "ticket_id"),
        complainant_name=given("name", "complainant_name"),
        complainant_org=given("org", "complainant_org"),
        complainant_role=given("role", "complainant_role"),
        complainant_contact=given("contact", "complainant_contact"),
        claimed_title=given("work_title", "claimed_title"),
        claimed_description=options["work_description"],
        claimed_urls=list(dict.fromkeys([*found.get("claimed_urls", []), *options["work_url"]])),
        message=message if message is not None else found.get("message"),
        sent_utc_offset=offset,
        elements=set(options["element"]) | in_text,
        deadline_at=deadline,
        posts=list(dict.fromkeys([*found.get("posts", []), *options["post"]])),
        images=[*attached, *options["image"]],
        persona=options["persona"],
        language=checked_language(options["lang"]) if options["lang"] else None,
        new_persona=options["new_persona"],
        left_out=list(found.get("left_out", [])),
    )


def _read_from(
    app: AppContext, message: ReceivedMessage, folder: Path, typed_received: str | None, contact: str | None
) -> tuple[dict[str, Any], list[Path]]:
    """What the message says, and its attached images written into `folder` (a private scratch folder), read as
    arriving when `--received` says (`typed_received`), whose zone but UTC is the sender's clock (`typed_zone`),
    from `--contact` (whose e-mail address may spell the name signing it)."""
    from tracker.complaints.forwarded import own_addresses, own_sender_warning
    from tracker.complaints.intake import is_logged_post, message_fields, readable_images
    from tracker.complaints.reading.message_dates import typed_zone

    received, zone = parse_when(typed_received) if typed_received else None, typed_zone(typed_received)
    with app.sessions()() if app.database_exists() else nullcontext() as session:
        logged = is_logged_post(session, app.platforms()) if session is not None else lambda url: False
        own = own_addresses(session) if session is not None else frozenset()
        found = message_fields(message, logged, received, app.platforms(), zone, contact, own)
    if found["own_sender"] and not contact:
        echo_warning(f"{own_sender_warning(found['own_sender'])} (give them with --name and --contact)")
    attached = []
    for attachment in message.attachments:
        target = folder / attachment.name
        target.write_bytes(attachment.data)
        attached.append(target)
    return found, readable_images(attached, found["left_out"])


def _found_lines(path: Path, found: dict[str, Any], attached: list[Path]) -> list[str]:
    from tracker.complaints.reading.message_dates import minute_on

    lines = [safe_text(f"Read from {fs_text(path.name)}:")]
    shown = {
        "from": found.get("complainant_name"),
        "for": found.get("complainant_org"),
        "as": found.get("complainant_role"),
        "contact": found.get("complainant_contact"),
        "platform": found.get("platform"),
        "received": minute_on(found["received_at"], found.get("received_clock")) if found.get("received_at") else None,
        "deadline": f"{deadline_shown(found['deadline_at'])} (as it asks{_in_zone(found)})"
        if found.get("deadline_at")
        else None,
        "basis": BASIS_LABELS[found["legal_basis"]] if found.get("legal_basis") else None,
        "posts": ", ".join(found.get("posts", [])) or None,
        "work": found.get("claimed_title"),
        "work URLs": ", ".join(found.get("claimed_urls", [])) or None,
        "images": ", ".join(p.name for p in attached) or None,
        "not kept": f"{', '.join(found['left_out'])}: save what you need yourself" if found.get("left_out") else None,
    }
    lines += [row(label, value) for label, value in shown.items() if value]
    if not lines[1:]:  # never a heading over nothing
        lines[0] = safe_text(f"Read from {fs_text(path.name)}: the message alone (no sender, date, post or work)")
    return lines


def _in_zone(found: dict[str, Any]) -> str:
    """`; its hours read in Japan time (JST): ...` when the message's clock was taken to be Japan's, else ''."""
    zone = found.get("zone_assumed")
    return f"; its hours read in {zone}: written in Japanese, it names no zone of its own" if zone else ""


def _elements_help() -> str:
    parts = [f"{basis.value}: {', '.join(k for k, _ in keys)}" for basis, keys in REQUIRED_ELEMENTS.items() if keys]
    return "A legal element the notice contains (repeat); " + "; ".join(parts) + "."


@complaint_group.command("add")
@click.option("--image", multiple=True, type=click.Path(path_type=Path, dir_okay=False), help="An image they sent.")
@click.option("--post", multiple=True, metavar="URL_OR_NUMBER", help="A post the complaint names (repeat).")
@click.option(
    "--from", "from_file", type=click.Path(path_type=Path, dir_okay=False),
    help="Read it from what arrived: a saved e-mail (.eml, images attached) or a pasted message (text).",
)  # fmt: skip
@click.option("--received", metavar="WHEN", help="When it arrived.  [default: the file's date, else now]")
@click.option(
    "--channel",
    type=click.Choice(values(Channel)),
    help="How it arrived.  [default: email for a mail, else platform_form]",
)
@click.option(
    "--basis",
    type=click.Choice(values(LegalBasis)),
    help="The law or rule it invokes.  [default: what the file names, else none]",
)
@click.option("--platform", help="The platform it came through or is about.")
@click.option("--ticket", metavar="ID", help="The platform's case or ticket number.")
@click.option("--name", help="The complainant's name.")
@click.option("--org", help="Their organisation.")
@click.option("--role", help="Rights holder, agent, lawyer, ...")
@click.option("--contact", help="Their email, address or handle.")
@click.option("--work-title", "work_title", help="Title of the work they say was copied.")
@click.option("--work-description", "work_description", help="Their description of that work.")
@click.option("--work-url", "work_url", multiple=True, metavar="URL", help="Where their work is (repeat).")
@click.option("--message", help="The complaint text as received.")
@click.option(
    "--message-file", "message_file", type=click.Path(path_type=Path, dir_okay=False), help="Read it from a file."
)
@click.option("--element", multiple=True, metavar="KEY", help=_elements_help())
@click.option(
    "--deadline",
    metavar="WHEN",
    help="Answer by then: YYYY-MM-DD (the end of that day on the sender's clock when known), today, tomorrow,"
    " 'in N days', 明日, N日後 (default: received + the basis's).",
)
@click.option("--persona", help="Whose complaint it is, when no named post says so.")
@click.option("--new-persona", is_flag=True, help="The persona is new: create it.")
@click.option("--lang", metavar="ja|en", help="The language to answer in (default: the message's language).")
@click.option("--duplicate", is_flag=True, help="Log it even though an earlier complaint holds the very same message.")
@click.option("--json", "as_json", is_flag=True, help="Print the logged complaint as JSON.")
@pass_app
def complaint_add_cmd(app: AppContext, as_json: bool, duplicate: bool, **options: Any) -> None:
    """Log a complaint; nothing is kept unless every image reads and every named post is found.

    With --from FILE, what the file says (sender, date, basis, URLs, message, the day it asks for
    action by, attached images) fills in what the other options do not give; a URL of a logged post
    names that post. A --message (or --message-file) is read the same way. A message that an earlier
    complaint already holds (the same file logged twice) is refused, naming that complaint; --duplicate
    logs it anyway, with a warning. Correct what was read wrong with `tracker complaint set N`.

    \b
    Examples:
      tracker complaint add --from complaint.eml
      tracker complaint add --post 12 --name "佐藤 美咲" --basis jp \\
          --contact misaki@example.jp --message-file message.txt --deadline 明日
    """
    from tracker.complaints.intake import add_complaint  # reads the complainant's images (Pillow, numpy)
    from tracker.complaints.intake_checks import SameMessage
    from tracker.complaints.queue import complainant_label
    from tracker.complaints.reading.message_dates import FUTURE_SLACK, later_than_now
    from tracker.complaints.reading.messages import message_from_text, read_message

    check_decodable(options)  # paths are not text: only the typed values are looked at
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="tracker-intake-") as scratch:
        attached: list[Path] = []
        if options["from_file"] is not None:
            found, attached = _read_from(
                app, read_message(options["from_file"]), Path(scratch), options["received"], options["contact"]
            )
        elif (typed := _message(options["message"], options["message_file"])) is not None:
            options = {**options, "message": typed, "message_file": None}  # the file is read once
            # Read as --from reads a pasted message: name, posts, the day it asks for.
            found, attached = _read_from(
                app, message_from_text(typed), Path(scratch), options["received"], options["contact"]
            )
        data = _complaint_input(options, found, attached)
        data.duplicate = duplicate
        earlier = _same_message(app, data.message) if duplicate else None
        try:
            number = add_complaint(app.sessions(), app.settings, data, app.platforms())
        except SameMessage as exc:  # the check `complaint add` and the TUI's form share
            raise ConflictError(f"{exc} (--duplicate logs it)") from None
    if earlier is not None:
        echo_warning(f"complaint #{earlier} holds the same message: #{number} is logged as a duplicate")
    elif (hint := _follow_up_hint(app, number, options)) is not None:
        echo_warning(hint)
    if not options["received"] and (
        late := later_than_now(found.get("received_at"), found.get("received_clock"), utcnow())
    ):
        echo_warning(f"{late}: logged as read; check when it arrived (`--received WHEN` gives it)")
    elif options["received"] and data.received_at > utcnow() + FUTURE_SLACK:  # a typo, as `complaint message` says
        echo_warning(
            f"--received {safe_text(options['received'])} is later than now: logged as given; check when it arrived"
        )
    target = default_deadline(data.legal_basis, data.received_at)
    if data.deadline_at is not None and data.deadline_at == found.get("deadline_at") and data.deadline_at < target:
        asked, usual = deadline_shown(data.deadline_at), local_day(target)
        echo_warning(
            f"the message asks for action by {asked}, before the usual answer target {usual}: answer by {asked}"
        )
    from tracker.complaints.platform_removed import recorded_down, says_removed

    shown = _load(app, number)
    if as_json:
        click.echo(safe_json(shown))
        return
    if options["from_file"] is not None:
        echo_lines(_found_lines(options["from_file"], found, attached))
    elif len(read := _found_lines(Path("the message"), found, attached)) > 1:
        echo_lines(read)
    click.echo(f"Logged complaint #{number}: answer by {deadline_text(shown)}")
    click.echo(row("from", complainant_label(shown)))
    down = {"taken_down": " (taken down)", "deleted": " (deleted)"}  # a platform's notice that it removed them
    named = ", ".join(f"#{p['id']} {p['url']}{down.get(p['status'], '')}" for p in shown["posts"])
    click.echo(row("posts", named or "none named"))
    if any(p["status"] == "taken_down" for p in shown["posts"]) and says_removed(shown["message"]):
        click.echo(recorded_down())
    if shown["images"]:
        click.echo(row("images", f"{len(shown['images'])} archived"))
    for line in notice_lines(shown):
        click.echo(line)
    echo_lines(next_steps(shown, persona_line(app, number, shown["persona"])))


@complaint_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also answered and closed complaints (the newest 50).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_app
def complaint_list_cmd(app: AppContext, show_all: bool, as_json: bool) -> None:
    """Unanswered complaints, overdue first."""
    from tracker.cli.complaint.table import complaint_table
    from tracker.complaints.queue import (
        due_soon,
        open_complaints,
        promised_takedowns,
        recent_complaints,
        summary_dict,
    )
    from tracker.db.plain import reading

    app.require_database()  # a mistyped data folder is never "no unanswered complaints"
    now = utcnow()
    with reading(app.reader()) as connection:  # SQL text, as `tracker status` reads them: no SQLAlchemy on SQLite
        found = open_complaints(connection) + (recent_complaints(connection) if show_all else [])
        data = [summary_dict(c, now) for c in found]
        soon = due_soon(found, now)
        promised = set(promised_takedowns(connection)) if show_all else set()
    if as_json:
        click.echo(safe_json(data))
        return
    if not data:
        click.echo("No complaints logged yet." if show_all else "No unanswered complaints.")
        return
    lines = complaint_table(data, promised, soon, now, terminal_width())
    overdue = [False] + [bool(c["overdue"]) for c in data]  # the heading, then each complaint
    for line, late in zip(lines, overdue, strict=True):
        click.echo(alarmed(line) if late else line)


@complaint_group.command("show")
@click.argument("number", type=RecordNumber("complaint"))
@click.option("--reply", "letters", is_flag=True, help="Print the letters sent instead, as kept when marked sent.")
@click.option("--json", "as_json", is_flag=True, help="Print the complaint with its decisions and history as JSON.")
@pass_app
def complaint_show_cmd(app: AppContext, number: int, letters: bool, as_json: bool) -> None:
    """Show complaint NUMBER: who, what, which posts, what is missing, every decision, its history."""
    from tracker.cli.complaint.history import letter_lines, with_history
    from tracker.complaints.history import sent_letters
    from tracker.complaints.persona_ids import with_persona_names
    from tracker.db.plain import reading

    data = _load(app, number)
    if as_json:
        click.echo(safe_json(sent_letters(data) if letters else data))
        return
    if letters:
        echo_lines(letter_lines(data))
        return
    with reading(app.reader()) as db:  # an entry of an older tracker names a persona by number: said by name
        shown = {**data, "history": with_persona_names(db, data["history"])}
    echo_lines(with_history(complaint_lines(data), shown, terminal_width()))


def _post_ids(app: AppContext, references: tuple[str, ...]) -> tuple[int, ...]:
    from tracker.posts.lookup import find_post

    if not references:
        return ()
    platforms = app.platforms()
    with app.sessions()() as session:
        return tuple(find_post(session, ref, platforms).id for ref in references)


_ONE_REASON = (
    "a dispute has one reason, and {listed} were given: choose the one the letter argues (--reason), and say "
    "anything more to the complainant with --reply-note"
)


@complaint_group.command("decide")
@click.argument("number", type=RecordNumber("complaint"))
@click.option("--action", required=True, type=click.Choice(values(DecisionAction)), help="What you decided.")
@click.option(
    "--reason",
    multiple=True,  # given twice, refused in a line: never the last one kept unsaid
    type=click.Choice(values(DisputeReason)),
    help="Why you dispute it (a dispute needs one, and has one).",
)
@click.option("--notes", help="Private notes: kept with the decision and shown to you, never put into a reply.")
@click.option(
    "--reply-note", "reply_note", metavar="TEXT", help="A sentence for the complainant: it goes into the reply."
)
@click.option("--post", multiple=True, metavar="URL_OR_NUMBER", help="The posts it is about (default: the named ones).")
@click.option(
    "--despite-record",
    "despite_record",
    is_flag=True,
    help="Dispute even though the archive's record of a post contradicts the reason (kept in the audit trail).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
@pass_app
def complaint_decide_cmd(
    app: AppContext,
    number: int,
    action: str,
    reason: tuple[str, ...],
    notes: str | None,
    reply_note: str | None,
    post: tuple[str, ...],
    despite_record: bool,
    as_json: bool,
) -> None:
    """Decide complaint NUMBER; deciding again records a revision that supersedes the last decision.

    \b
    Examples:
      tracker complaint decide 3 --action take_down
      tracker complaint decide 4 --action dispute --reason independent_creation \\
          --reply-note "I had never seen your work." --notes "seed checked"
    """
    from tracker.complaints.decisions import (
        DecisionInput,
        awaiting_restoration,
        decide,
        decision_overrides,
        decision_resembles,
        resembles_warning,
    )
    from tracker.complaints.letters.letter_personas import decision_split
    from tracker.complaints.letters.owner_warnings import not_mine_warning, reply_note_warning
    from tracker.complaints.letters.replies import counter_notice_warning
    from tracker.complaints.live_copies import take_down_copies
    from tracker.complaints.records import get_complaint
    from tracker.db.models import Post

    app.require_database()
    reasons = list(dict.fromkeys(reason))
    if reasons and action != DecisionAction.DISPUTE.value:  # said for the action given, however many reasons
        raise UsageError(f"only a dispute takes a reason: leave out --reason {', '.join(reasons)} for {action}")
    if len(reasons) > 1:  # one column, and each letter argues its reason alone: several would contradict
        raise UsageError(_ONE_REASON.format(listed=", ".join(reasons)))
    choice = DecisionInput(
        action=DecisionAction(action),
        reason=DisputeReason(reasons[0]) if reasons else None,
        notes=notes,
        reply_note=reply_note,
        post_ids=_post_ids(app, post),
        despite_record=despite_record,
    )
    from tracker.accountability.rules import RuleLists

    decision_id = decide(app.sessions(), number, choice, RuleLists.load(app.settings.data_dir).artists, app.settings)
    data = _load(app, number)
    decided = next(d for d in data["decisions"] if d["id"] == decision_id)
    with app.sessions()() as session:
        complaint = get_complaint(session, number)
        down = [(p.id, p.url, by) for p, by in awaiting_restoration(complaint)]
        overridden = decision_overrides(session, decision_id)
        resembles = None if overridden else decision_resembles(session, decision_id)
        counter = counter_notice_warning(session, complaint)
        note_warning = reply_note_warning(complaint) or not_mine_warning(complaint)
        take_down = choice.action is DecisionAction.TAKE_DOWN
        targets = [session.get(Post, n) for n in decided["post_ids"]] if take_down else []
        named = {link.post_id for link in complaint.named_posts}
        removing = [(p.id, p.status.value, p.url, p.id in named) for p in targets if p is not None]
        split = decision_split(session, complaint)
    taken = [post_id for post_id, _, _, _ in removing]
    copies = take_down_copies(app.sessions(), app.settings, number, taken) if take_down else []
    apart = {number: persona for number, persona, _ in split.others} if split else {}
    if overridden:
        echo_warning(f"decided despite the record (kept in the audit trail): {overridden}")
    if resembles:  # a weaker match than refuses it: the owner's to judge, with both pictures in front of them
        echo_warning(resembles_warning(resembles))
    for warning in (counter, note_warning):
        if warning:
            echo_warning(warning)
    if as_json:
        click.echo(safe_json(decided))
        return
    revises = f", revises decision #{decided['supersedes']}" if decided["supersedes"] else ""
    click.echo(f"Decision #{decision_id} on complaint #{number}: {ACTION_LABELS[choice.action]}{revises}")
    for post_id, url, by in down:
        kept = f"#{post_id} {url} stays taken down (decision #{by}) until the platform puts it back"
        click.echo(row("still down", safe_text(kept)))
        click.echo(f"Once it is back online, record it: tracker post set {post_id} --status live")
    if choice.action is DecisionAction.TAKE_DOWN:
        for post_id, status, url, is_named in removing:
            unnamed = "" if is_named else "  (not named by the complaint)"
            if post_id in apart:  # the same image under another persona: never in the letter
                unnamed = f"  (persona {apart[post_id]}: not named in the letter)"
            if status == PostStatus.LIVE.value:
                click.echo(row("to remove", f"#{post_id} [{status}] {url}{unnamed}"))
            else:  # removed already (by the platform, or by the owner): nothing to do or confirm for it
                click.echo(row("removed", f"#{post_id} [{status}] {url}{unnamed}  (already down)"))
        for copy in copies:  # the same picture posted elsewhere, which the complainant may find next
            click.echo(row("also live", safe_text(copy.line())))
        if copies:
            every = " ".join(f"--post {n}" for n in dict.fromkeys([*taken, *(c.post_id for c in copies)]))
            click.echo(f"To take those down too: tracker complaint decide {number} --action take_down {every}")
        if any(status == PostStatus.LIVE.value for _, status, _, _ in removing):
            click.echo(f"Once they are removed, record it: tracker complaint confirm {number}")
    if split is not None:
        click.echo(row("letter", split.answers_line()))
    if choice.action is not DecisionAction.WITHDRAWN:
        click.echo(f"Draft the answer: tracker complaint reply {number}")


@complaint_group.command("confirm")
@click.argument("number", type=RecordNumber("complaint"))
@click.option("--post", multiple=True, metavar="URL_OR_NUMBER", help="Only these posts (default: every one it names).")
@click.option("--json", "as_json", is_flag=True, help="Print the posts marked taken down as JSON.")
@pass_app
def complaint_confirm_cmd(app: AppContext, number: int, post: tuple[str, ...], as_json: bool) -> None:
    """Record that the posts of complaint NUMBER's take-down were removed: they become taken down.

    Each post recorded is printed; a post the take-down covers but the complaint does not name says
    so. When nothing can be recorded (no take-down in force, a post it does not cover, every post
    already marked removed) it says why on one line, exits non-zero and changes nothing.
    """
    from tracker.complaints.decisions import confirm_takedown, confirmation

    app.require_database()
    asked = _post_ids(app, post)
    changed = confirm_takedown(app.sessions(), number, asked)
    with app.sessions()() as session:
        done = confirmation(session, number, changed, asked)
    if as_json:
        click.echo(safe_json({"complaint": number, "taken_down": changed, "not_changed": done.unchanged}))
        return
    click.echo(f"Complaint #{number}: {counted(len(changed), 'post')} recorded as taken down")
    for post_id, url, named in done.recorded:
        unnamed = "" if named else "  (not named by the complaint; its take-down names it)"
        click.echo(row("taken down", f"#{post_id} {url}{unnamed}"))
    for reason in done.unchanged:
        click.echo(row("unchanged", reason))
    if done.pending:
        click.echo(f"Still to remove: {', '.join(f'#{n}' for n in done.pending)}")


def _same_message(app: AppContext, message: str | None) -> int | None:
    """The earlier complaint holding exactly this message, if any (none without a database)."""
    from tracker.complaints.records import complaint_with_message

    if message is None or not app.database_exists():
        return None
    with app.sessions()() as session:
        return complaint_with_message(session, message)


def _follow_up_hint(app: AppContext, number: int, options: dict[str, Any]) -> str | None:
    """How to keep complaint `number` with an earlier one from the same sender naming the same post, as the
    follow-up it may be (`intake_checks.same_sender_same_post`); None when there is none."""
    from tracker.complaints.intake_checks import same_sender_same_post

    with app.sessions()() as session:
        found = same_sender_same_post(session, number)
    if found is None:
        return None
    earlier, post = found
    path = options["from_file"]
    given = f"--from {shlex.quote(fs_text(str(path)))}" if path is not None else "--message-file FILE"
    return safe_text(
        f"complaint #{earlier} from the same sender names post #{post} too: a follow-up? Keep it with #{earlier}: "
        f"tracker complaint message {earlier} {given}, then tracker complaint close {number} --duplicate-of {earlier}"
    )
