"""What a complaint read from a file fills into the New complaint form (`screens.intake`).

The keys of `complaints.intake.message_fields` the form has a field for, how a value read is typed
into a field so that Save reads it back as `complaint add --from` stores it, where the attached
images wait for Save (a private scratch folder, as the CLI's), the one line that tells the owner
what was filled, what was kept and what was not found, and the notice elements the form's posts and
contact give (`record_shows`); how the form reads a list back (`split_list`) and which input an error is
about (`error_field`). Plain data and files: no widget here.
"""

from __future__ import annotations

import re
import shlex
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker.complaints.deadlines import ends_its_day, shown_as_asked
from tracker.complaints.forwarded import forward_dated_warning, own_sender_warning
from tracker.complaints.legal import BASIS_LABELS, CHANNEL_LABELS
from tracker.complaints.reading.message_dates import later_than_now, typed_offset_of_sender
from tracker.complaints.reading.messages import Attachment
from tracker.errors import ImageReadError, NotFoundError, TrackerError, UsageError
from tracker.support.dates import minute_on

READ_KEYS = {
    "received_at": "received",
    "channel": "channel",
    "legal_basis": "basis",
    "language": "language",
    "platform": "platform",
    "ticket_id": "ticket",
    "complainant_name": "name",
    "complainant_org": "org",
    "complainant_role": "role",
    "complainant_contact": "contact",
    "claimed_title": "work-title",
    "work_title": "work-title",
    "claimed_urls": "work-urls",
    "posts": "posts",
    "deadline_at": "deadline",
    "message": "message",
    "elements": "elements",
}
"""The keys of `intake.message_fields` the form has a field for, by that field's id; other keys are ignored."""

FIELD_WORDS = {
    "name": "name",
    "org": "organisation",
    "role": "role",
    "contact": "contact",
    "received": "received date",
    "channel": "channel",
    "basis": "legal basis",
    "posts": "posts",
    "work-title": "work title",
    "work-urls": "work URLs",
    "deadline": "deadline",
    "images": "images",
    "platform": "platform",
    "ticket": "ticket",
    "language": "language",
    "message": "message",
    "elements": "notice elements",
}
"""How the read's notification names a field, in the order it tells them."""


_SPLIT_ON = re.compile(r"[\s,'\"\\]")
"""What `split_list` splits a list on or reads as quoting: an item holding one is quoted."""


def join_list(items: Iterable[str]) -> str:
    """Items as `split_list` reads them back: quoted only when they hold a space, a comma, a quote or a backslash
    (what it splits or unquotes on), so a URL with a Japanese path or a query shows as the message wrote it."""
    quoted = []
    for item in items:
        shown = shlex.quote(item) if _SPLIT_ON.search(item) else item
        quoted.append(f"'{item}'" if shown == item and "," in item else shown)
    return " ".join(quoted)


def split_list(text: str) -> list[str]:
    """Items separated by commas, spaces or new lines; quotes keep a path with spaces (or commas) together."""
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace += ","
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        parts = list(lexer)
    except ValueError as exc:
        raise UsageError(f"cannot read the list {text!r}: {exc}") from None
    return [p for p in parts if p]


class FieldError(UsageError):
    """A value of one input of the form cannot be read: `field` is the input's id."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def error_field(error: TrackerError) -> str | None:
    """The input a failed save is about (its id), or None when it is about the form as a whole."""
    if isinstance(error, FieldError):
        return error.field
    if isinstance(error, ImageReadError):
        return "images"
    if isinstance(error, NotFoundError):  # the form names no persona: only a named post can be missing
        return "posts"
    message = str(error)
    if isinstance(error, UsageError) and " images " in f" {message} ":  # "at most 20 images per complaint"
        return "images"
    if isinstance(error, UsageError) and "named posts" in message:  # posts of different personas
        return "posts"
    if isinstance(error, UsageError) and "is not a work URL" in message:
        return "work-urls"
    return None


def read_values(found: Mapping[str, Any]) -> dict[str, Any]:
    """What a read fills in, by field id (`READ_KEYS`); the arrival time on the clock it was read on when that is
    the sender's (`received_clock`: Japan's, for a message in Japanese naming no zone), the same moment, which
    `time_filled` says on that clock as the message shows it."""
    values = {field: found[key] for key, field in READ_KEYS.items() if key in found}
    for field in ("received", "deadline"):  # the deadline it asks for, on the clock its date is read on
        if isinstance(values.get(field), datetime) and found.get("received_clock") is not None:
            values[field] = values[field].astimezone(found["received_clock"])
    return values


def time_filled(field: str, value: datetime) -> tuple[str, str]:
    """A time read, as typed into its field (`as_typed`) and as the read's notification says it, on the clock
    `read_values` put it on (not UTC: the sender's), named, then on the owner's: an arrival time as
    `support.dates.minute_on` says it, a deadline as `complaint add --from` does (`deadlines.shown_as_asked`:
    12月8日まで from Japan is `2026-12-08 23:59 UTC+09:00 (2026-12-08 14:59 UTC)`, not a bare 14:59 UTC)."""
    clock = None if value.tzinfo is UTC else value.tzinfo
    if field == "deadline":
        return as_typed(value, deadline=True), f"{FIELD_WORDS[field]} {shown_as_asked(value, clock)}"
    return as_typed(value), f"{FIELD_WORDS[field]} {minute_on(value, clock)}"


def read_notes(found: Mapping[str, Any], received_filled: bool, now: datetime) -> list[str]:
    """What a read's notification adds after what it filled: a message from the owner's own address that names
    no complainant (`forwarded.complaint_part`), attachments not kept, a forward's date taken for the message's (its
    own unknown: `forward_dated_warning`), and an arrival time filled in
    that is later than now (`message_dates.later_than_now`: kept, for the owner to check)."""
    notes = []
    if found.get("own_sender"):
        said = own_sender_warning(found["own_sender"])
        notes.append(f"{said[0].upper()}{said[1:]}; fill in who they are.")
    if found.get("unlogged_own"):
        urls = ", ".join(found["unlogged_own"])
        notes.append(f"On your own accounts and not logged (not taken as their work; log it to name it): {urls}.")
    if found.get("left_out"):
        notes.append(f"Not kept (save what you need yourself): {', '.join(found['left_out'])}.")
    if found.get("forward_dated") and received_filled:
        said = forward_dated_warning(minute_on(found["received_at"], found.get("received_clock")))
        notes.append(f"{said[0].upper()}{said[1:]}: correct the received date if you know it.")
    late = later_than_now(found.get("received_at"), found.get("received_clock"), now) if received_filled else None
    if late:
        notes.append(f"{late[0].upper()}{late[1:]}: check the received date before saving.")
    return notes


def as_typed(value: datetime, deadline: bool = False) -> str:
    """A time as the owner would type it to mean exactly it: a deadline at the end of its local day is
    that day (`2026-12-04`, read back as `complaint add --deadline` reads it), anything else local ISO 8601."""
    try:
        local = value.astimezone()
    except (OverflowError, ValueError, OSError):  # local time cannot hold it: UTC says the same moment
        return value.isoformat()
    if deadline and ends_its_day(value):
        return local.date().isoformat()
    return local.isoformat()


def message_path(text: str) -> Path:
    """The file named in the form: as typed when it exists, else unquoted (a path dropped in by a
    terminal comes quoted: `'/home/me/My Mail.eml'`); a leading `~` is the home folder."""
    typed = Path(text)
    try:
        if typed.expanduser().exists():
            return typed.expanduser()
    except (OSError, RuntimeError, ValueError):  # no home folder, a name too long or holding NUL
        return typed
    try:
        parts = shlex.split(text, posix=True)
    except ValueError:
        return typed
    try:
        return Path(parts[0]).expanduser() if len(parts) == 1 else typed
    except RuntimeError:
        return Path(parts[0])


def write_attachments(attachments: Iterable[Attachment]) -> tuple[Path | None, list[Path]]:
    """The attached images in a new private folder (0700), as `complaint add --from` writes them for
    the intake: the folder (None without images) and their paths, under their safe names."""
    attachments = list(attachments)
    if not attachments:
        return None, []
    folder = Path(tempfile.mkdtemp(prefix="tracker-intake-"))
    try:
        paths = []
        for attachment in attachments:
            target = folder / attachment.name
            target.write_bytes(attachment.data)
            paths.append(target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, paths


def read_summary(
    source: str, filled: list[str], kept: list[str], missing: list[str], earlier: int | None, notes: Iterable[str] = ()
) -> str:
    """What a read did, in one line: `Read from x.eml: name, 1 post. Kept what you typed: ... Not found: ...`,
    then its `notes` (`read_notes`)."""
    parts = [f"{source}: " + (", ".join(filled) if filled else "nothing new to fill in") + "."]
    if kept:
        parts.append(f"Kept what you typed: {', '.join(kept)}.")
    if missing:
        parts.append(f"Not found: {', '.join(missing)}.")
    if earlier is not None:
        parts.append(f"Complaint #{earlier} already holds this message: is it logged twice? Saving asks first.")
    return " ".join([*parts, *notes])


def follow_up_hint(number: int, earlier: int, post: int) -> str:
    """After saving complaint `number`: complaint `earlier` of the same sender names `post` too, so this one may be
    their follow-up, which `tracker complaint message` keeps with it (a hint: the complaint is logged)."""
    return (
        f"Complaint #{earlier} from the same sender names post #{post} too: a follow-up? Keep its message there "
        f"(tracker complaint message {earlier} --from FILE) and close #{number} "
        f"(tracker complaint close {number} --duplicate-of {earlier})."
    )


RECORD_SHOWS = {"posts": ("location", "exact_url"), "contact": ("contact",)}
"""The notice elements the saved record counts present by itself (`legal.completeness`), by the field that
gives them: a post named by its URL is the material's location, a contact given is the contact."""
_GIVEN_BY = {"posts": "a post named by its URL", "contact": "the contact given"}


def record_shows(posts: Iterable[str], contact: str) -> dict[str, str]:
    """The notice elements saving will count present for the posts named and the contact (`RECORD_SHOWS`),
    each with the field that gives it."""
    holds = {"posts": any("://" in reference for reference in posts), "contact": bool(contact.strip())}
    return {key: field for field, keys in RECORD_SHOWS.items() if holds[field] for key in keys}


def ticked_hint(fields: set[str], count: int) -> str:
    """Under the elements the form ticked itself (`count` of them, given by `fields`): why; "" for none."""
    reasons = [words for field, words in _GIVEN_BY.items() if field in fields]
    if not reasons:
        return ""
    return f"Ticked from {' and '.join(reasons)}: the saved complaint counts {'it' if count == 1 else 'them'} present."


def sender_offset(read: int | None, typed_received: str, message: str) -> int | None:
    """The sender's UTC offset, as `complaint add` records it: the message read's (`message_fields`), else the zone
    typed with the arrival time but UTC (`--received`), else what the message pasted gives (`intake.sender_offset`:
    Japan's for a message in Japanese, as `--message` is read), else None (the owner's local time)."""
    from tracker.complaints.intake import sender_offset as pasted_offset
    from tracker.complaints.reading.messages import message_from_text

    if read is not None:
        return read
    typed = typed_offset_of_sender(typed_received)
    if typed is not None or not message.strip():
        return typed
    return pasted_offset(message_from_text(message))


def choices(field: str) -> dict[str, str]:
    """The values a select of the form offers, with their labels."""
    if field == "channel":
        return {c.value: label for c, label in CHANNEL_LABELS.items()}
    if field == "basis":
        return {b.value: label for b, label in BASIS_LABELS.items()}
    return {"ja": "Japanese", "en": "English"}


def read_deadline_moved(read: tuple[str, str] | None, deadline: str, received: str) -> bool:
    """Whether the deadline field still shows the one a read counted from the arrival time (`read`: the arrival
    time and the deadline the fields showed then) while the arrival time has been typed again since."""
    return read is not None and deadline.strip() == read[1] and received != read[0]
