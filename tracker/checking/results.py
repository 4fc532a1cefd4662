"""How a stored answer of `tracker check` reads as text: its evidence in a few words, one line per check.

The answers themselves, the newest of each post and their dict view, are read in `tracker.db.post_checks`
(beside the table, for `show`, the TUI and the burn-down checklist alike).
"""

from __future__ import annotations

from typing import Any

from tracker.support.dates import from_iso, local_minute

__all__ = ["check_line", "evidence_text"]


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
