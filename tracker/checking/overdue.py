"""Taken-down posts not verified gone a week after their take-down, for `tracker status`.

Core only (no ORM), so `tracker status` stays cheap: a post counts while it is `taken_down`, its
status changed more than `VERIFY_AFTER` ago, and its newest check (if any) does not say `gone`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select

from tracker.db import schema
from tracker.db.enums import PostStatus

__all__ = ["VERIFY_AFTER", "unverified_takedowns"]

VERIFY_AFTER = timedelta(days=7)
"""How long a take-down may stay unverified before `tracker status` mentions it."""


def unverified_takedowns(conn: Connection, now: datetime) -> int:
    """How many taken-down posts are older than a week and not verified gone by their newest check."""
    post, check = schema.post, schema.post_check
    newest = (
        select(check.c.state).where(check.c.post_id == post.c.id).order_by(check.c.id.desc()).limit(1).scalar_subquery()
    )
    query = select(func.count()).where(
        post.c.status == PostStatus.TAKEN_DOWN,
        post.c.status_changed_at < now - VERIFY_AFTER,
        func.coalesce(newest, "never") != "gone",
    )
    return int(conn.execute(query).scalar_one())
