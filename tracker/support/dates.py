"""Reading dates the user types (`--posted-at`), always ending in an aware UTC datetime."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.errors import UsageError


def parse_when(text: str) -> datetime:
    """`now`, `YYYY-MM-DD`, or an ISO 8601 date-time; a time without a zone is local time."""
    value = text.strip()
    if value.lower() == "now":
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        raise UsageError(f"cannot read the date {text!r}: use YYYY-MM-DD, an ISO 8601 date-time, or 'now'") from None
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.astimezone(UTC)
