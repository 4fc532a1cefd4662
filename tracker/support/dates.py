"""Dates: reading what the user types, and the forms stored times are shown in.

Times are stored as aware UTC datetimes. They are shown to the owner in local time (`local_day`,
`local_minute`) and written into JSON as ISO 8601 in UTC (`iso`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.errors import UsageError


def utcnow() -> datetime:
    """The current time, aware, in UTC (what every stored time is)."""
    return datetime.now(UTC)


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


def iso(value: datetime | None) -> str | None:
    """A stored time as ISO 8601 (the JSON form), or None."""
    return value.isoformat() if value is not None else None


def from_iso(text: str | None) -> datetime | None:
    """A time from its ISO 8601 form (the JSON views' form), or None."""
    return datetime.fromisoformat(text) if text else None


def local_day(value: datetime | None, missing: str = "-") -> str:
    """The local calendar date of a stored time (`2026-12-03`), or `missing`."""
    return value.astimezone().date().isoformat() if value is not None else missing


def start_of_local_day(now: datetime) -> datetime:
    """The first moment of `now`'s local calendar day, in UTC: a deadline before it has passed.

    A deadline is a day: a complaint due today is due until the day ends, never "overdue" on it.
    """
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def local_minute(value: datetime | None, missing: str = "-") -> str:
    """A stored time in local time to the minute (`2026-12-03 14:05`), or `missing`."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else missing
