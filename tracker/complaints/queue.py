"""Never losing track of a complaint: what still needs an answer, by deadline, and what is overdue.

A complaint is *unanswered* while its status is `open` or `decided` (no reply sent yet), and
*overdue* when it is unanswered past its deadline; `due_soon` names those due today and tomorrow
(`tracker status`, the dashboard's banner), so a deadline is seen before it passes. The queue is
read in SQLAlchemy Core over `db.schema` (one query for the complaints, one for the posts they
name), so `tracker status`, a cron job, answers without loading the ORM; the functions take a
Connection or a Session alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection, Select, case, func, select

from tracker.complaints.deadlines import ends_its_day
from tracker.db.enums import UNANSWERED, Channel, ComplaintStatus, DecisionAction, LegalBasis, PostStatus
from tracker.db.schema import complaint, complaint_post, decision, persona, post
from tracker.support.dates import iso, local_minute, local_zone, start_of_local_day, utcnow
from tracker.support.words import counted

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    Database = Connection | Session


class ComplaintLike(Protocol):
    """What the queue reads of a complaint: a `ComplaintSummary`, or an ORM `Complaint`."""

    @property
    def id(self) -> int: ...
    @property
    def status(self) -> ComplaintStatus: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def deadline_at(self) -> datetime | None: ...
    @property
    def answered_at(self) -> datetime | None: ...
    @property
    def channel(self) -> Channel: ...
    @property
    def legal_basis(self) -> LegalBasis: ...
    @property
    def platform(self) -> str | None: ...
    @property
    def ticket_id(self) -> str | None: ...
    @property
    def complainant_name(self) -> str | None: ...
    @property
    def complainant_org(self) -> str | None: ...
    @property
    def persona_name(self) -> str | None: ...
    @property
    def post_ids(self) -> list[int]: ...


@dataclass(frozen=True)
class ComplaintSummary:
    """One complaint as the queue lists it: who, what basis, when, which posts (not the message)."""

    id: int
    status: ComplaintStatus
    received_at: datetime
    deadline_at: datetime | None
    answered_at: datetime | None
    channel: Channel
    legal_basis: LegalBasis
    platform: str | None
    ticket_id: str | None
    complainant_name: str | None
    complainant_org: str | None
    persona_name: str | None
    post_ids: list[int] = field(default_factory=list)
    """The posts the complaint names, in the order it named them."""


@dataclass(frozen=True)
class Overdue:
    """The summary `tracker status` and the dashboard header show."""

    unanswered: int
    overdue: int
    oldest_overdue: datetime | None
    """Deadline of the longest-overdue complaint."""

    def line(self) -> str:
        if self.overdue:
            return f"{counted(self.overdue, 'complaint')} OVERDUE, {self.unanswered} unanswered in all"
        if self.unanswered:
            return f"{counted(self.unanswered, 'complaint')} unanswered, none overdue"
        return "no unanswered complaints"


def is_overdue(found: ComplaintLike, now: datetime | None = None) -> bool:
    """Unanswered, and its deadline has passed: a deadline given as a day once that day has ended (on the
    day itself it is due, not overdue), one with a time of day (明日の17時まで, or the default: so many days
    after it arrived) once that time has passed."""
    return found.status in UNANSWERED and found.deadline_at is not None and found.deadline_at < (now or utcnow())


@dataclass(frozen=True)
class DueSoon:
    """The unanswered complaints whose deadline is today or tomorrow (local days), by number."""

    today: list[int] = field(default_factory=list)
    tomorrow: list[int] = field(default_factory=list)
    within_a_day: list[int] = field(default_factory=list)
    """Due in the next 24 hours, today's and tomorrow's alike (`tracker status` exits 3 for these): a
    deadline at 01:00 tomorrow is as pressing tonight as one at 23:00 today."""
    times: dict[int, str] = field(default_factory=dict)
    """The local time with its zone (`01:00 JST`) of a deadline that is not the end of its day."""

    def line(self) -> str | None:
        """`1 due today (#5), 1 due tomorrow (#4 at 01:00 JST)`, or None when nothing is due soon."""
        parts = [
            f"{len(ids)} due {when} ({', '.join(self._number(n) for n in ids)})"
            for when, ids in (("today", self.today), ("tomorrow", self.tomorrow))
            if ids
        ]
        return ", ".join(parts) or None

    def _number(self, n: int) -> str:
        return f"#{n} at {self.times[n]}" if n in self.times else f"#{n}"


def _next_local_day(start: datetime) -> datetime:
    """The start of the local day after the one starting at `start` (36 hours on lands in it, DST or not)."""
    return start_of_local_day(start + timedelta(hours=36))


def due_soon(complaints: Iterable[ComplaintLike], now: datetime | None = None) -> DueSoon:
    """Which of `complaints` (e.g. `open_complaints`) are unanswered and due today or tomorrow.

    Due today: the deadline falls later today (once it has passed, the complaint is overdue instead);
    due tomorrow: any time tomorrow. `tracker status` and the dashboard's banner name these, so a
    deadline is seen before it passes, not after.
    """
    now = now or utcnow()
    today = start_of_local_day(now)
    tomorrow = _next_local_day(today)
    after = _next_local_day(tomorrow)
    found = DueSoon()
    for c in complaints:
        if c.status not in UNANSWERED or c.deadline_at is None:
            continue
        if now <= c.deadline_at < tomorrow:
            found.today.append(c.id)
        elif tomorrow <= c.deadline_at < after:
            found.tomorrow.append(c.id)
        else:
            continue
        if c.deadline_at < now + timedelta(days=1):
            found.within_a_day.append(c.id)
        if ends_its_day(c.deadline_at) is False:
            found.times[c.id] = f"{local_minute(c.deadline_at)[-5:]} {local_zone(c.deadline_at)}"
    return found


def overdue_summary(db: Database, now: datetime | None = None) -> Overdue:
    """How many complaints are unanswered, how many overdue, and the oldest overdue deadline (one query)."""
    late = complaint.c.deadline_at.is_not(None) & (complaint.c.deadline_at < (now or utcnow()))
    unanswered, overdue, oldest = db.execute(
        select(
            func.count(complaint.c.id),
            func.coalesce(func.sum(case((late, 1), else_=0)), 0),
            func.min(case((late, complaint.c.deadline_at), else_=None)),
        ).where(complaint.c.status.in_(UNANSWERED))
    ).one()
    if isinstance(oldest, str):  # SQLite returns aggregates of a typed column untyped
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return Overdue(int(unanswered), int(overdue), oldest)


def _summaries(db: Database, query: Select[tuple[object, ...]]) -> list[ComplaintSummary]:
    rows = db.execute(query).all()
    named: dict[int, list[int]] = {}
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 1000):
        links = select(complaint_post.c.complaint_id, complaint_post.c.post_id).where(
            complaint_post.c.complaint_id.in_(ids[start : start + 1000])
        )
        for complaint_id, post_id in db.execute(links.order_by(complaint_post.c.id)):
            named.setdefault(complaint_id, []).append(post_id)
    return [ComplaintSummary(**row._mapping, post_ids=named.get(row.id, [])) for row in rows]


def _listing() -> Select[tuple[object, ...]]:
    c = complaint.c
    return select(
        c.id,
        c.status,
        c.received_at,
        c.deadline_at,
        c.answered_at,
        c.channel,
        c.legal_basis,
        c.platform,
        c.ticket_id,
        c.complainant_name,
        c.complainant_org,
        persona.c.name.label("persona_name"),
    ).outerjoin(persona, persona.c.id == c.persona_id)


def open_complaints(db: Database, limit: int = 1000) -> list[ComplaintSummary]:
    """Unanswered complaints, overdue first (longest overdue first), then by deadline and age."""
    c = complaint.c
    query = (
        _listing()
        .where(c.status.in_(UNANSWERED))
        .order_by(c.deadline_at.is_(None), c.deadline_at, c.received_at, c.id)
        .limit(limit)
    )
    return _summaries(db, query)


def complaints_by_id(db: Database, ids: Iterable[int]) -> list[ComplaintSummary]:
    """The complaints with these numbers (those that exist), oldest received first."""
    c = complaint.c
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return _summaries(db, _listing().where(c.id.in_(wanted)).order_by(c.received_at, c.id))


def recent_complaints(db: Database, limit: int = 50) -> list[ComplaintSummary]:
    """Answered and closed complaints, newest first."""
    c = complaint.c
    query = _listing().where(c.status.not_in(UNANSWERED)).order_by(c.received_at.desc(), c.id.desc()).limit(limit)
    return _summaries(db, query)


def overdue_complaints(db: Database, now: datetime | None = None) -> list[ComplaintSummary]:
    """The overdue complaints, longest overdue first."""
    now = now or utcnow()
    return [found for found in open_complaints(db) if is_overdue(found, now)]


def summary_dict(complaint: ComplaintLike, now: datetime) -> dict[str, Any]:
    """What `complaint list` shows of one complaint."""
    return {
        "id": complaint.id,
        "status": complaint.status.value,
        "overdue": is_overdue(complaint, now),
        "received_at": iso(complaint.received_at),
        "deadline_at": iso(complaint.deadline_at),
        "answered_at": iso(complaint.answered_at),
        "channel": complaint.channel.value,
        "legal_basis": complaint.legal_basis.value,
        "platform": complaint.platform,
        "ticket_id": complaint.ticket_id,
        "complainant_name": complaint.complainant_name,
        "complainant_org": complaint.complainant_org,
        "persona": complaint.persona_name,
        "post_ids": list(complaint.post_ids),
    }


def complainant_label(data: dict[str, Any]) -> str:
    """`name (organisation)` of a complaint's dict view, `unnamed` when no name was given."""
    name = data["complainant_name"] or "unnamed"
    return f"{name} ({data['complainant_org']})" if data["complainant_org"] else name


def promised_takedowns(db: Database) -> list[int]:
    """Answered complaints whose reply promised a take-down that is not done: the decision in force takes
    posts down, and some of them are live (never confirmed removed, or back online since: `records.pending_takedown`).

    The reply is sent, so the complaint no longer waits for an answer; but the promise does, and
    `tracker status` and the dashboard keep naming it until the posts are confirmed removed.
    """
    newest = select(func.max(decision.c.id)).group_by(decision.c.complaint_id)
    rows = db.execute(
        select(decision.c.id, decision.c.complaint_id, decision.c.post_ids)
        .join(complaint, complaint.c.id == decision.c.complaint_id)
        .where(
            decision.c.id.in_(newest),
            decision.c.action == DecisionAction.TAKE_DOWN,
            complaint.c.status == ComplaintStatus.ANSWERED,
        )
        .order_by(decision.c.complaint_id)
    ).all()
    if not rows:
        return []
    wanted = {int(p) for row in rows for p in (row.post_ids or [])}
    live = set(db.scalars(select(post.c.id).where(post.c.id.in_(sorted(wanted)), post.c.status == PostStatus.LIVE)))
    return [int(row.complaint_id) for row in rows if any(int(p) in live for p in (row.post_ids or []))]
