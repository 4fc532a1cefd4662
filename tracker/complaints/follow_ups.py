"""A complaint's later messages: what its sender wrote after the notice it was logged with (`complaint message N`).

The answer to questions an `ask_info` reply asked, a reminder, a second notice about the same post: each is
kept with the complaint, with the date it arrived, oldest first (`Complaint.follow_ups`), never in place of
the message it was logged with. Logged as a complaint of its own, it would get a deadline and a reply of its
own. Adding one is one transaction in the audit trail; the complaint's decision stays as it is (the owner
decides again when the message changes the answer).

The answer to the questions of an `ask_info` reply sent (the complaint answered, that decision in force) is the
owner's to answer again: the complaint is `open` once more, unanswered (its kept reply set aside, as a new decision
sets it aside: the letter sent stays in the audit trail and `complaint show --reply`), so `tracker status`, the
lists and the dashboard count it, due and overdue like any other (`queue`). Its new deadline is the answer target a
new message of its basis gets (`legal.ANSWER_DAYS`: 7 days for Japan, 10 for the DMCA, ...), counted from when
the answer arrived: it is a new message to answer, and the day the first one asked for was that message's. A
later message while the owner has not answered yet (open or decided) changes nothing of the kind, nor does one
that arrived before the day the owner decided to ask (`answers`): it cannot answer a letter not yet written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tracker.complaints.answer_again import answers, reopens
from tracker.complaints.legal import default_deadline
from tracker.complaints.platform_removed import follow_platform_removal
from tracker.complaints.records import get_complaint
from tracker.complaints.views import current_decision
from tracker.db.enums import ComplaintStatus
from tracker.db.session import session_scope
from tracker.errors import ConflictError, UsageError
from tracker.support.dates import iso, utcnow
from tracker.support.userinput import stripped

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class FollowUp:
    """What keeping a later message did."""

    messages: int
    """How many messages the complaint holds now, the one it was logged with included."""
    reopened: datetime | None = None
    """The new deadline, when the message answered the questions of a reply sent and the complaint needs the owner
    again (`reopens`); None when its status stayed as it was."""
    too_early: datetime | None = None
    """When the `ask_info` decision in force was made, when the message arrived before that day (`answers`): it
    cannot answer the letter that decision sent, and the complaint stays as it was."""
    taken_down: tuple[int, ...] = ()
    """The live posts it names that the message, a platform's, says the platform removed: now taken down
    (`platform_removed`)."""


def add_follow_up(
    factory: sessionmaker[Session],
    number: int,
    message: str | None,
    received_at: datetime,
    sent_utc_offset: int | None = None,
) -> FollowUp:
    """Keep `message`, which arrived at `received_at`, with complaint `number`; the answer to an `ask_info` reply
    sent opens the complaint again, due by its basis's answer target from `received_at` (`FollowUp.reopened`).
    `sent_utc_offset` is its sender's clock (minutes east of UTC) when known: their day is said beside this
    machine's where it is another, as for a complaint (`dates.on_both_clocks`).

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
        kept: dict[str, Any] = {"received_at": arrived, "message": text}
        if sent_utc_offset is not None:
            kept["sent_utc_offset"] = sent_utc_offset
        complaint.follow_ups = [*earlier, kept]  # a new list: saved
        taken = tuple(follow_platform_removal(complaint, utcnow(), text))  # "we have now removed the content"
        decision = current_decision(complaint)
        if decision is None or not reopens(complaint.status, decision.action):
            return FollowUp(1 + len(complaint.follow_ups), taken_down=taken)
        if not answers(received_at, decision.decided_at):  # kept, but no answer to a letter not yet written
            return FollowUp(1 + len(complaint.follow_ups), too_early=decision.decided_at, taken_down=taken)
        complaint.status = ComplaintStatus.OPEN  # theirs to answer again: decide again, then reply
        complaint.deadline_at = default_deadline(complaint.legal_basis, received_at.astimezone(UTC))
        complaint.answered_at = None
        complaint.reply_text = None  # the letter sent stays in the audit trail (`complaint show --reply`)
        return FollowUp(1 + len(complaint.follow_ups), complaint.deadline_at, taken_down=taken)
