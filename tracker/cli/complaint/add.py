"""`tracker complaint add`: log a complaint as it arrived (a saved e-mail, a pasted message, or typed options).

What the file says (sender, date, basis, URLs, message, the day it asks for action by, attached images) fills in
what the options do not give (`complaints.reading`); the use case is `complaints.intake.add_complaint`, and what was
logged is printed as `complaint show` prints it (`text`), with the next steps. Loaded only when called.
"""

from __future__ import annotations

import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.complaint.commands import load_complaint
from tracker.cli.complaint.text import (
    deadline_read_as,
    deadline_text,
    next_steps,
    notice_lines,
    persona_line,
    picture_notes,
)
from tracker.cli.context import AppContext, echo_lines, echo_stderr, echo_warning, pass_app, terminal_width
from tracker.cli.output import folded_lines, row
from tracker.complaints.deadlines import checked_deadline, shown_as_asked
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.complaints.legal import (
    BASIS_LABELS,
    REQUIRED_ELEMENTS,
    default_deadline,
)
from tracker.db.enums import Channel, LegalBasis, values
from tracker.errors import ConflictError, UsageError
from tracker.support.dates import local_day, parse_when, utcnow
from tracker.support.shell import shell_word
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.user_files import MESSAGE_MAX_BYTES, fs_text, read_text_limited
from tracker.support.userinput import check_decodable
from tracker.support.words import counted

if TYPE_CHECKING:
    from tracker.complaints.complaint_input import ComplaintInput
    from tracker.complaints.reading.messages import ReceivedMessage


def _message(message: str | None, message_file: Path | None) -> str | None:
    if message is not None and message_file is not None:
        raise UsageError("give --message or --message-file, not both")
    if message_file is None:
        return message
    # A regular file of at most 1 MiB: /dev/zero or a FIFO must not read until memory runs out.
    text = read_text_limited(message_file, MESSAGE_MAX_BYTES, "message file")
    if not text.strip():  # a save cut short: logged, the complaint would keep nothing of what they wrote
        raise UsageError(
            f"{fs_text(str(message_file))}: the message file is empty: nothing was logged (save the message's "
            "text in it, or leave --message-file out)"
        )
    if _saved_mail(text):
        name = shell_word(str(message_file))
        raise UsageError(
            f"{fs_text(str(message_file))} is a saved e-mail: log it with --from {name}, which reads its sender, "
            "date, text and attached pictures (--message-file keeps a file's text as it is, headers and encoding)"
        )
    return text


_MIME_FIELDS = {"mime-version", "content-type", "content-transfer-encoding"}


def _saved_mail(text: str) -> bool:
    """Is this a saved e-mail (an .eml: From and MIME headers above its first empty line, as `--from` reads them),
    whose text read as it is would keep its encoded headers and body (`=?utf-8?b?…?=`, base64) rather than the words?"""
    from tracker.complaints.reading.messages import header_fields

    text = text.lstrip("\r\n")
    head = text if len(text) <= 16384 else text[:16384].rpartition("\n")[0]  # whole lines: a cut field is no field
    fields = header_fields(head.encode())
    return fields is not None and "from" in fields and bool(fields & _MIME_FIELDS)


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
    from tracker.complaints.forwarded import forward_dated_warning, own_addresses, own_sender_warning
    from tracker.complaints.intake import (
        is_logged_post,
        message_fields,
        own_account_page,
        own_account_post,
        readable_images,
    )
    from tracker.complaints.reading.message_dates import typed_zone
    from tracker.support.dates import minute_on

    received, zone = parse_when(typed_received) if typed_received else None, typed_zone(typed_received)
    with app.sessions()() if app.database_exists() else nullcontext() as session:
        logged = is_logged_post(session, app.platforms()) if session is not None else lambda url: False
        own = own_addresses(session) if session is not None else frozenset()
        own_post = own_account_post(session, app.platforms()) if session is not None else None
        own_page = own_account_page(session, app.platforms()) if session is not None else None
        found = message_fields(message, logged, received, app.platforms(), zone, contact, own, own_post, own_page)
    if found["own_sender"] and not contact:
        echo_warning(f"{own_sender_warning(found['own_sender'])} (give them with --name and --contact)")
    if found["forward_dated"] and not typed_received:
        at = minute_on(found["received_at"], found.get("received_clock"))
        echo_warning(f"{forward_dated_warning(at)}: give its own date with --received if you know it")
    attached = []
    for attachment in message.attachments:
        target = folder / attachment.name
        target.write_bytes(attachment.data)
        attached.append(target)
    return found, readable_images(attached, found["left_out"])


def _found_lines(path: Path, found: dict[str, Any], attached: list[Path]) -> list[str]:

    lines = [safe_text(f"Read from {fs_text(path.name)}:")]
    shown = {
        "from": found.get("complainant_name"),
        "for": found.get("complainant_org"),
        "as": found.get("complainant_role"),
        "contact": found.get("complainant_contact"),
        "platform": found.get("platform"),
        "received": _received(found),
        "deadline": f"{shown_as_asked(found['deadline_at'], found.get('received_clock'))} (as it asks{_in_zone(found)})"
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


def _received(found: dict[str, Any]) -> str | None:
    """When the message read was sent, on the sender's clock then the owner's; said to be when it was forwarded
    when it gives no date of its own (`ComplaintPart.forward_dated`)."""
    from tracker.support.dates import minute_on

    if not found.get("received_at"):
        return None
    at = minute_on(found["received_at"], found.get("received_clock"))
    return f"{at} (when it was forwarded: no date of its own)" if found.get("forward_dated") else at


def _in_zone(found: dict[str, Any]) -> str:
    """`; its hours read in Japan time (JST): ...` when the message's clock was taken to be Japan's, else ''."""
    zone = found.get("zone_assumed")
    return f"; its hours read in {zone}: written in Japanese, it names no zone of its own" if zone else ""


def _elements_help() -> str:
    parts = [f"{basis.value}: {', '.join(k for k, _ in keys)}" for basis, keys in REQUIRED_ELEMENTS.items() if keys]
    return "A legal element the notice contains (repeat); " + "; ".join(parts) + "."


@click.command("add")
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
    "--message-file",
    "message_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read it from a text file, as it is (a saved e-mail: --from).",
)
@click.option("--element", multiple=True, metavar="KEY", help=_elements_help())
@click.option(
    "--deadline",
    metavar="WHEN",
    help="Answer by then: YYYY-MM-DD or 12月8日, 12/8 (month/day; the end of that day on the sender's clock when"
    " known), today, tomorrow, 'in N days', 明日, N日後 (default: received + the basis's).",
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

    shown = load_complaint(app, number)
    if found.get("unlogged_own"):
        echo_warning(_unlogged_own_hint(number, found["unlogged_own"], [p["id"] for p in shown["posts"]]))
    if as_json:
        click.echo(safe_json(shown))
        for note in picture_notes(shown["images"])[0]:  # stdout stays the JSON record; the hint, as `match --json`
            echo_stderr("tracker: note: ", note)
        return
    out: list[str] = []  # folded to the terminal's width at the end, every row continuing under its value
    if options["from_file"] is not None:
        out += _found_lines(options["from_file"], found, attached)
    elif len(read := _found_lines(Path("the message"), found, attached)) > 1:
        out += read
    typed = options["deadline"]  # the day a `12/8` or `12月8日` was read as: month/day, its year guessed
    if typed and data.deadline_at and (said := deadline_read_as(typed, data.deadline_at, data.sent_utc_offset)):
        out.append(said)
    out.append(f"Logged complaint #{number}: answer by {deadline_text(shown)}")
    out.append(row("from", complainant_label(shown)))
    down = {"taken_down": " (taken down)", "deleted": " (deleted)"}  # a platform's notice that it removed them
    named = ", ".join(f"#{p['id']} {p['url']}{down.get(p['status'], '')}" for p in shown["posts"])
    out.append(row("posts", named or "none named"))
    if any(p["status"] == "taken_down" for p in shown["posts"]) and says_removed(shown["message"]):
        out.append(recorded_down())
    notes, searchable = picture_notes(shown["images"])
    if shown["images"]:
        out.append(row("images", f"{len(shown['images'])} archived"))
    out += [row("note", note) for note in notes]  # one plain colour, animated: as `tracker match` says
    out += notice_lines(shown)
    echo_lines(folded_lines(out, terminal_width()))
    # Not folded: a `tracker match` of an archived file names a path longer than a line, copied whole from the screen.
    echo_lines(next_steps(shown, persona_line(app, number, shown["persona"]), searchable))


def _unlogged_own_hint(number: int, urls: list[str], named: list[int]) -> str:
    """What to do about posts on the owner's own accounts the message names but tracker never logged: they are
    not the complainant's work, and complaint `number` names them only once they are logged."""
    posts = " ".join(f"--post {post}" for post in [*named, *(shell_word(url) for url in urls)])
    it = "it" if len(urls) == 1 else "them"
    return safe_text(
        f"the message names {counted(len(urls), 'post')} on your own accounts that tracker has not logged "
        f"({', '.join(urls)}; not taken as their work): log {it} (tracker log IMAGE --url URL), "
        f"then tracker complaint set {number} {posts}"
    )


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
    given = f"--from {shell_word(str(path))}" if path is not None else "--message-file FILE"
    return safe_text(
        f"complaint #{earlier} from the same sender names post #{post} too: a follow-up? Keep it with #{earlier}: "
        f"tracker complaint message {earlier} {given}, then tracker complaint close {number} --duplicate-of {earlier}"
    )
