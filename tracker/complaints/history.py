"""A complaint's history: the audit entries about it, and the letters sent, read back from them.

The trail (`db.audit`) records every change with the command that made it, but per record: the
complaint's own row, the posts and images it names, its decisions, their take-downs, and the posts
a `complaint confirm #N` marked removed. `complaint_events` gathers all of them for one complaint,
so `tracker complaint show` can tell the whole story (corrections, each decision's notes, when the
reply went out) as `tracker show POST` tells a post's. The letters come from the same entries: a new
decision clears the kept reply, but the entry that recorded it sending still holds its text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select

from tracker.db.models import Event

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.db.models import Complaint

LINKS = ("complaint_post", "complaint_image")
"""The records that tie a post or an image to a complaint: theirs when their `complaint_id` is its number."""


def _names(event: Event, number: int) -> bool:
    """Whether an entry about a link is one of this complaint's (its `complaint_id`, old or new)."""
    return number in (event.changes or {}).get("complaint_id", [])


def complaint_events(session: Session, complaint: Complaint) -> list[Event]:
    """Every audit entry about the complaint, oldest first: its own, its links', its decisions' and
    take-downs', and the ones a command about it wrote (`complaint confirm #3` marking a post removed)."""
    decisions = [d.id for d in complaint.decisions]
    takedowns = [t.id for d in complaint.decisions for t in d.takedowns]
    query = (
        select(Event)
        .where(
            or_(
                and_(Event.entity == "complaint", Event.entity_id == complaint.id),
                and_(Event.entity == "decision", Event.entity_id.in_(decisions)),
                and_(Event.entity == "takedown", Event.entity_id.in_(takedowns)),
                Event.entity.in_(LINKS),
                Event.command.like(f"complaint % #{complaint.id}"),
            )
        )
        .order_by(Event.id)
    )
    return [e for e in session.scalars(query) if e.entity not in LINKS or _names(e, complaint.id)]


def sent_letters(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each letter marked sent, oldest first, as `{"sent_at", "text"}`: from the history of a complaint's
    dict (`views.complaint_dict` with `history`), else the reply it keeps (a trail scrubbed of it)."""
    letters = [
        {"sent_at": event["at"], "text": event["changes"]["reply_text"][1]}
        for event in data["history"]
        if event["entity"] == "complaint" and (event["changes"] or {}).get("reply_text", [None, None])[1]
    ]
    if not letters and data["reply_text"]:
        letters = [{"sent_at": data["answered_at"], "text": data["reply_text"]}]
    return letters
