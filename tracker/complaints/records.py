"""Complaint records: logging one that arrived, and finding them again.

Every change is one transaction and lands in the audit trail (`db.audit`). A complaint is
*unanswered* while its status is `open` or `decided` (no reply sent yet), and *overdue* when it is
unanswered past its deadline (`complaints.queue`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.db.models import Complaint, ComplaintPost
from tracker.errors import NotFoundError


def get_complaint(session: Session, number: int) -> Complaint:
    complaint = session.scalar(
        select(Complaint)
        .where(Complaint.id == number)
        .options(
            selectinload(Complaint.images),
            selectinload(Complaint.named_posts).selectinload(ComplaintPost.post),
            selectinload(Complaint.decisions),
            selectinload(Complaint.persona),
        )
    )
    if complaint is None:
        raise NotFoundError(f"no complaint #{number}")
    return complaint
