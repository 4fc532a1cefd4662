"""Deciding a complaint and recording that it was answered.

A decision is never changed: deciding again records a revision that supersedes the previous
decision, which stays on record. Every change is one transaction and lands in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.complaints.records import get_complaint
from tracker.complaints.views import current_decision
from tracker.db.enums import ComplaintStatus, DecisionAction, DisputeReason, PostStatus
from tracker.db.models import Decision, Post
from tracker.db.session import session_scope
from tracker.errors import NotFoundError, UsageError
from tracker.support.dates import utcnow
from tracker.support.userinput import stripped


@dataclass(frozen=True)
class DecisionInput:
    action: DecisionAction
    reason: DisputeReason | None = None
    notes: str | None = None
    post_ids: tuple[int, ...] = ()


def decide(factory: sessionmaker[Session], number: int, choice: DecisionInput) -> int:
    """Record a decision (or a revision of the one in force); returns the decision's id.

    A take-down marks its posts taken down. A dispute needs a reason. A revision keeps the
    earlier decision and links to it; the complaint needs answering again unless withdrawn.
    """
    if choice.action is DecisionAction.DISPUTE and choice.reason is None:
        raise UsageError("a dispute needs a reason")
    if choice.action is not DecisionAction.DISPUTE and choice.reason is not None:
        raise UsageError("only a dispute takes a reason")
    with session_scope(factory, command="complaint decide") as session:
        complaint = get_complaint(session, number)
        post_ids = list(dict.fromkeys(choice.post_ids)) or [link.post_id for link in complaint.named_posts]
        if choice.action is DecisionAction.TAKE_DOWN and not post_ids:
            raise UsageError("a take-down needs the posts to take down (the complaint names none)")
        posts = list(session.scalars(select(Post).where(Post.id.in_(post_ids)))) if post_ids else []
        missing = set(post_ids) - {p.id for p in posts}
        if missing:
            raise NotFoundError(f"no post #{min(missing)}")
        previous = current_decision(complaint)
        decision = Decision(
            action=choice.action,
            reason=choice.reason,
            notes=stripped(choice.notes),
            post_ids=post_ids,
            supersedes_id=previous.id if previous else None,
            decided_at=utcnow(),
        )
        complaint.decisions.append(decision)
        if choice.action is DecisionAction.TAKE_DOWN:
            now = utcnow()
            for post in posts:
                if post.status is PostStatus.LIVE:
                    post.status = PostStatus.TAKEN_DOWN
                    post.status_changed_at = now
        if choice.action is DecisionAction.WITHDRAWN:
            complaint.status = ComplaintStatus.CLOSED
        else:
            complaint.status = ComplaintStatus.DECIDED
            complaint.answered_at = None
            complaint.reply_text = None  # the earlier reply stays in the audit trail
        session.flush()
        return decision.id


def mark_answered(factory: sessionmaker[Session], number: int, reply: str) -> None:
    """Record that the reply was sent (its text is kept); the complaint stops being unanswered."""
    with session_scope(factory, command="complaint answered") as session:
        complaint = get_complaint(session, number)
        if current_decision(complaint) is None:
            raise UsageError(f"complaint #{number} has no decision yet: decide before answering")
        complaint.reply_text = reply
        complaint.answered_at = utcnow()
        complaint.status = ComplaintStatus.ANSWERED
