"""A complaint's history: the audit entries about it, and the letters sent, read back from them.

The trail (`db.audit`) records every change with the command that made it, but per record: the
complaint's own row, the posts and images it names, its decisions, their take-downs, and the posts
a `complaint confirm #N` marked removed. `stored.complaint_event_rows` gathers all of them for one
complaint, so `tracker complaint show` can tell the whole story (corrections, each decision's notes, when the
reply went out) as `tracker show POST` tells a post's. The letters come from the same entries: a new
decision clears the kept reply, but the entry that recorded it sending still holds its text, and its subject
line (`reply_subject`, beside `reply_text`: no column holds it; an entry written before it was kept has none).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from tracker.db.models import Complaint


SUBJECT = "reply_subject"
"""The field of the entry recording a reply sent that holds its subject line ([the one before, this one])."""


NOT_SENT = "reply_not_sent"
"""The field of the entry undoing a reply marked sent by mistake ([None, True]): the letter marked before it was not
sent (`complaint reply N --not-answered`)."""


def _subject(changes: dict[str, Any]) -> str | None:
    """The subject line an entry recorded a reply sent with; None when it recorded none (an older entry)."""
    value = changes.get(SUBJECT)
    return value[1] if isinstance(value, list) and len(value) == 2 and isinstance(value[1], str) else None


def with_subject(subject: str | None, text: str) -> str:
    """A letter as written to a file (`complaint reply --out`, the TUI's F2 and F5) and printed as sent (`complaint
    show --reply`): a first line `Subject: …` and an empty line, as a mail program reads a draft (`mutt -H`), then
    the letter; the letter alone when it has no subject. `Subject:` in every language: it is a mail header."""
    return f"Subject: {subject}\n\n{text}" if subject else text


_SUBJECT = re.compile(r"\ASubject:[ \t]*(?P<subject>[^\n]*)\n[ \t]*\n")
"""The head `with_subject` writes above a letter: `Subject: …`, an empty line."""


def split_subject(content: str) -> tuple[str | None, str]:
    """A letter's file read back (`with_subject`'s inverse): its subject line (None without one) and the letter."""
    head = _SUBJECT.match(content)
    return (head.group("subject"), content[head.end() :]) if head else (None, content)


def sent_letters(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each letter marked sent, oldest first, as `{"sent_at", "subject", "text"}` (`subject` None when none was
    kept): from the history of a complaint's dict (`views.complaint_dict` with `history`), else the reply it keeps
    (a trail scrubbed of it); a letter whose mark was undone (`NOT_SENT`) is not one of them."""
    own = ((event["at"], event["changes"]) for event in data["history"] if event["entity"] == "complaint")
    return letters_in(own, data["reply_text"], data["answered_at"])


def letters_in(
    entries: Iterable[tuple[Any, dict[str, Any] | None]], reply_text: str | None, answered_at: Any
) -> list[dict[str, Any]]:
    """The letters marked sent (as `sent_letters` gives them) read from a complaint's own audit entries, oldest
    first, as `(when, changes)`; else the reply it keeps (`reply_text`, sent `answered_at`: a trail scrubbed of
    it). The one reading of the trail for letters: `sent_letters` gives it a history's entries, `closing` the
    rows it selects."""
    letters: list[dict[str, Any]] = []
    for at, changes in entries:
        changes = changes or {}
        if changes.get(NOT_SENT) and letters:  # marked sent by mistake: that letter never went out
            letters.pop()
        elif changes.get("reply_text", [None, None])[1]:
            letters.append({"sent_at": at, "subject": _subject(changes), "text": changes["reply_text"][1]})
    if not letters and reply_text:
        letters = [{"sent_at": answered_at, "subject": None, "text": reply_text}]
    return letters


def sent_subject(session: Session, complaint: Complaint) -> str:
    """The subject line the reply the complaint keeps (`reply_text`) was marked sent with; "" when there is none
    (no reply kept, one marked sent before subjects were kept, a trail scrubbed of it)."""
    from sqlalchemy import select

    from tracker.db.models import Event

    if complaint.reply_text is None:
        return ""
    entries = select(Event).where(Event.entity == "complaint", Event.entity_id == complaint.id)
    for entry in session.scalars(entries.order_by(Event.id.desc())):
        changes = entry.changes or {}
        if "reply_text" in changes and changes["reply_text"][1] != complaint.reply_text:
            return ""  # the newest letter recorded is not the one kept (a trail changed apart from it)
        if SUBJECT in changes or "reply_text" in changes:  # the newest entry marking this letter sent
            return _subject(changes) or ""
    return ""
