"""Complaints: logging one, deciding it, answering it, and never losing track of it.

The use cases behind `tracker complaint ...`, `tracker status` and the TUI. Every change is one
transaction and lands in the audit trail (`db.audit`). A decision is never changed: deciding
again records a revision that supersedes the previous decision.

A complaint is *unanswered* while its status is `open` or `decided` (no reply sent yet), and
*overdue* when it is unanswered past its deadline. The default deadline is the owner's own
answer target for the legal basis (`ANSWER_DAYS`), not a legal deadline: set `--deadline` from
the notice or the platform's message when it gives one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from tracker.archive import store as archive
from tracker.archive.refs import referenced_by
from tracker.db.models import (
    Channel,
    Complaint,
    ComplaintImage,
    ComplaintPost,
    ComplaintStatus,
    Decision,
    DecisionAction,
    DisputeReason,
    LegalBasis,
    Persona,
    Post,
    PostStatus,
)
from tracker.db.session import session_scope
from tracker.db.types import utcnow
from tracker.errors import NotFoundError, UsageError
from tracker.metadata.reader import ImageReading, read_image
from tracker.posts.log import find_post
from tracker.posts.platforms import Platform
from tracker.support.settings import Settings

E = TypeVar("E", bound=enum.Enum)
UNANSWERED = (ComplaintStatus.OPEN, ComplaintStatus.DECIDED)

ANSWER_DAYS: dict[LegalBasis, int] = {
    LegalBasis.DMCA: 10,
    LegalBasis.DSA: 14,
    LegalBasis.JAPAN: 7,
    LegalBasis.PLATFORM_RULES: 7,
    LegalBasis.NONE: 14,
}
"""Days from receipt to the default answer deadline. Japan: the 7-day reply period of a platform's
inquiry (意見照会); DMCA: inside the 10-14 business-day restore window of a counter-notice; the
rest: the owner's own promise to answer, kept short on purpose."""

REQUIRED_ELEMENTS: dict[LegalBasis, tuple[tuple[str, str], ...]] = {
    LegalBasis.DMCA: (
        ("signature", "signature of the owner or their agent (512(c)(3)(A)(i))"),
        ("work", "the copyrighted work is identified (ii)"),
        ("location", "the material is identified with its URL (iii)"),
        ("contact", "the complainant's address, phone or email (iv)"),
        ("good_faith", "good-faith statement that the use is not authorised (v)"),
        ("accuracy", "accuracy statement and authority under penalty of perjury (vi)"),
    ),
    LegalBasis.DSA: (
        ("substantiation", "a substantiated explanation of why the content is illegal (Art. 16(2)(a))"),
        ("exact_url", "the exact URL of the content (b)"),
        ("name_email", "the notifier's name and email (c)"),
        ("good_faith", "bona fide statement that the notice is accurate and complete (d)"),
    ),
    LegalBasis.JAPAN: (
        ("location", "the post is identified with its URL"),
        ("right", "the right claimed to be infringed and why"),
        ("contact", "the requester's name and contact"),
    ),
    LegalBasis.PLATFORM_RULES: (),
    LegalBasis.NONE: (),
}
"""The elements a valid notice carries, per legal basis (`../shared/docs/formats-and-platforms.md` B1-B3)."""

CHANNEL_LABELS: dict[Channel, str] = {
    Channel.PLATFORM_FORM: "platform form",
    Channel.EMAIL: "email",
    Channel.DM: "direct message",
    Channel.LETTER: "letter",
    Channel.OTHER: "other",
}
BASIS_LABELS: dict[LegalBasis, str] = {
    LegalBasis.DMCA: "DMCA (US)",
    LegalBasis.DSA: "EU DSA",
    LegalBasis.JAPAN: "Japanese platform law",
    LegalBasis.PLATFORM_RULES: "platform rules",
    LegalBasis.NONE: "none given",
}
ACTION_LABELS: dict[DecisionAction, str] = {
    DecisionAction.TAKE_DOWN: "take down",
    DecisionAction.DISPUTE: "dispute",
    DecisionAction.ASK_INFO: "ask for more information",
    DecisionAction.INVALID: "invalid notice",
    DecisionAction.WITHDRAWN: "withdrawn by the complainant",
}
REASON_LABELS: dict[DisputeReason, str] = {
    DisputeReason.SLIGHT_RESEMBLANCE: "only a slight resemblance",
    DisputeReason.SMALL_PART: "only a small part resembles",
    DisputeReason.INDEPENDENT_CREATION: "independent creation",
    DisputeReason.LICENSED_INPUT: "licensed or own input",
    DisputeReason.NOT_MY_POST: "not my post",
    DisputeReason.OTHER: "other",
}
MAX_IMAGES = 20


@dataclass
class ComplaintInput:
    """Everything the owner types in at intake; only `received_at` has to be right."""

    received_at: datetime
    channel: Channel = Channel.PLATFORM_FORM
    legal_basis: LegalBasis = LegalBasis.NONE
    platform: str | None = None
    ticket_id: str | None = None
    complainant_name: str | None = None
    complainant_org: str | None = None
    complainant_role: str | None = None
    complainant_contact: str | None = None
    claimed_title: str | None = None
    claimed_description: str | None = None
    claimed_urls: list[str] = field(default_factory=list)
    message: str | None = None
    elements: set[str] = field(default_factory=set)
    """Legal elements the owner found in the notice (keys of `REQUIRED_ELEMENTS`)."""
    deadline_at: datetime | None = None
    posts: list[str] = field(default_factory=list)
    """The posts the complaint names: URLs or post numbers."""
    images: list[Path] = field(default_factory=list)
    persona: str | None = None
    """Whose complaint it is, when no named post says so."""


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def default_deadline(basis: LegalBasis, received_at: datetime) -> datetime:
    return received_at + timedelta(days=ANSWER_DAYS[basis])


def completeness(basis: LegalBasis, elements: Iterable[str], has_post_urls: bool, has_contact: bool) -> dict[str, bool]:
    """{element: present} for the basis: ticked elements, plus what the record itself shows
    (a post named by its URL is the location; a contact given is the contact)."""
    ticked = set(elements)
    known = {key for key, _ in REQUIRED_ELEMENTS[basis]}
    unknown = ticked - known
    if unknown:
        allowed = ", ".join(sorted(known)) or "none for this legal basis"
        raise UsageError(f"unknown notice element(s) {', '.join(sorted(unknown))} (allowed: {allowed})")
    if has_post_urls:
        ticked |= {"location", "exact_url"} & known
    if has_contact:
        ticked |= {"contact"} & known
    return {key: key in ticked for key, _ in REQUIRED_ELEMENTS[basis]}


def missing_elements(complaint: Complaint) -> list[str]:
    """Labels of the legal elements the notice lacks."""
    labels = dict(REQUIRED_ELEMENTS.get(complaint.legal_basis, ()))
    return [labels.get(key, key) for key, present in (complaint.completeness or {}).items() if not present]


def _read_images(paths: Sequence[Path]) -> list[ImageReading]:
    if len(paths) > MAX_IMAGES:
        raise UsageError(f"at most {MAX_IMAGES} images per complaint")
    return [read_image(Path(p)) for p in paths]


def add_complaint(
    factory: sessionmaker[Session], settings: Settings, data: ComplaintInput, platforms: Mapping[str, Platform]
) -> int:
    """Log a complaint with its images and named posts, in one transaction; returns its number.

    Every image is read and every named post resolved before anything is written: a file that
    is not an image or a post that is not logged ends the command with nothing kept.
    """
    readings = _read_images(data.images)
    with archive.writing(settings.archive_dir, referenced_by(factory)):
        return _add_complaint(factory, settings, data, platforms, readings)


def _add_complaint(
    factory: sessionmaker[Session],
    settings: Settings,
    data: ComplaintInput,
    platforms: Mapping[str, Platform],
    readings: list[ImageReading],
) -> int:
    created: list[str] = []
    try:
        with session_scope(factory, command="complaint add") as session:
            named = _resolve_posts(session, data.posts, platforms)
            persona = _persona(session, data.persona, [post for _, post in named])
            complaint = Complaint(
                received_at=data.received_at,
                channel=data.channel,
                legal_basis=data.legal_basis,
                platform=_clean(data.platform),
                ticket_id=_clean(data.ticket_id),
                complainant_name=_clean(data.complainant_name),
                complainant_org=_clean(data.complainant_org),
                complainant_role=_clean(data.complainant_role),
                complainant_contact=_clean(data.complainant_contact),
                claimed_title=_clean(data.claimed_title),
                claimed_description=_clean(data.claimed_description),
                claimed_urls=[u.strip() for u in data.claimed_urls if u.strip()],
                message=_clean(data.message),
                completeness=completeness(
                    data.legal_basis,
                    data.elements,
                    any("://" in reference for reference, _ in named),
                    bool(_clean(data.complainant_contact)),
                ),
                deadline_at=data.deadline_at or default_deadline(data.legal_basis, data.received_at),
                status=ComplaintStatus.OPEN,
                persona=persona,
            )
            session.add(complaint)
            for reference, post in named:
                complaint.named_posts.append(ComplaintPost(post=post, reference=reference))
            seen: set[str] = set()
            for reading in readings:
                if reading.sha256 in seen:
                    continue
                seen.add(reading.sha256)
                rel, new = archive.store(settings.archive_dir, reading.sha256, reading.format, reading.data)
                if new:
                    created.append(rel)
                complaint.images.append(
                    ComplaintImage(
                        sha256=reading.sha256,
                        archive_path=rel,
                        original_name=reading.path.name,
                        format=reading.format,
                        width=reading.width,
                        height=reading.height,
                        size_bytes=len(reading.data),
                    )
                )
            session.flush()
            number = complaint.id
    except BaseException:
        for rel in created:
            archive.remove(settings.archive_dir, rel)
        raise
    return number


def _resolve_posts(
    session: Session, references: Sequence[str], platforms: Mapping[str, Platform]
) -> list[tuple[str, Post]]:
    found: list[tuple[str, Post]] = []
    ids: set[int] = set()
    for reference in references:
        reference = reference.strip()
        if not reference:
            continue
        try:
            post = find_post(session, reference, platforms)
        except NotFoundError:
            raise NotFoundError(f"{reference!r} matches no logged post (give its URL or its number)") from None
        if post.id not in ids:
            ids.add(post.id)
            found.append((reference, post))
    return found


def _persona(session: Session, name: str | None, posts: Sequence[Post]) -> Persona | None:
    owners = list(dict.fromkeys(post.account.persona.name for post in posts))
    if len(owners) > 1:
        raise UsageError(f"the named posts belong to different personas ({', '.join(owners)}): log one complaint each")
    if owners and name and name.strip() and name.strip() != owners[0]:
        raise UsageError(f"the named posts belong to persona {owners[0]!r}, not {name.strip()!r}")
    if posts:
        return posts[0].account.persona
    if name and name.strip():
        persona = session.scalar(select(Persona).where(Persona.name == name.strip()))
        if persona is None:
            raise NotFoundError(f"no persona {name.strip()!r}")
        return persona
    return None


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


def current_decision(complaint: Complaint) -> Decision | None:
    """The decision in force: the newest one (each supersedes the one before)."""
    return complaint.decisions[-1] if complaint.decisions else None


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
            notes=_clean(choice.notes),
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


def open_complaints(session: Session, limit: int = 1000) -> list[Complaint]:
    """Unanswered complaints, overdue first (longest overdue first), then by deadline and age."""
    query = (
        select(Complaint)
        .where(Complaint.status.in_(UNANSWERED))
        .order_by(
            Complaint.deadline_at.is_(None),
            Complaint.deadline_at,
            Complaint.received_at,
            Complaint.id,
        )
        .limit(limit)
        .options(selectinload(Complaint.persona), selectinload(Complaint.named_posts))
    )
    return list(session.scalars(query))


def recent_complaints(session: Session, limit: int = 50) -> list[Complaint]:
    """Answered and closed complaints, newest first."""
    query = (
        select(Complaint)
        .where(Complaint.status.not_in(UNANSWERED))
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        .limit(limit)
        .options(selectinload(Complaint.persona))
    )
    return list(session.scalars(query))


def is_overdue(complaint: Complaint, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return complaint.status in UNANSWERED and complaint.deadline_at is not None and complaint.deadline_at < now


def parse_choice(enum_type: type[E], value: str, what: str) -> E:
    """An enum member from its value or name, case-insensitive, as one clear error otherwise."""
    wanted = value.strip().lower().replace("-", "_").replace(" ", "_")
    for member in enum_type:
        if wanted in (member.value, member.name.lower()):
            return member
    allowed = ", ".join(m.value for m in enum_type)
    raise UsageError(f"unknown {what} {value!r} (one of: {allowed})")
