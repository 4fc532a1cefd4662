"""The stored answers of `tracker check`: the newest one of each post and their one dict view.

Here, next to the table, because three features read them: `tracker check` and `show` (whose text
`tracker.checking.results` writes), the burn-down checklist (`tracker.purge.plan`) and the TUI. Read as
SQL text (`db.plain`), so `tracker show` reads them without loading SQLAlchemy on a SQLite file at
this revision (`db.quick`); on an ORM session or a SQLAlchemy connection alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tracker.db.plain import Readable, chunks, fetch_all, in_list, stored_json, stored_time
from tracker.support.dates import iso

CHUNK = 5000
"""Ids per IN (...) list `tracker check` sends at a time: well under every backend's bound-parameter limit."""


class CheckLike(Protocol):
    """What `check_dict` reads of a check: a `StoredCheck`, or an ORM `PostCheck` just written."""

    @property
    def state(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def checked_at(self) -> datetime | None: ...
    @property
    def url(self) -> str: ...
    @property
    def status_code(self) -> int | None: ...
    @property
    def evidence(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class StoredCheck:
    """One stored answer of `tracker check`, as read (the `post_check` row)."""

    id: int
    post_id: int
    checked_at: datetime | None
    state: str
    reason: str | None
    url: str
    status_code: int | None
    evidence: dict[str, Any] | None


_NEWEST = """
SELECT id, post_id, checked_at, state, reason, url, status_code, evidence FROM post_check
WHERE id IN (SELECT MAX(id) FROM post_check WHERE post_id IN {ids} GROUP BY post_id)
"""


def last_checks(db: Readable, post_ids: Iterable[int]) -> dict[int, StoredCheck]:
    """The newest stored check of each post that has one."""
    found: dict[int, StoredCheck] = {}
    for part in chunks(sorted(set(post_ids))):
        ids, params = in_list("post", part)
        for row in fetch_all(db, _NEWEST.format(ids=ids), params):
            check_id, post_id, checked_at, state, reason, url, status_code, evidence = row
            found[post_id] = StoredCheck(
                check_id, post_id, stored_time(checked_at), state, reason, url, status_code, stored_json(evidence)
            )
    return found


def check_dict(check: CheckLike) -> dict[str, Any]:
    """A stored check as plain data: state, reason, when, the address asked and the evidence."""
    return {
        "state": check.state,
        "reason": check.reason,
        "checked_at": iso(check.checked_at),
        "url": check.url,
        "status_code": check.status_code,
        "evidence": dict(check.evidence or {}),
    }


def last_check(db: Readable, post_id: int) -> StoredCheck | None:
    """The newest stored check of one post, or None when it was never checked."""
    return last_checks(db, [post_id]).get(post_id)
