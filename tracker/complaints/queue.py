"""Never losing track of a complaint: what still needs an answer, by deadline, and what is overdue.

A complaint is *unanswered* while its status is `open` or `decided` (no reply sent yet), and
*overdue* when it is unanswered past its deadline; `due_soon` names those due today and tomorrow
(`tracker status`, the dashboard's banner), so a deadline is seen before it passes. The queue is
read as SQL text (`db.plain`: one query for the complaints, one for the posts they name), so
`tracker status`, a cron job or a login script, answers without loading SQLAlchemy at all on a
SQLite file at this revision (`db.quick`); the functions take that connection, a SQLAlchemy
Connection or a Session alike, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from tracker.complaints.deadlines import ends_its_day
from tracker.db.enums import UNANSWERED, Channel, ComplaintStatus, DecisionAction, LegalBasis, PostStatus
from tracker.db.plain import Readable, Row, chunks, fetch_all, fetch_one, in_list, stored_json, stored_time
from tracker.support.dates import iso, local_minute, local_zone, start_of_local_day, utcnow
from tracker.support.words import counted

Database = Readable
"""What the queue reads on: a `db.quick` connection, a SQLAlchemy Connection or an ORM Session."""


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
    def complainant_contact(self) -> str | None: ...
    @property
    def persona_name(self) -> str | None: ...
    @property
    def post_ids(self) -> list[int]: ...
    @property
    def sent_utc_offset(self) -> int | None: ...


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
    sent_utc_offset: int | None = None
    """The sender's UTC offset (minutes): their day is said beside this machine's where it is another
    (`dates.on_both_clocks`)."""
    complainant_contact: str | None = None
    """Their e-mail, address or handle: what names a sender who gave no name (`unnamed_sender`)."""


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


_UNANSWERED = in_list("status", [status.value for status in UNANSWERED])
"""`(:status_0, :status_1)` and its parameters: the statuses of a complaint that waits for an answer."""


def overdue_summary(db: Database, now: datetime | None = None) -> Overdue:
    """How many complaints are unanswered, how many overdue, and the oldest overdue deadline (one query)."""
    listed, params = _UNANSWERED
    rows = fetch_all(db, f"SELECT deadline_at FROM complaint WHERE status IN {listed}", params)
    now = now or utcnow()
    late = [d for (value,) in rows if (d := stored_time(value)) is not None and d < now]
    return Overdue(len(rows), len(late), min(late, default=None))


def change_mark(db: Database) -> Row | None:
    """A mark that changes whenever a record is logged, changed or deleted (the newest audit entry, `db.audit`) or a
    complaint comes or goes: one cheap query, so that a screen left open can ask every few seconds whether another
    process (`tracker complaint add` in the next terminal) wrote something, and read the queue again only then."""
    return fetch_one(db, "SELECT (SELECT max(id) FROM event), (SELECT count(*) FROM complaint)")


_LISTING = (
    "SELECT c.id, c.status, c.received_at, c.deadline_at, c.answered_at, c.channel, c.legal_basis, c.platform, "
    "c.ticket_id, c.complainant_name, c.complainant_org, p.name, c.sent_utc_offset, c.complainant_contact "
    "FROM complaint c LEFT OUTER JOIN persona p ON p.id = c.persona_id"
)
"""The columns of a `ComplaintSummary`, in its order."""


def _summaries(db: Database, rows: list[Row]) -> list[ComplaintSummary]:
    named: dict[int, list[int]] = {}
    for part in chunks([int(row[0]) for row in rows]):
        listed, params = in_list("id", part)
        links = f"SELECT complaint_id, post_id FROM complaint_post WHERE complaint_id IN {listed} ORDER BY id"
        for complaint_id, post_id in fetch_all(db, links, params):
            named.setdefault(int(complaint_id), []).append(int(post_id))
    return [
        ComplaintSummary(
            id=int(row[0]),
            status=ComplaintStatus(row[1]),
            received_at=_time(row[2]),
            deadline_at=stored_time(row[3]),
            answered_at=stored_time(row[4]),
            channel=Channel(row[5]),
            legal_basis=LegalBasis(row[6]),
            platform=row[7],
            ticket_id=row[8],
            complainant_name=row[9],
            complainant_org=row[10],
            persona_name=row[11],
            post_ids=named.get(int(row[0]), []),
            sent_utc_offset=None if row[12] is None else int(row[12]),
            complainant_contact=row[13],
        )
        for row in rows
    ]


def _time(value: str | datetime) -> datetime:
    moment = stored_time(value)
    assert moment is not None  # a NOT NULL column
    return moment


def open_complaints(db: Database, limit: int = 1000) -> list[ComplaintSummary]:
    """Unanswered complaints, overdue first (longest overdue first), then by deadline and age."""
    listed, params = _UNANSWERED
    order = "(c.deadline_at IS NULL), c.deadline_at, c.received_at, c.id"
    rows = fetch_all(
        db, f"{_LISTING} WHERE c.status IN {listed} ORDER BY {order} LIMIT :limit", {**params, "limit": limit}
    )
    return _summaries(db, rows)


def complaints_by_id(db: Database, ids: Iterable[int]) -> list[ComplaintSummary]:
    """The complaints with these numbers (those that exist), oldest received first."""
    rows: list[Row] = []
    for part in chunks(sorted(set(ids))):
        listed, params = in_list("id", part)
        rows += fetch_all(db, f"{_LISTING} WHERE c.id IN {listed}", params)
    found = _summaries(db, rows)
    return sorted(found, key=lambda c: (c.received_at, c.id))


def recent_complaints(db: Database, limit: int = 50) -> list[ComplaintSummary]:
    """Answered and closed complaints, newest first."""
    listed, params = _UNANSWERED
    order = "c.received_at DESC, c.id DESC"
    query = f"{_LISTING} WHERE c.status NOT IN {listed} ORDER BY {order} LIMIT :limit"
    return _summaries(db, fetch_all(db, query, {**params, "limit": limit}))


def summary_dict(complaint: ComplaintLike, now: datetime) -> dict[str, Any]:
    """What `complaint list` shows of one complaint."""
    return {
        "id": complaint.id,
        "status": complaint.status.value,
        "overdue": is_overdue(complaint, now),
        "received_at": iso(complaint.received_at),
        "sent_utc_offset": complaint.sent_utc_offset,
        "deadline_at": iso(complaint.deadline_at),
        "answered_at": iso(complaint.answered_at),
        "channel": complaint.channel.value,
        "legal_basis": complaint.legal_basis.value,
        "platform": complaint.platform,
        "ticket_id": complaint.ticket_id,
        "complainant_name": complaint.complainant_name,
        "complainant_org": complaint.complainant_org,
        "complainant_contact": complaint.complainant_contact,
        "persona": complaint.persona_name,
        "post_ids": list(complaint.post_ids),
    }


UNNAMED = "unnamed"
"""A complaint's sender who gave no name, no organisation, no contact and no platform's ticket."""


def unnamed_sender(contact: str | None, platform: str | None, ticket_id: str | None) -> str:
    """What tells apart a complaint naming neither a person nor an organisation: their contact address
    (`takedown@example.org`), else the platform's notice and its number (`pixiv notice #PX-1`, `ticket #T-1` with
    no platform recorded), else `unnamed`. `complaint list`, `tracker status` and the TUI's tables all say it."""
    if contact and contact.strip():
        return contact.strip()
    if ticket_id and (number := ticket_id.strip().lstrip("#").strip()):
        return f"{platform} notice #{number}" if platform else f"ticket #{number}"
    return UNNAMED


def complainant_label(data: dict[str, Any]) -> str:
    """`name (organisation)` of a complaint's dict view; the organisation alone when no person is named (a Japanese
    company's name starts with 株式会社: `unnamed (株式会社ムーン…` cut the part that tells it); when neither was
    given, their contact or the platform's notice (`unnamed_sender`)."""
    name, org = data["complainant_name"], data["complainant_org"]
    if name and org:
        return f"{name} ({org})"
    return name or org or unnamed_sender(data.get("complainant_contact"), data.get("platform"), data.get("ticket_id"))


def promised_takedowns(db: Database) -> list[int]:
    """Answered complaints whose reply promised a take-down that is not done: the decision in force takes
    posts down, and some of them are live (never confirmed removed, or back online since: `stored.pending_takedown`).

    The reply is sent, so the complaint no longer waits for an answer; but the promise does, and
    `tracker status` and the dashboard keep naming it until the posts are confirmed removed.
    """
    rows = _answered_with(db, DecisionAction.TAKE_DOWN)
    promised = [(int(complaint_id), [int(p) for p in stored_json(post_ids) or []]) for complaint_id, post_ids in rows]
    live: set[int] = set()
    for part in chunks(sorted({p for _, posts in promised for p in posts})):
        listed, params = in_list("id", part)
        query = f"SELECT id FROM post WHERE id IN {listed} AND status = :live"
        live.update(int(row[0]) for row in fetch_all(db, query, {**params, "live": PostStatus.LIVE.value}))
    return [complaint_id for complaint_id, posts in promised if any(p in live for p in posts)]


def awaiting_answers(db: Database) -> list[int]:
    """Answered complaints whose reply asked the sender for more (the decision in force is `ask_info`).

    Nothing is owed by the owner, so they are not unanswered; but the complaint is not over either: the
    sender may come back with what was asked (a lawyer's notice, say). `tracker status` and the dashboard
    name them, so that a reply to the questions is expected, not forgotten; a new decision ends the wait (the
    one their answer leads to, or `withdrawn` when they let it drop).
    """
    return [int(row[0]) for row in _answered_with(db, DecisionAction.ASK_INFO)]


def _answered_with(db: Database, action: DecisionAction) -> list[Row]:
    """(complaint id, post ids) of the answered complaints whose decision in force is `action`, by number."""
    return fetch_all(
        db,
        "SELECT d.complaint_id, d.post_ids FROM decision d JOIN complaint c ON c.id = d.complaint_id "
        "WHERE d.id IN (SELECT max(id) FROM decision GROUP BY complaint_id) AND d.action = :action "
        "AND c.status = :answered ORDER BY d.complaint_id",
        {"action": action.value, "answered": ComplaintStatus.ANSWERED.value},
    )
