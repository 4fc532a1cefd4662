"""`tracker complaint set N ...`: correct what intake got wrong, or set the reply language.

What a complaint file said is a guess (a name read from a signature, a deadline from the text, an
element not recognised); every field intake records can be corrected here, each change going into
the audit trail with its old and new value. Registered on the `complaint` group by
`tracker.cli.complaint.commands`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.complaint.text import deadline_read_as
from tracker.cli.context import AppContext, echo_warning, pass_app
from tracker.cli.numbers import RecordNumber
from tracker.cli.output import row
from tracker.complaints.deadlines import parse_deadline, sender_clock
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.complaints.language import LANGUAGES, checked_language
from tracker.complaints.legal import BASIS_LABELS
from tracker.db.enums import LegalBasis, values
from tracker.errors import UsageError
from tracker.support.dates import iso, utcnow
from tracker.support.textsafe import safe_json
from tracker.support.userinput import check_decodable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

_TEXT_OPTIONS = {
    "name": "complainant_name",
    "org": "complainant_org",
    "role": "complainant_role",
    "contact": "complainant_contact",
    "work_title": "claimed_title",
    "work_description": "claimed_description",
    "platform": "platform",
    "ticket": "ticket_id",
}
_LABELS = {
    "complainant_name": "name",
    "complainant_org": "organisation",
    "complainant_role": "role",
    "complainant_contact": "contact",
    "claimed_title": "work title",
    "claimed_description": "work description",
    "platform": "platform",
    "ticket_id": "ticket",
    "legal_basis": "basis",
    "deadline_at": "answer by",
    "claimed_urls": "work URLs",
    "completeness": "notice elements",
    "posts": "posts",
    "persona": "persona",
    "taken_down": "taken down",
}


def _shown(key: str, value: Any) -> str:
    if value is None or value == [] or value == "":
        return "-"
    if key == "deadline_at":
        return deadline_shown(value)  # with its time of day when it names one: 12-05 -> 12-05 17:00
    if key == "legal_basis":
        return BASIS_LABELS[LegalBasis(value)]
    if key == "claimed_urls":
        return ", ".join(value)
    if key == "completeness":
        return ", ".join(k for k, present in value.items() if present) or "none"
    if key in ("posts", "taken_down"):
        return ", ".join(f"#{n}" for n in value)
    return str(value)


def _on_senders_clock(factory: sessionmaker[Session], number: int, typed: str) -> datetime:
    """A typed deadline read on the sender's clock the complaint records (`deadlines.sender_clock`): a day is
    the end of that day where they are, as `complaint add --deadline` reads it; a day without a year (`12月8日`,
    `12/8`) the next one on or after the day it was received there."""
    from tracker.complaints.reading.deadline_words import day_of
    from tracker.complaints.records import get_complaint

    with factory() as session:
        complaint = get_complaint(session, number)
        offset, received = complaint.sent_utc_offset, complaint.received_at
    zone = sender_clock(offset)
    return parse_deadline(typed, zone=zone, since=day_of(received, zone))


@click.command("set")
@click.argument("number", type=RecordNumber("complaint"))
@click.option("--name", help="The complainant's name ('' clears it).")
@click.option("--org", help="Their organisation.")
@click.option("--role", help="Rights holder, agent, lawyer, ...")
@click.option("--contact", help="Their email, address or handle.")
@click.option(
    "--basis",
    type=click.Choice(values(LegalBasis)),
    help="The law or rule it invokes (its notice elements follow; a default deadline moves to the new basis's).",
)
@click.option(
    "--deadline",
    metavar="WHEN",
    help="Answer by then: YYYY-MM-DD or 12月8日, 12/8 (month/day; the end of that day, on the sender's clock when"
    " known), today, tomorrow, 'in N days', 明日, N日後.",
)
@click.option("--work-title", "work_title", help="Title of the work they say was copied.")
@click.option("--work-description", "work_description", help="Their description of that work.")
@click.option(
    "--work-url", "work_url", multiple=True, metavar="URL", help="Where their work is (repeat; replaces the list)."
)
@click.option("--element", multiple=True, metavar="KEY", help="A legal element the notice does contain (repeat).")
@click.option(
    "--no-element", "no_element", multiple=True, metavar="KEY", help="A legal element it does not contain (repeat)."
)
@click.option("--platform", help="The platform it came through or is about.")
@click.option("--ticket", metavar="ID", help="The platform's case or ticket number.")
@click.option(
    "--post",
    multiple=True,
    metavar="URL_OR_NUMBER",
    help="A post it names (repeat; replaces the named posts; '' names none). The persona follows the posts.",
)
@click.option("--persona", help="Whose complaint it is, when no named post says so ('' clears it).")
@click.option("--lang", metavar="ja|en", help="The language its replies are written in.")
@click.option("--json", "as_json", is_flag=True, help="Print the complaint as JSON.")
@pass_app
def complaint_set_cmd(app: AppContext, number: int, lang: str | None, as_json: bool, **options: Any) -> None:
    """Correct complaint NUMBER: who sent it, the legal basis, the deadline, their work, the notice's
    elements, the platform and ticket, the posts it names and whose complaint it is, or its reply language.
    Each change goes into the audit trail with the old value."""
    from tracker.complaints.records import ComplaintChanges, change_complaint, get_complaint
    from tracker.complaints.views import complaint_dict

    check_decodable({**options, "lang": lang})
    text = {field: options[option] for option, field in _TEXT_OPTIONS.items() if options[option] is not None}
    changes = ComplaintChanges(
        text=text,
        deadline_at=parse_deadline(options["deadline"]) if options["deadline"] else None,  # read, or refused here
        claimed_urls=list(options["work_url"]) if options["work_url"] else None,
        elements=set(options["element"]),
        no_elements=set(options["no_element"]),
        language=checked_language(lang) if lang is not None else None,
        legal_basis=LegalBasis(options["basis"]) if options["basis"] else None,
        posts=list(options["post"]) if options["post"] else None,
        persona=options["persona"],
    )
    given = (
        text
        or changes.deadline_at
        or changes.claimed_urls is not None
        or changes.elements
        or changes.no_elements
        or changes.legal_basis
        or changes.posts is not None
        or changes.persona is not None
    )
    if not given and lang is None:
        raise UsageError("nothing to change: give --name, --basis, --deadline, --post, --lang, ... (see --help)")
    app.require_database()
    factory = app.sessions()
    if options["deadline"]:
        changes.deadline_at = _on_senders_clock(factory, number, options["deadline"])
    changed = change_complaint(factory, number, changes, app.platforms())  # one transaction, the language included
    with factory() as session:
        data = complaint_dict(get_complaint(session, number), app.settings.archive_dir, utcnow())
    if as_json:
        click.echo(safe_json({**data, "changed": {key: [_plain(v) for v in pair] for key, pair in changed.items()}}))
        return
    if changes.deadline_at and (
        said := deadline_read_as(options["deadline"], changes.deadline_at, data["sent_utc_offset"])
    ):
        click.echo(said)  # the day a `12/8` or `12月8日` was read as: month/day, its year guessed
    for key, (old, new) in changed.items():
        click.echo(row(_LABELS.get(key, key), f"{_shown(key, old)} -> {_shown(key, new)}"))
    if "posts" in changed and (decided := data["decisions"][-1:]) and decided[0]["post_ids"] != changed["posts"][1]:
        posts = ", ".join(f"#{n}" for n in decided[0]["post_ids"]) or "no post"
        echo_warning(
            f"decision #{decided[0]['id']} in force is about {posts}: decide again for the posts named now "
            f"(tracker complaint decide {number} --action ...)"
        )
    if "taken_down" in changed:
        from tracker.complaints.platform_removed import recorded_down

        click.echo(recorded_down(changed["taken_down"][1]))
    if given and not changed:
        click.echo(f"Complaint #{number}: nothing changed (it already says that).")
    if lang is not None:
        click.echo(f"Complaint #{number}: replies in {LANGUAGES[data['language']]}.")


def _plain(value: Any) -> Any:
    if isinstance(value, LegalBasis):
        return value.value
    return iso(value) if hasattr(value, "isoformat") else value
