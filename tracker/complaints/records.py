"""Complaint records: finding a complaint with everything it holds, correcting what intake got
wrong (`ComplaintChanges`), setting its reply language, and finding an earlier complaint that holds
the same message (a file logged twice).

Every change is one transaction and lands in the audit trail (`db.audit`). A complaint is
*unanswered* while its status is `open` or `decided` (no reply sent yet), and *overdue* when it is
unanswered past its deadline (`complaints.queue`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from tracker.complaints.field_checks import checked_platform, checked_work_urls
from tracker.complaints.legal import REQUIRED_ELEMENTS, completeness, default_deadline, unread
from tracker.complaints.named_posts import complaint_persona, resolve_posts
from tracker.complaints.platform_removed import follow_platform_removal
from tracker.db import audit
from tracker.db.enums import LegalBasis
from tracker.db.models import Complaint, ComplaintPost, Decision, Event
from tracker.db.session import session_scope
from tracker.errors import NotFoundError, UsageError
from tracker.platforms.urls import Platform
from tracker.support.dates import utcnow
from tracker.support.userinput import stripped, typed_line, typed_text

TEXT_FIELDS = (
    "complainant_name",
    "complainant_org",
    "complainant_role",
    "complainant_contact",
    "claimed_title",
    "claimed_description",
    "platform",
    "ticket_id",
)
"""The complaint's one-line text fields a correction may set (`''` clears one)."""


@dataclass
class ComplaintChanges:
    """A correction of what intake recorded; None leaves a field as it is, `''` clears a text field."""

    text: dict[str, str | None] = field(default_factory=dict)
    """{field of `TEXT_FIELDS`: new value}."""
    deadline_at: datetime | None = None
    claimed_urls: list[str] | None = None
    """The work's URLs, replacing the recorded ones (`['']` clears them)."""
    elements: set[str] = field(default_factory=set)
    """Legal elements the notice does carry after all."""
    no_elements: set[str] = field(default_factory=set)
    """Legal elements it does not carry (recorded as present by mistake)."""
    language: str | None = None
    """The language its replies are written in (a checked code), or None to leave it."""
    legal_basis: LegalBasis | None = None
    """The law or rule the notice invokes, or None to leave it (see `change_complaint`)."""
    posts: list[str] | None = None
    """The posts it names (URLs or numbers), replacing the recorded ones (`['']`: none), or None to leave them."""
    persona: str | None = None
    """Whose complaint it is when no named post says so (`''`: nobody's yet), or None to leave it."""


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


def change_complaint(
    factory: sessionmaker[Session],
    number: int,
    changes: ComplaintChanges,
    platforms: Mapping[str, Platform] | None = None,
) -> dict[str, list[Any]]:
    """Correct complaint NUMBER in one transaction; returns {field: [old, new]} of what changed (`posts`: the
    numbers of the posts it names, `persona`: the persona's name, besides its columns).

    Each changed field lands in the audit trail with its old and new value (`db.audit`). The
    deadline may not fall before the complaint was received; an element must be one of its legal
    basis's (`legal.REQUIRED_ELEMENTS`), and one cannot be both given and taken away.

    A new legal basis brings its own notice elements: those the old basis shares with it keep their
    mark (a contact, the post's URL), the others start unmarked (`--element` marks them in the same
    correction). A deadline that was the old basis's default answer target becomes the new one's,
    unless a deadline is given in the same correction; one typed in or read from the message stays.

    Posts named anew (found in `platforms` by URL, or by number) replace the named ones, as at intake: the
    persona is theirs (a persona given must be it), a post named by its URL is the material's location. Each
    link dropped or added is an entry of its own in the audit trail, the persona's change is the complaint's.
    """
    unknown = set(changes.text) - set(TEXT_FIELDS)
    if unknown:  # a caller's mistake, never the user's
        raise ValueError(f"not a correctable field: {', '.join(sorted(unknown))}")
    if changes.text.get("platform"):  # as intake reads it: a known name's key, else a short lowercase name
        changes.text["platform"] = checked_platform(changes.text["platform"], platforms or {})
    if changes.claimed_urls is not None:
        changes.claimed_urls = checked_work_urls(changes.claimed_urls)
    with session_scope(factory, command="complaint set") as session:
        complaint = get_complaint(session, number)
        fields = (
            *TEXT_FIELDS,
            "legal_basis",
            "deadline_at",
            "claimed_urls",
            "completeness",
            "post_ids",
            "persona_name",
        )
        before = {key: getattr(complaint, key) for key in fields}
        if changes.posts is not None or changes.persona is not None:
            _rename(session, complaint, changes, platforms or {})
            if complaint.persona_name != before["persona_name"]:  # its name beside the id, as the owner knows it
                audit.add_to_entry(
                    session, "complaint", number, {"persona": [before["persona_name"], complaint.persona_name]}
                )
        for key, value in changes.text.items():
            if value is not None:
                setattr(complaint, key, typed_text(value) if key == "claimed_description" else typed_line(value))
        if changes.legal_basis is not None and changes.legal_basis is not complaint.legal_basis:
            # after the text: the notice is read for the new basis under the name and contact now given
            _rebase(session, complaint, changes.legal_basis, keep_deadline=changes.deadline_at is not None)
        if changes.deadline_at is not None:
            if changes.deadline_at < complaint.received_at:
                raise UsageError(f"the deadline is before complaint #{number} was received")
            complaint.deadline_at = changes.deadline_at
        if changes.claimed_urls is not None:
            complaint.claimed_urls = list(dict.fromkeys(u for u in map(typed_line, changes.claimed_urls) if u))
        complaint.completeness = _elements(complaint, changes)
        if changes.language is not None:  # said apart by the caller (`replies in ...`), not in the result
            complaint.language = changes.language
        taken = follow_platform_removal(complaint, utcnow()) if changes.posts is not None else []
        if changes.posts is not None:
            session.flush()  # the new links get their post ids
        after = {key: getattr(complaint, key) for key in before}
        if before["persona_name"] != after["persona_name"]:  # the names beside the ids, as the owner knows them
            audit.add_to_entry(
                session, "complaint", number, {"persona": [before["persona_name"], after["persona_name"]]}
            )
        shown = {"post_ids": "posts", "persona_name": "persona"}
        changed = {shown.get(key, key): [before[key], after[key]] for key in before if before[key] != after[key]}
        return changed | ({"taken_down": [[], taken]} if taken else {})  # the platform's notice says it removed them


def _rename(
    session: Session, complaint: Complaint, changes: ComplaintChanges, platforms: Mapping[str, Platform]
) -> None:
    """Name the posts and the persona the correction gives (`change_complaint`); a link kept stays as it was."""
    if changes.posts is not None:
        named = resolve_posts(session, changes.posts, platforms)
        kept = {link.post_id: link for link in complaint.named_posts}
        for link in kept.values():
            if link.post_id not in {post.id for _, post in named}:
                session.delete(link)  # deleted as such (not as an orphan): the trail keeps the link it was
        complaint.named_posts = [kept.get(post.id) or ComplaintPost(post=post, reference=ref) for ref, post in named]
    posts = [link.post for link in complaint.named_posts]
    if posts or changes.persona:
        complaint.persona = complaint_persona(session, changes.persona, posts, allow_new=False)
    elif changes.persona is not None:  # '': no named post, nobody's complaint yet
        complaint.persona = None


def _rebase(session: Session, complaint: Complaint, basis: LegalBasis, keep_deadline: bool) -> None:
    """Give the complaint another legal basis: its elements and (when it was the default) its deadline.

    The new basis's elements are those marked under the old one that it shares, and those its
    message plainly states for the new basis (`notice_reading.notice_elements`, as at intake): a
    textbook DMCA notice logged without a basis and corrected to the DMCA lacks nothing it says.
    What the owner ticked or took away by hand (`_owner_marks`) stands over both."""
    from tracker.complaints.reading.notice_reading import notice_elements

    old = complaint.legal_basis
    if not keep_deadline and complaint.deadline_at == default_deadline(old, complaint.received_at):
        complaint.deadline_at = default_deadline(basis, complaint.received_at)
    marked = {key for key, present in (complaint.completeness or {}).items() if present}
    if complaint.message:
        marked |= notice_elements(complaint.message, basis, complaint.complainant_name)
    shared = marked & {key for key, _ in REQUIRED_ELEMENTS[basis]}
    has_urls = any("://" in link.reference for link in complaint.named_posts)
    has_work = bool(complaint.claimed_title or complaint.claimed_urls)
    found = completeness(basis, shared, has_urls, complaint.complainant_contact, has_work, complaint.complainant_name)
    owner = _owner_marks(session, complaint)
    complaint.completeness = {key: owner.get(key, present) for key, present in found.items()}
    complaint.legal_basis = basis


def _owner_marks(session: Session, complaint: Complaint) -> dict[str, bool]:
    """The elements the owner ticked or took away with `complaint set --element/--no-element`, last word first.

    Read from the audit trail: a change of the elements without a change of basis in the same
    correction is the owner's own judgement (a basis change re-reads them). Kept across bases, so
    a signature judged invalid under the DMCA is not ticked again from the message on the way back.
    """
    marks: dict[str, bool] = {}
    with session.no_autoflush:  # the correction being made is not in the trail yet, and must stay one entry
        changes = session.scalars(
            select(Event.changes)
            .where(Event.entity == "complaint", Event.entity_id == complaint.id, Event.action == "update")
            .order_by(Event.id)
        )
        for change in changes:
            if "completeness" not in change or "legal_basis" in change:
                continue
            before, after = change["completeness"]
            for key, present in (after or {}).items():
                if (before or {}).get(key) != present and present is not None:  # None: no one's judgement
                    marks[key] = bool(present)
    return marks


def _elements(complaint: Complaint, changes: ComplaintChanges) -> dict[str, bool | None]:
    """The complaint's {element: present} with the corrections made (a new dict: the column sees the change); an
    element not found and not judged stays None (`legal.JUDGED`)."""
    keys = [key for key, _ in REQUIRED_ELEMENTS[complaint.legal_basis]]
    asked = changes.elements | changes.no_elements
    if asked - set(keys):
        allowed = ", ".join(keys) or "none for this legal basis"
        raise UsageError(f"unknown notice element(s) {', '.join(sorted(asked - set(keys)))} (allowed: {allowed})")
    if changes.elements & changes.no_elements:
        raise UsageError(
            f"an element given and taken away at once: {', '.join(sorted(changes.elements & changes.no_elements))}"
        )
    found = dict(complaint.completeness or {})
    if changes.text.get("complainant_contact") and "contact" in keys:
        found["contact"] = True  # as at intake: a contact given is the contact element
    writer = (changes.text.get("complainant_name") or changes.text.get("complainant_contact")) and "name_email" in keys
    if writer and (complaint.complainant_name or "").strip() and "@" in (complaint.complainant_contact or ""):
        found["name_email"] = True  # as at intake: the DSA notifier's name and e-mail, now both given
    if (changes.text.get("claimed_title") or changes.claimed_urls) and "work" in keys:
        found["work"] = True  # and the work's title or URL identifies the work
    if any("://" in reference for reference in changes.posts or []):
        found |= dict.fromkeys({"location", "exact_url"} & set(keys), True)  # as at intake: a post named by its URL
    found |= dict.fromkeys(changes.elements, True) | dict.fromkeys(changes.no_elements, False)
    basis = complaint.legal_basis
    return {key: unread(basis, key) if found.get(key) is None else bool(found[key]) for key in keys}


def complaint_with_message(session: Session, message: str | None) -> int | None:
    """The first complaint holding exactly this message (as intake stores it, stripped), or None."""
    text = stripped(message)
    if text is None:
        return None
    return session.scalar(select(Complaint.id).where(Complaint.message == text).order_by(Complaint.id).limit(1))
