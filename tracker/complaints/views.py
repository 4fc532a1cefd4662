"""Complaints as plain data: the full dict view of a complaint and of a decision.

The summary view (what a list shows) is `complaints.queue.summary_dict`. Used by `tracker complaint
... --json`, the text the CLI prints, `tracker status` and the TUI.
Timestamps are ISO 8601 in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.complaints.language import reply_language
from tracker.complaints.legal import missing_elements
from tracker.complaints.queue import summary_dict
from tracker.support.dates import iso

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.db.models import Complaint, Decision


def current_decision(complaint: Complaint) -> Decision | None:
    """The decision in force: the newest one (each supersedes the one before)."""
    return complaint.decisions[-1] if complaint.decisions else None


def decision_dict(decision: Decision) -> dict[str, Any]:
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
    complaint: Complaint, archive_dir: Path, now: datetime, pending: Sequence[int] = ()
) -> dict[str, Any]:
    """A complaint loaded with `get_complaint`, in full: the `--json` form of add/show.

    `pending`: the posts of its take-down still to be confirmed removed (`records.pending_takedown`).
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
            }
            for image in complaint.images
        ],
        "decisions": [decision_dict(d) for d in complaint.decisions],
        "current_decision": current.id if current else None,
        "takedown_pending": list(pending),
        "reply_text": complaint.reply_text,
    }


def history_dicts(session: Session, complaint: Complaint) -> list[dict[str, Any]]:
    """The complaint's audit trail (`history.complaint_events`), each entry as `tracker show POST --json`
    gives a post's: the `history` of `complaint show --json`."""
    from tracker.complaints.history import complaint_events
    from tracker.posts.views import event_dict

    return [event_dict(event) for event in complaint_events(session, complaint)]
