"""Taken-down posts not verified gone a week after their take-down, for `tracker status`.

SQL text (`db.plain`), so `tracker status` stays cheap: a post counts while it is `taken_down`, its
status changed more than `VERIFY_AFTER` ago, and its newest check (if any) does not say `gone`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tracker.db.enums import PostStatus
from tracker.db.plain import Readable, fetch_all, stored_time

__all__ = ["VERIFY_AFTER", "unverified_takedowns"]

VERIFY_AFTER = timedelta(days=7)
"""How long a take-down may stay unverified before `tracker status` mentions it."""


def unverified_takedowns(db: Readable, now: datetime) -> int:
    """How many taken-down posts are older than a week and not verified gone by their newest check."""
    newest = "SELECT state FROM post_check WHERE post_check.post_id = post.id ORDER BY post_check.id DESC LIMIT 1"
    query = f"SELECT post.status_changed_at, ({newest}) FROM post WHERE post.status = :taken_down"
    before = now - VERIFY_AFTER
    rows = fetch_all(db, query, {"taken_down": PostStatus.TAKEN_DOWN.value})
    return sum(
        1 for changed, state in rows if (at := stored_time(changed)) is not None and at < before and state != "gone"
    )
