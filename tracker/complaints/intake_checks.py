"""What a complaint must pass before it is logged, checked in `intake.add_complaint` for the CLI and the TUI alike.

A complaint that holds nothing to answer is refused (`refuse_empty`). A message an earlier complaint already
holds (the same file logged twice) is refused as `SameMessage`, naming that complaint, unless the intake says
to log it anyway (`ComplaintInput.duplicate`): `complaint add` refuses it unless `--duplicate` is given, the
New complaint form asks first. That check runs in the transaction that logs the complaint, so nothing can slip
in between the question and the save.

Once logged, a complaint from a sender who already complained about one of its posts may be their follow-up
(`same_sender_same_post`): the intake says so and how to keep it with the earlier one, never refuses it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from sqlalchemy import select

from tracker.complaints.forwarded import addresses_in, own_addresses
from tracker.complaints.records import complaint_with_message
from tracker.db.models import Complaint, ComplaintPost
from tracker.errors import ConflictError, UsageError
from tracker.support.userinput import typed_line

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.complaints.complaint_input import ComplaintInput


def refuse_empty(data: ComplaintInput) -> None:
    """A complaint with nothing to answer (no message, post, image or sender) is refused: logged, it would get a
    deadline, count as unanswered and nag until closed, about nothing."""
    said = [data.message, *data.posts, *map(str, data.images)]
    sender = [data.complainant_name, data.complainant_org, data.complainant_contact]
    if not any(typed_line(value) for value in [*said, *sender]):
        raise UsageError("nothing to log: give at least the message, a post it names, an image they sent or the sender")


class SameMessage(ConflictError):
    """An earlier complaint (`earlier`, its number) holds the very message being logged."""

    def __init__(self, earlier: int) -> None:
        super().__init__(f"complaint #{earlier} holds the same message: nothing logged")
        self.earlier = earlier


def refuse_same_message(session: Session, data: ComplaintInput) -> None:
    """Raise `SameMessage` when an earlier complaint holds `data`'s message, unless it is to be logged anyway."""
    if data.duplicate:
        return
    earlier = complaint_with_message(session, data.message)
    if earlier is not None:
        raise SameMessage(earlier)


def same_sender_same_post(session: Session, number: int) -> tuple[int, int] | None:
    """(another complaint, a post both name) when a complaint from the sender of complaint `number` (the same
    contact or the same name) names one of its posts too, the newest first; None when there is none. A complaint
    closed as a duplicate is never the one: the one it repeats is. The owner's own address is no sender: a
    complaint with it as its contact is never compared (`_from_owner`)."""
    complaint = session.get(Complaint, number)
    if complaint is None or not complaint.post_ids:
        return None
    others = session.execute(
        select(ComplaintPost.complaint_id, ComplaintPost.post_id)
        .where(ComplaintPost.post_id.in_(complaint.post_ids), ComplaintPost.complaint_id != number)
        .order_by(ComplaintPost.complaint_id.desc(), ComplaintPost.id)
    )
    own = own_addresses(session)
    if _from_owner(complaint, own):
        return None
    for other_id, post_id in others:
        other = session.get(Complaint, other_id)
        if other is not None and other.duplicate_of_id is None and not _from_owner(other, own):
            if _same_sender(complaint, other):
                return other_id, post_id
    return None


def _from_owner(complaint: Complaint, own: frozenset[str]) -> bool:
    """Whether a complaint's contact is one of the owner's addresses (a forward logged before the intake read
    forwards, or typed so): its name and contact are then the owner's, and say nothing of who sent it."""
    return bool(addresses_in([complaint.complainant_contact]) & own)


def _same_sender(one: Complaint, other: Complaint) -> bool:
    """Whether two complaints give the same contact or the same name (in any case, width or spacing)."""
    pairs = ((one.complainant_contact, other.complainant_contact), (one.complainant_name, other.complainant_name))
    return any(_folded(a) and _folded(a) == _folded(b) for a, b in pairs)


def _folded(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).casefold()
