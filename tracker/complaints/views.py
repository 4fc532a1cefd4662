"""Complaints as plain data: the one dict view of a decision and of a complaint.

Used by `tracker complaint ... --json`, the text the CLI prints, `tracker status` and the TUI.
Timestamps are ISO 8601 in UTC.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.complaints.deadlines import is_overdue
from tracker.complaints.decisions import current_decision
from tracker.complaints.legal import missing_elements
from tracker.db.models import Complaint, Decision
from tracker.support.dates import iso


def decision_dict(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "decided_at": iso(decision.decided_at),
        "action": decision.action.value,
        "reason": decision.reason.value if decision.reason else None,
        "notes": decision.notes,
        "post_ids": list(decision.post_ids or []),
        "supersedes": decision.supersedes_id,
    }


def summary_dict(complaint: Complaint, now: datetime) -> dict[str, Any]:
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
        "persona": complaint.persona.name if complaint.persona else None,
        "post_ids": [link.post_id for link in complaint.named_posts],
    }


def complaint_dict(complaint: Complaint, archive_dir: Path, now: datetime) -> dict[str, Any]:
    """A complaint loaded with `get_complaint`, in full: the `--json` form of add/show."""
    current = current_decision(complaint)
    return {
        **summary_dict(complaint, now),
        "complainant_role": complaint.complainant_role,
        "complainant_contact": complaint.complainant_contact,
        "claimed_title": complaint.claimed_title,
        "claimed_description": complaint.claimed_description,
        "claimed_urls": list(complaint.claimed_urls or []),
        "message": complaint.message,
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
        "reply_text": complaint.reply_text,
    }


def complainant_label(data: dict[str, Any]) -> str:
    """`name (organisation)` of a complaint's dict view, `unnamed` when no name was given."""
    name = data["complainant_name"] or "unnamed"
    return f"{name} ({data['complainant_org']})" if data["complainant_org"] else name
