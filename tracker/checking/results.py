"""The stored answers of `tracker check`: the last one of each post, and their one dict view.

`show`, the TUI's post screen and `tracker check --json` all use `check_dict`; the purge
checklist reads the last checks itself (it may not import this package) from the same table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.models import PostCheck
from tracker.support.dates import from_iso, iso, local_minute

__all__ = ["CHUNK", "check_dict", "check_line", "evidence_text", "last_check", "last_checks"]

CHUNK = 5000
"""Ids per IN (...) list: well under every backend's bound-parameter limit."""


def last_checks(session: Session, post_ids: Iterable[int]) -> dict[int, PostCheck]:
    """The newest stored check of each post that has one."""
    wanted = sorted(set(post_ids))
    found: dict[int, PostCheck] = {}
    for start in range(0, len(wanted), CHUNK):
        newest = (
            select(func.max(PostCheck.id))
            .where(PostCheck.post_id.in_(wanted[start : start + CHUNK]))
            .group_by(PostCheck.post_id)
        )
        for check in session.scalars(select(PostCheck).where(PostCheck.id.in_(newest))):
            found[check.post_id] = check
    return found


def last_check(session: Session, post_id: int) -> PostCheck | None:
    """The newest stored check of one post, or None when it was never checked."""
    return last_checks(session, [post_id]).get(post_id)


def check_dict(check: PostCheck) -> dict[str, Any]:
    """A stored check as plain data: state, reason, when, the address asked and the evidence."""
    return {
        "state": check.state,
        "reason": check.reason,
        "checked_at": iso(check.checked_at),
        "url": check.url,
        "status_code": check.status_code,
        "evidence": dict(check.evidence or {}),
    }


def evidence_text(evidence: dict[str, Any]) -> str:
    """The evidence in a few words: `HTTP 404`, `HTTP 200, error = true (...)`."""
    parts = []
    if evidence.get("status") is not None:
        parts.append(f"HTTP {evidence['status']}")
    if evidence.get("field") is not None:
        value = evidence.get("value")
        shown = "true" if value is True else "false" if value is False else "null" if value is None else str(value)
        parts.append(f"{evidence['field']} = {shown}")
    text = ", ".join(parts)
    if evidence.get("detail"):
        text += f" ({evidence['detail']})" if text else str(evidence["detail"])
    return text or "no answer"


def check_line(data: dict[str, Any]) -> str:
    """One line for a stored check (`check_dict`): `gone 2026-12-03 10:00 (HTTP 404)`."""
    state = data["state"] + (f": {data['reason']}" if data.get("reason") else "")
    return f"{state}, checked {local_minute(from_iso(data['checked_at']))} ({evidence_text(data['evidence'])})"
