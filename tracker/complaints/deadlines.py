"""Never losing track of a complaint: which are unanswered, which are overdue, and the one-line summary
`tracker status` and the dashboard show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tracker.db.models import (
    Complaint,
    ComplaintStatus,
)
from tracker.support.dates import utcnow

UNANSWERED = (ComplaintStatus.OPEN, ComplaintStatus.DECIDED)
"""The statuses of a complaint that still needs an answer."""


@dataclass(frozen=True)
class Overdue:
    """The summary `tracker status` and the dashboard header show."""

    unanswered: int
    overdue: int
    oldest_overdue: datetime | None
    """Deadline of the longest-overdue complaint."""

    def line(self) -> str:
        if self.overdue:
            return f"{self.overdue} complaint(s) OVERDUE, {self.unanswered} unanswered in all"
        if self.unanswered:
            return f"{self.unanswered} complaint(s) unanswered, none overdue"
        return "no unanswered complaints"


def overdue_summary(session: Session, now: datetime | None = None) -> Overdue:
    now = now or utcnow()
    is_overdue = (Complaint.deadline_at.is_not(None)) & (Complaint.deadline_at < now)
    unanswered, overdue, oldest = session.execute(
        select(
            func.count(Complaint.id),
            func.coalesce(func.sum(case((is_overdue, 1), else_=0)), 0),
            func.min(case((is_overdue, Complaint.deadline_at), else_=None)),
        ).where(Complaint.status.in_(UNANSWERED))
    ).one()
    if isinstance(oldest, str):  # SQLite returns aggregates of a typed column untyped
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return Overdue(int(unanswered), int(overdue), oldest)


def is_overdue(complaint: Complaint, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return complaint.status in UNANSWERED and complaint.deadline_at is not None and complaint.deadline_at < now
