"""A complaint's later messages: what its sender wrote after the notice it was logged with (`complaint message N`).

The answer to questions an `ask_info` reply asked, a reminder, a second notice about the same post: each is
kept with the complaint, with the date it arrived, oldest first (`Complaint.follow_ups`), never in place of
the message it was logged with. Logged as a complaint of its own, it would get a deadline and a reply of its
own. Adding one is one transaction in the audit trail; the complaint's decision stays as it is (the owner
decides again when the message changes the answer).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tracker.complaints.records import get_complaint
from tracker.db.session import session_scope
from tracker.errors import ConflictError, UsageError
from tracker.support.dates import iso
from tracker.support.userinput import stripped

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def add_follow_up(factory: sessionmaker[Session], number: int, message: str | None, received_at: datetime) -> int:
    """Keep `message`, which arrived at `received_at`, with complaint `number`; returns how many messages it
    holds now (the one it was logged with included).

    Refused when the message is empty, is one the complaint already holds, arrived before the complaint did,
    or the complaint is closed as a duplicate (its messages belong with the one it repeats).
    """
    text = stripped(message)
    if text is None:
        raise UsageError("the message is empty: nothing added")
    with session_scope(factory, command=f"complaint message #{number}") as session:
        complaint = get_complaint(session, number)
        if complaint.duplicate_of_id is not None:
            original = complaint.duplicate_of_id
            raise ConflictError(f"complaint #{number} is closed as a duplicate of #{original}: add it to #{original}")
        earlier = list(complaint.follow_ups or [])
        if text == complaint.message or any(item.get("message") == text for item in earlier):
            raise ConflictError(f"complaint #{number} already holds this message: nothing added")
        if received_at < complaint.received_at:
            raise UsageError(
                f"it arrived before complaint #{number} was received: give the day it came (--received WHEN)"
            )
        arrived = iso(received_at.astimezone(UTC))  # in UTC, as every stored time: they sort as text
        complaint.follow_ups = [*earlier, {"received_at": arrived, "message": text}]  # a new list: saved
        return 1 + len(complaint.follow_ups)
