"""Deciding a complaint, confirming a take-down, and recording that it was answered.

A decision is never changed: deciding again records a revision that supersedes the previous
decision, which stays on record. A take-down decision only says which posts are to go: the posts
become `taken_down` when the owner confirms they were removed (`confirm_takedown`), each one
recorded as a `Takedown`. A revision that no longer takes a post down gives it its status back.
Every change is one transaction and lands in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.complaints.records import get_complaint
from tracker.complaints.views import current_decision
from tracker.db.enums import ComplaintStatus, DecisionAction, DisputeReason, PostStatus
from tracker.db.models import Decision, Post, Takedown
from tracker.db.session import session_scope
from tracker.errors import NotFoundError, UsageError
from tracker.support.dates import utcnow
from tracker.support.userinput import stripped


@dataclass(frozen=True)
class DecisionInput:
    action: DecisionAction
    reason: DisputeReason | None = None
    notes: str | None = None
    """Private: kept on the record and shown to the owner, never put into a reply."""
    reply_note: str | None = None
    """The sentence meant for the complainant (it goes into the reply)."""
    post_ids: tuple[int, ...] = ()


def decide(factory: sessionmaker[Session], number: int, choice: DecisionInput) -> int:
    """Record a decision (or a revision of the one in force); returns the decision's id.

    A take-down names the posts to remove; they are marked taken down once the owner confirms
    the removal. A dispute needs a reason. A revision keeps the earlier decision and links to it,
    and gives every post an earlier take-down removed, and this decision no longer takes down,
    its status back; the complaint needs answering again unless withdrawn.
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
            reply_note=stripped(choice.reply_note),
            post_ids=post_ids,
            supersedes_id=previous.id if previous else None,
            decided_at=utcnow(),
        )
        complaint.decisions.append(decision)
        still_down = set(post_ids) if choice.action is DecisionAction.TAKE_DOWN else set()
        _restore(complaint.decisions, still_down)
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


def _restore(decisions: list[Decision], still_down: set[int]) -> None:
    """Give back their status to posts earlier take-downs removed that are no longer to be down."""
    now = utcnow()
    for earlier in decisions:
        for done in earlier.takedowns:
            if done.restored_at is not None or done.post_id in still_down:
                continue
            if done.post.status is PostStatus.TAKEN_DOWN:
                done.post.status = PostStatus(done.status_before)
                done.post.status_changed_at = now
            done.restored_at = now


def confirm_takedown(factory: sessionmaker[Session], number: int, post_ids: tuple[int, ...] = ()) -> list[int]:
    """Record that the posts of the take-down in force were removed (all of them, or `post_ids`).

    Each post still live becomes `taken_down` and gets a `Takedown` row; returns their ids.
    """
    with session_scope(factory, command="complaint confirm") as session:
        complaint = get_complaint(session, number)
        decision = current_decision(complaint)
        if decision is None or decision.action is not DecisionAction.TAKE_DOWN:
            raise UsageError(f"complaint #{number} has no take-down in force: nothing to confirm")
        wanted = list(dict.fromkeys(post_ids)) or list(decision.post_ids)
        outside = set(wanted) - set(decision.post_ids)
        if outside:
            raise UsageError(f"post #{min(outside)} is not one the take-down names")
        confirmed = {done.post_id for done in decision.takedowns}
        posts = session.scalars(select(Post).where(Post.id.in_(wanted)).order_by(Post.id)).all()
        now = utcnow()
        changed = []
        for post in posts:
            if post.id in confirmed or post.status is not PostStatus.LIVE:
                continue
            decision.takedowns.append(Takedown(post=post, confirmed_at=now, status_before=post.status.value))
            post.status = PostStatus.TAKEN_DOWN
            post.status_changed_at = now
            changed.append(post.id)
        if not changed:
            raise UsageError(f"the posts of complaint #{number}'s take-down are all marked removed already")
        return changed
