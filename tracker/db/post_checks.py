"""The stored answers of `tracker check`: the newest one of each post and their one dict view.

Here, next to the table, because three features read them: `tracker check` and `show`
(`tracker.checking.results`), the burn-down checklist (`tracker.purge.plan`) and the TUI.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.models import PostCheck
from tracker.support.dates import iso

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
