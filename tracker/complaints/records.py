"""Complaint records: finding a complaint with everything it holds, and setting its reply language.

Every change is one transaction and lands in the audit trail (`db.audit`). A complaint is
*unanswered* while its status is `open` or `decided` (no reply sent yet), and *overdue* when it is
unanswered past its deadline (`complaints.queue`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from tracker.complaints.views import current_decision
from tracker.db.enums import DecisionAction, PostStatus
from tracker.db.models import Complaint, ComplaintPost, Decision, Post
from tracker.db.session import session_scope
from tracker.errors import NotFoundError


def get_complaint(session: Session, number: int) -> Complaint:
    complaint = session.scalar(
        select(Complaint)
        .where(Complaint.id == number)
        .options(
            selectinload(Complaint.images),
            selectinload(Complaint.named_posts).selectinload(ComplaintPost.post),
            selectinload(Complaint.decisions).selectinload(Decision.takedowns),
            selectinload(Complaint.persona),
        )
    )
    if complaint is None:
        raise NotFoundError(f"no complaint #{number}")
    return complaint


def set_language(factory: sessionmaker[Session], number: int, language: str | None) -> None:
    """Set the language complaint NUMBER's replies are written in (None: guess it from its text)."""
    with session_scope(factory, command="complaint set") as session:
        get_complaint(session, number).language = language


def pending_takedown(session: Session, complaint: Complaint) -> list[int]:
    """The posts the take-down in force names that are still live and not confirmed removed."""
    decision = current_decision(complaint)
    if decision is None or decision.action is not DecisionAction.TAKE_DOWN:
        return []
    confirmed = {done.post_id for done in decision.takedowns}
    waiting = [post_id for post_id in decision.post_ids if post_id not in confirmed]
    live = set(session.scalars(select(Post.id).where(Post.id.in_(waiting), Post.status == PostStatus.LIVE)))
    return [post_id for post_id in waiting if post_id in live]
