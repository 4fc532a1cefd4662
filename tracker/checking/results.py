"""The stored answers of `tracker check`: the last one of each post, and their one dict view.

`show`, the TUI's post screen and `tracker check --json` all use `check_dict` (from
`tracker.db.post_checks`, which the purge checklist reads too).
"""

from __future__ import annotations

from typing import Any

from tracker.db.plain import Readable
from tracker.db.post_checks import CHUNK, StoredCheck, check_dict, last_checks
from tracker.support.dates import from_iso, local_minute

__all__ = ["CHUNK", "check_dict", "check_line", "evidence_text", "last_check", "last_checks"]


def last_check(db: Readable, post_id: int) -> StoredCheck | None:
    """The newest stored check of one post, or None when it was never checked."""
    return last_checks(db, [post_id]).get(post_id)


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
