"""One complaint as `tracker complaint show` reads it: its row, the posts and images it names, its decisions
with their take-downs, its audit trail, and the posts of its take-down still live (`complaint reply` reads its
row, posts and decisions here too, and the rest of what the letter says in `letter_facts`).

Read as SQL text (`db.plain`), so `complaint show` on a SQLite file at this tracker's revision reads
through the standard library's driver (`db.quick`) and loads no SQLAlchemy (half a second, far
longer than the reading); on any other database the same SQL runs on the engine's connection, and
`pending_takedown` on an ORM session too (`complaint confirm`, `complaint decide`, the TUI).
The rows become small dataclasses with the attributes the views read of the ORM's objects
(`views.StoredComplaint` and its parts), so `views.complaint_dict` shapes both, as `posts.record`
does for `tracker show`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.complaints.views import StoredComplaint, current_decision
from tracker.db.enums import Channel, ComplaintStatus, DecisionAction, DisputeReason, LegalBasis, PostStatus
from tracker.db.plain import (
    Readable,
    Row,
    chunks,
    fetch_all,
    fetch_one,
    in_list,
    stored_json,
    stored_moment,
    stored_time,
)
from tracker.errors import NotFoundError
from tracker.posts.events import EVENT_COLUMNS, EventRow, event_dict, event_row


@dataclass(frozen=True)
class LinkedPostRow:
    """A post the complaint names (`views.LinkedPost`)."""

    id: int
    url: str
    platform: str
    status: PostStatus


@dataclass(frozen=True)
class NamedPost:
    """The link to a post the complaint names, and how it named it (`views.StoredLink`)."""

    post_id: int
    reference: str
    post: LinkedPostRow


@dataclass(frozen=True)
class KeptImage:
    """An image the complainant sent, as archived (`views.StoredComplaintImage`)."""

    sha256: str
    original_name: str
    format: str
    width: int
    height: int
    size_bytes: int
    archive_path: str
    plain_colour: bool | None
    frames: int | None


@dataclass(frozen=True)
class TakedownRow:
    """A post of a take-down confirmed removed (`views.StoredTakedown`)."""

    post_id: int
    confirmed_at: datetime
    status_before: str
    restored_at: datetime | None


@dataclass(frozen=True)
class DecisionRow:
    """One decision and its confirmed take-downs (`views.StoredDecision`)."""

    id: int
    decided_at: datetime
    action: DecisionAction
    reason: DisputeReason | None
    notes: str | None
    reply_note: str | None
    post_ids: list[int]
    supersedes_id: int | None
    takedowns: list[TakedownRow]


@dataclass(frozen=True)
class ComplaintRecord:
    """Everything `complaint show` reads of a complaint (`views.StoredComplaint`), before it becomes its dict."""

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
    complainant_role: str | None
    complainant_contact: str | None
    claimed_title: str | None
    claimed_description: str | None
    claimed_urls: list[str]
    message: str | None
    completeness: dict[str, bool | None]
    reply_text: str | None
    language: str | None
    sent_utc_offset: int | None
    persona_name: str | None
    persona_id: int | None
    named_posts: list[NamedPost]
    images: list[KeptImage]
    decisions: list[DecisionRow]

    @property
    def post_ids(self) -> list[int]:
        """The posts the complaint names, in the order it named them."""
        return [link.post_id for link in self.named_posts]


_COMPLAINT_SQL = """
SELECT c.id, c.status, c.received_at, c.deadline_at, c.answered_at, c.channel, c.legal_basis, c.platform,
       c.ticket_id, c.complainant_name, c.complainant_org, c.complainant_role, c.complainant_contact,
       c.claimed_title, c.claimed_description, c.claimed_urls, c.message, c.completeness, c.reply_text,
       c.language, c.sent_utc_offset, p.name, c.persona_id
FROM complaint AS c LEFT OUTER JOIN persona AS p ON p.id = c.persona_id
WHERE c.id = :id
"""


def read_complaint(db: Readable, number: int) -> ComplaintRecord:
    """Complaint `number` with the posts and images it names and its decisions (`NotFoundError` if none)."""
    row = fetch_one(db, _COMPLAINT_SQL, {"id": number})
    if row is None:
        raise NotFoundError(f"no complaint #{number}")
    return ComplaintRecord(
        id=row[0],
        status=ComplaintStatus(row[1]),
        received_at=stored_moment(row[2]),
        deadline_at=stored_time(row[3]),
        answered_at=stored_time(row[4]),
        channel=Channel(row[5]),
        legal_basis=LegalBasis(row[6]),
        platform=row[7],
        ticket_id=row[8],
        complainant_name=row[9],
        complainant_org=row[10],
        complainant_role=row[11],
        complainant_contact=row[12],
        claimed_title=row[13],
        claimed_description=row[14],
        claimed_urls=stored_json(row[15]) or [],
        message=row[16],
        completeness=stored_json(row[17]) or {},
        reply_text=row[18],
        language=row[19],
        sent_utc_offset=row[20],
        persona_name=row[21],
        persona_id=row[22],
        named_posts=_named_posts(db, number),
        images=_images(db, number),
        decisions=_decisions(db, number),
    )


def _named_posts(db: Readable, number: int) -> list[NamedPost]:
    rows = fetch_all(
        db,
        "SELECT l.post_id, l.reference, p.url, p.platform, p.status FROM complaint_post AS l"
        " JOIN post AS p ON p.id = l.post_id WHERE l.complaint_id = :id ORDER BY l.id",
        {"id": number},
    )
    return [
        NamedPost(post_id, reference, LinkedPostRow(post_id, url, platform, PostStatus(status)))
        for post_id, reference, url, platform, status in rows
    ]


def _images(db: Readable, number: int) -> list[KeptImage]:
    rows = fetch_all(
        db,
        "SELECT sha256, original_name, format, width, height, size_bytes, archive_path, plain_colour, frames"
        " FROM complaint_image WHERE complaint_id = :id ORDER BY id",
        {"id": number},
    )
    return [
        KeptImage(sha, name, kind, width, height, size, path, None if plain is None else bool(plain), frames)
        for sha, name, kind, width, height, size, path, plain, frames in rows
    ]


def _decisions(db: Readable, number: int) -> list[DecisionRow]:
    rows = fetch_all(
        db,
        "SELECT id, decided_at, action, reason, notes, reply_note, post_ids, supersedes_id FROM decision"
        " WHERE complaint_id = :id ORDER BY id",
        {"id": number},
    )
    done = _takedowns(db, number)
    return [_decision(row, done.get(row[0], [])) for row in rows]


def _decision(row: Row, takedowns: list[TakedownRow]) -> DecisionRow:
    decision_id, decided_at, action, reason, notes, reply_note, post_ids, supersedes_id = row
    return DecisionRow(
        id=decision_id,
        decided_at=stored_moment(decided_at),
        action=DecisionAction(action),
        reason=DisputeReason(reason) if reason else None,
        notes=notes,
        reply_note=reply_note,
        post_ids=stored_json(post_ids) or [],
        supersedes_id=supersedes_id,
        takedowns=takedowns,
    )


def _takedowns(db: Readable, number: int) -> dict[int, list[TakedownRow]]:
    """{decision id: its take-downs, oldest first} of the complaint's decisions."""
    rows = fetch_all(
        db,
        "SELECT t.decision_id, t.post_id, t.confirmed_at, t.status_before, t.restored_at FROM takedown AS t"
        " JOIN decision AS d ON d.id = t.decision_id WHERE d.complaint_id = :id ORDER BY t.id",
        {"id": number},
    )
    found: dict[int, list[TakedownRow]] = {}
    for decision_id, post_id, confirmed_at, before, restored_at in rows:
        row = TakedownRow(post_id, stored_moment(confirmed_at), before, stored_time(restored_at))
        found.setdefault(decision_id, []).append(row)
    return found


def pending_takedown(db: Readable, complaint: StoredComplaint) -> list[int]:
    """The posts the take-down in force names that are live: not yet removed, or back online since
    (marked live again after their removal was confirmed: the take-down is owed again)."""
    decision = current_decision(complaint)
    if decision is None or decision.action is not DecisionAction.TAKE_DOWN:
        return []
    waiting = list(decision.post_ids)
    live: set[int] = set()
    for part in chunks(sorted(set(waiting))):
        listed, params = in_list("id", part)
        query = f"SELECT id FROM post WHERE id IN {listed} AND status = :live"
        live.update(int(row[0]) for row in fetch_all(db, query, {**params, "live": PostStatus.LIVE.value}))
    return [post_id for post_id in waiting if post_id in live]


LINKS = ("complaint_post", "complaint_image")
"""The records that tie a post or an image to a complaint: theirs when their `complaint_id` is its number."""

_EVENTS_SQL = f"""
SELECT {EVENT_COLUMNS} FROM event
WHERE (entity = 'complaint' AND entity_id = :id)
   OR (entity = 'decision' AND entity_id IN (SELECT id FROM decision WHERE complaint_id = :id))
   OR (entity = 'takedown' AND entity_id IN
       (SELECT t.id FROM takedown AS t JOIN decision AS d ON d.id = t.decision_id WHERE d.complaint_id = :id))
   OR entity IN ('{LINKS[0]}', '{LINKS[1]}')
   OR command LIKE :command
ORDER BY id
"""


def _names(changes: dict[str, Any] | None, number: int) -> bool:
    """Whether an entry about a link is one of this complaint's (its `complaint_id`, old or new)."""
    return number in (changes or {}).get("complaint_id", [])


def complaint_event_rows(db: Readable, number: int) -> list[EventRow]:
    """Every audit entry about complaint `number`, oldest first: its own, its links', its decisions' and
    take-downs', and the ones a command about it wrote (`complaint confirm #3` marking a post removed)."""
    rows = [event_row(row) for row in fetch_all(db, _EVENTS_SQL, {"id": number, "command": f"complaint % #{number}"})]
    return [e for e in rows if e.entity not in LINKS or _names(e.changes, number)]


def history_dicts(db: Readable, number: int) -> list[dict[str, Any]]:
    """Complaint `number`'s audit trail (`complaint_event_rows`), each entry as `tracker show POST --json` gives
    a post's: the `history` of `complaint show --json`."""
    return [event_dict(event) for event in complaint_event_rows(db, number)]
