"""The complaints about one post, as `tracker show` lists them, and which complaint each entry of the
post's history came from.

A complaint is about a post when it names it (`posts.lookup.complaints_naming`, the links made at
intake) or when one of its decisions takes it down without naming it (`decide --post`). The post's
audit trail records the command that changed it with the complaint's number (`complaint confirm #3`);
for entries written before commands carried it, `history_complaints` finds it from the take-down
recorded in the same transaction (or, for an entry a decision made, from the decision), so each
history line can say "complaint #N".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.complaints.queue import complainant_label, complaints_by_id, due_soon, summary_dict
from tracker.db import schema
from tracker.db.models import Event
from tracker.posts.lookup import complaints_naming

_SAME_TRANSACTION = timedelta(minutes=5)
"""How far apart a take-down's (or decision's) time and the audit entry it caused may lie: the
command writes both in one transaction, milliseconds apart."""
_SLACK = timedelta(seconds=1)
_NUMBERED = re.compile(r" #(\d+)$")
"""`complaint decide #3`, `complaint confirm #3`: the command names its complaint (entries written before
it did are matched by time)."""


def _deciding(db: Session, post_id: int) -> list[tuple[int, datetime]]:
    """(complaint number, when decided) of every decision that names the post among its posts."""
    d = schema.decision.c
    return [
        (complaint_id, decided_at)
        for complaint_id, decided_at, post_ids in db.execute(select(d.complaint_id, d.decided_at, d.post_ids))
        if isinstance(post_ids, list) and post_id in post_ids
    ]


def post_complaints(db: Session, post_id: int, now: datetime) -> list[dict[str, Any]]:
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


def history_complaints(db: Session, post_id: int, events: Sequence[Event]) -> dict[int, int]:
    """{audit entry id: complaint number} for the entries of a post's history a complaint command made."""
    made = [e for e in events if (e.command or "").startswith("complaint ")]
    if not made:
        return {}
    t, d = schema.takedown.c, schema.decision.c
    confirmed = [
        (complaint_id, at)
        for complaint_id, at in db.execute(
            select(d.complaint_id, t.confirmed_at)
            .join(schema.decision, d.id == t.decision_id)
            .where(t.post_id == post_id)
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
