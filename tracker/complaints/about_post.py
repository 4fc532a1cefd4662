"""The complaints about one post, as `tracker show` lists them, and which complaint each entry of the
post's history came from.

A complaint is about a post when it names it (`complaints_naming`, the links made at intake) or when
one of its decisions takes it down without naming it (`decide --post`). The post's
audit trail records the command that changed it with the complaint's number (`complaint confirm #3`);
for entries written before commands carried it, `history_complaints` finds it from the take-down
recorded in the same transaction (or, for an entry a decision made, from the decision), so each
history line can say "complaint #N". Read as SQL text (`db.plain`): `tracker show` reads them without
loading SQLAlchemy on a SQLite file at this revision, the TUI on its session.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tracker.complaints.queue import complainant_label, complaints_by_id, due_soon, summary_dict
from tracker.db.enums import ComplaintStatus, LegalBasis
from tracker.db.plain import Readable, fetch_all, stored_json, stored_moment, stored_time

if TYPE_CHECKING:
    from tracker.posts.events import StoredEvent

_SAME_TRANSACTION = timedelta(minutes=5)
"""How far apart a take-down's (or decision's) time and the audit entry it caused may lie: the
command writes both in one transaction, milliseconds apart."""
_SLACK = timedelta(seconds=1)
_NUMBERED = re.compile(r" #(\d+)$")
"""`complaint decide #3`, `complaint confirm #3`: the command names its complaint (entries written before
it did are matched by time)."""


def complaints_naming(db: Readable, post_id: int) -> list[dict[str, Any]]:
    """The complaints that name a post (the `complaint_post` links), oldest first: the complaint's
    number, status, legal basis, when it arrived, its deadline, and how it named the post."""
    rows = fetch_all(
        db,
        "SELECT c.id, c.status, c.legal_basis, c.received_at, c.deadline_at, l.reference FROM complaint AS c"
        " JOIN complaint_post AS l ON l.complaint_id = c.id WHERE l.post_id = :post ORDER BY c.received_at, c.id",
        {"post": post_id},
    )
    return [
        {
            "id": number,
            "status": ComplaintStatus(status),
            "legal_basis": LegalBasis(basis),
            "received_at": stored_time(received),
            "deadline_at": stored_time(deadline),
            "reference": reference,
        }
        for number, status, basis, received, deadline, reference in rows
    ]


def _deciding(db: Readable, post_id: int) -> list[tuple[int, datetime]]:
    """(complaint number, when decided) of every decision that names the post among its posts."""
    found = []
    for complaint_id, decided_at, post_ids in fetch_all(db, "SELECT complaint_id, decided_at, post_ids FROM decision"):
        named = stored_json(post_ids)
        if isinstance(named, list) and post_id in named:
            found.append((complaint_id, stored_moment(decided_at)))
    return found


def post_complaints(db: Readable, post_id: int, now: datetime) -> list[dict[str, Any]]:
    """The complaints about a post, oldest received first: each complaint's summary
    (`queue.summary_dict`) with `complainant` (its label), `named` (whether it names the post),
    `reference` (how it named it, or None) and `due` ("today", "tomorrow" or None)."""
    named = {row["id"]: row["reference"] for row in complaints_naming(db, post_id)}
    ids = set(named) | {complaint_id for complaint_id, _ in _deciding(db, post_id)}
    found = complaints_by_id(db, ids)
    soon = due_soon(found, now)
    out = []
    for summary in found:
        data = summary_dict(summary, now)
        data["complainant"] = complainant_label(data)
        data["named"] = summary.id in named
        data["reference"] = named.get(summary.id)
        data["due"] = "today" if summary.id in soon.today else "tomorrow" if summary.id in soon.tomorrow else None
        out.append(data)
    return out


def history_complaints(db: Readable, post_id: int, events: Sequence[StoredEvent]) -> dict[int, int]:
    """{audit entry id: complaint number} for the entries of a post's history a complaint command made."""
    made = [e for e in events if (e.command or "").startswith("complaint ")]
    if not made:
        return {}
    confirmed = [
        (complaint_id, stored_moment(at))
        for complaint_id, at in fetch_all(
            db,
            "SELECT d.complaint_id, t.confirmed_at FROM takedown AS t JOIN decision AS d ON d.id = t.decision_id"
            " WHERE t.post_id = :post",
            {"post": post_id},
        )
    ]
    decided = _deciding(db, post_id)
    out = {}
    for entry in made:
        named = _NUMBERED.search(entry.command or "")
        if named:  # written since commands carry the complaint's number
            out[entry.id] = int(named.group(1))
            continue
        pool = confirmed if (entry.command or "").startswith("complaint confirm") else confirmed + decided
        near = [(at, n) for n, at in pool if at - _SLACK <= entry.at <= at + _SAME_TRANSACTION]
        if near:
            out[entry.id] = max(near)[1]
    return out
