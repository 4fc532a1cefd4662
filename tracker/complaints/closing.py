"""Closing a complaint logged twice as a duplicate of the one that holds it (`complaint close N --duplicate-of M`).

The same notice saved again, or a follow-up logged as a complaint of its own, is no complaint the sender
withdrew: closing it `withdrawn` would record what they never did, and its own deadline would nag until
then. Closed as a duplicate, it stops counting as unanswered, gets no letter of its own (`no_letter`: the
one that holds it is the complaint to answer), and says which one that is (`duplicate_of_id`). The closing
is one transaction in the audit trail (its status and `duplicate_of_id`, old and new); deciding the
duplicate again opens it again (`decisions.decide`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker.complaints.records import get_complaint
from tracker.complaints.since_intake import no_letter_for
from tracker.db.enums import ComplaintStatus
from tracker.db.models import Complaint
from tracker.db.session import session_scope
from tracker.errors import ConflictError, NotFoundError, UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class Closed:
    """What closing a duplicate leaves to check: the posts it names that the complaint it repeats does not
    (`only_here`: none are answered for any more, unless the owner names them there), and those that one names."""

    only_here: list[int] = field(default_factory=list)
    original_posts: list[int] = field(default_factory=list)


def close_as_duplicate(factory: sessionmaker[Session], number: int, original: int) -> Closed:
    """Close complaint `number` as a duplicate of complaint `original`, which stays the one to answer.

    Refused for a complaint already answered (a letter went out: it is no duplicate to drop) or closed, and
    for an `original` that is itself a duplicate (the complaint to answer is the one that one repeats).
    A duplicate naming posts `original` does not is closed all the same (a second notice often corrects the
    first one's addresses, and the owner knows which is meant), but `Closed.only_here` names them: the caller
    says so, since nothing answers for those posts until `original` names them too.
    """
    if number == original:
        raise UsageError(f"complaint #{number} cannot be a duplicate of itself")
    with session_scope(factory, command=f"complaint close #{number}") as session:
        complaint = get_complaint(session, number)
        kept = session.get(Complaint, original)
        if kept is None:
            raise NotFoundError(f"no complaint #{original}")
        if kept.duplicate_of_id == number:
            raise ConflictError(
                f"complaint #{original} is closed as a duplicate of #{number}: #{number} is the one to answer"
            )
        if kept.duplicate_of_id is not None:
            first = kept.duplicate_of_id
            raise UsageError(
                f"complaint #{original} is itself a duplicate of #{first}: close #{number} as a duplicate of #{first}"
            )
        if complaint.duplicate_of_id is not None:
            raise ConflictError(f"complaint #{number} is already closed as a duplicate of #{complaint.duplicate_of_id}")
        if complaint.status is ComplaintStatus.ANSWERED or _letter_went_out(session, complaint):
            raise ConflictError(f"complaint #{number} was answered (a reply went out): it is no duplicate to close")
        if complaint.status is ComplaintStatus.CLOSED:
            raise ConflictError(f"complaint #{number} is closed already")
        complaint.status = ComplaintStatus.CLOSED
        complaint.duplicate_of_id = original
        kept_posts = kept.post_ids
        return Closed([n for n in complaint.post_ids if n not in kept_posts], kept_posts)


def _letter_went_out(session: Session, complaint: Complaint) -> bool:
    """Was a letter marked sent for it, and not undone? An open complaint can have had one: the sender's answer
    to a letter that asked for more opens it again (`follow_ups`), and the correspondence is no duplicate."""
    from sqlalchemy import select

    from tracker.complaints.history import letters_in
    from tracker.db.models import Event

    entries = select(Event.at, Event.changes).where(Event.entity == "complaint", Event.entity_id == complaint.id)
    rows = session.execute(entries.order_by(Event.id))
    return bool(letters_in(rows, complaint.reply_text, complaint.answered_at))


def no_letter(complaint: Complaint) -> str | None:
    """Why complaint `complaint` gets no letter (closed as a duplicate: answer the one it repeats), or None."""
    return no_letter_for(complaint.id, complaint.duplicate_of_id)
