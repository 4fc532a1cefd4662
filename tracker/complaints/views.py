"""Complaints as plain data: the full dict view of a complaint and of a decision.

The summary view (what a list shows) is `complaints.queue.summary_dict`. Used by `tracker complaint
... --json`, the text the CLI prints, `tracker status` and the TUI.
Timestamps are ISO 8601 in UTC.

The views read a complaint through the protocols below: an ORM `Complaint` (`complaint set`) and the
rows `complaints.stored` reads as SQL text (`complaint show`, with no SQLAlchemy on a SQLite file at
this revision) have the same attributes, so one function shapes both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from tracker.complaints.language import reply_language
from tracker.complaints.legal import missing_elements, unchecked_elements
from tracker.complaints.queue import ComplaintLike, summary_dict
from tracker.db.enums import DecisionAction, DisputeReason, PostStatus
from tracker.support.dates import iso

D = TypeVar("D", covariant=True)


class HasDecisions(Protocol[D]):
    """A complaint's decisions, oldest first (an ORM `Complaint`'s or a `stored.ComplaintRecord`'s)."""

    @property
    def decisions(self) -> Sequence[D]: ...


class StoredTakedown(Protocol):
    """What `decision_dict` reads of a take-down confirmed: an ORM `Takedown`, or a `stored.TakedownRow`."""

    @property
    def post_id(self) -> int: ...
    @property
    def confirmed_at(self) -> datetime: ...
    @property
    def status_before(self) -> str: ...
    @property
    def restored_at(self) -> datetime | None: ...


class StoredDecision(Protocol):
    """What `decision_dict` reads of a decision: an ORM `Decision`, or a `stored.DecisionRow`."""

    @property
    def id(self) -> int: ...
    @property
    def decided_at(self) -> datetime: ...
    @property
    def action(self) -> DecisionAction: ...
    @property
    def reason(self) -> DisputeReason | None: ...
    @property
    def notes(self) -> str | None: ...
    @property
    def reply_note(self) -> str | None: ...
    @property
    def post_ids(self) -> list[int]: ...
    @property
    def supersedes_id(self) -> int | None: ...
    @property
    def takedowns(self) -> Sequence[StoredTakedown]: ...


class LinkedPost(Protocol):
    """What the view shows of a post a complaint names."""

    @property
    def id(self) -> int: ...
    @property
    def url(self) -> str: ...
    @property
    def platform(self) -> str: ...
    @property
    def status(self) -> PostStatus: ...


class StoredLink(Protocol):
    """A post the complaint names and how it named it: an ORM `ComplaintPost`, or a `stored.NamedPost`."""

    @property
    def reference(self) -> str: ...
    @property
    def post(self) -> LinkedPost: ...


class StoredComplaintImage(Protocol):
    """An image the complainant sent: an ORM `ComplaintImage`, or a `stored.KeptImage`."""

    @property
    def sha256(self) -> str: ...
    @property
    def original_name(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def size_bytes(self) -> int: ...
    @property
    def archive_path(self) -> str: ...
    @property
    def plain_colour(self) -> bool | None: ...
    @property
    def frames(self) -> int | None: ...


class StoredComplaint(ComplaintLike, Protocol):
    """What `complaint_dict` reads of a complaint: an ORM `Complaint` loaded with `records.get_complaint`, or
    a `stored.ComplaintRecord`."""

    @property
    def complainant_role(self) -> str | None: ...
    @property
    def complainant_contact(self) -> str | None: ...
    @property
    def claimed_title(self) -> str | None: ...
    @property
    def claimed_description(self) -> str | None: ...
    @property
    def claimed_urls(self) -> list[str]: ...
    @property
    def message(self) -> str | None: ...
    @property
    def sent_utc_offset(self) -> int | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def completeness(self) -> dict[str, bool | None]: ...
    @property
    def reply_text(self) -> str | None: ...
    @property
    def named_posts(self) -> Sequence[StoredLink]: ...
    @property
    def images(self) -> Sequence[StoredComplaintImage]: ...
    @property
    def decisions(self) -> Sequence[StoredDecision]: ...


def current_decision(complaint: HasDecisions[D]) -> D | None:
    """The decision in force: the newest one (each supersedes the one before)."""
    return complaint.decisions[-1] if complaint.decisions else None


def decision_dict(decision: StoredDecision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "decided_at": iso(decision.decided_at),
        "action": decision.action.value,
        "reason": decision.reason.value if decision.reason else None,
        "notes": decision.notes,
        "reply_note": decision.reply_note,
        "post_ids": list(decision.post_ids or []),
        "supersedes": decision.supersedes_id,
        "takedowns": [
            {
                "post_id": done.post_id,
                "confirmed_at": iso(done.confirmed_at),
                "status_before": done.status_before,
                "restored_at": iso(done.restored_at),
            }
            for done in decision.takedowns
        ],
    }


def complaint_dict(
    complaint: StoredComplaint, archive_dir: Path, now: datetime, pending: Sequence[int] = ()
) -> dict[str, Any]:
    """A complaint in full (`records.get_complaint`'s or `stored.read_complaint`'s): the `--json` form of add/show.

    `pending`: the posts of its take-down still to be confirmed removed (`stored.pending_takedown`).
    """
    current = current_decision(complaint)
    return {
        **summary_dict(complaint, now),
        "complainant_role": complaint.complainant_role,
        "complainant_contact": complaint.complainant_contact,
        "claimed_title": complaint.claimed_title,
        "claimed_description": complaint.claimed_description,
        "claimed_urls": list(complaint.claimed_urls or []),
        "message": complaint.message,
        "sent_utc_offset": complaint.sent_utc_offset,
        "language": reply_language(complaint.language, complaint.message, complaint.claimed_description),
        "language_set": complaint.language is not None,
        "completeness": dict(complaint.completeness or {}),
        "missing_elements": missing_elements(complaint),
        "unchecked_elements": unchecked_elements(complaint),
        "posts": [
            {
                "id": link.post.id,
                "url": link.post.url,
                "platform": link.post.platform,
                "status": link.post.status.value,
                "reference": link.reference,
            }
            for link in complaint.named_posts
        ],
        "images": [
            {
                "sha256": image.sha256,
                "original_name": image.original_name,
                "format": image.format,
                "width": image.width,
                "height": image.height,
                "size_bytes": image.size_bytes,
                "archive_file": str(archive_dir / image.archive_path),
                "plain_colour": image.plain_colour,
                "frames": image.frames,
            }
            for image in complaint.images
        ],
        "decisions": [decision_dict(d) for d in complaint.decisions],
        "current_decision": current.id if current else None,
        "takedown_pending": list(pending),
        "reply_text": complaint.reply_text,
    }
