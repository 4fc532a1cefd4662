"""Reading an answer deadline: a day means the end of that day, in local time.

A complaint is *due* on its deadline's day and *overdue* once that day has ended
(`complaints.queue`). So a deadline typed as a date (`2026-12-04`) is the last moment of that local
day, not its first: a complaint received in the morning may be due the same day, and a deadline
the complainant writes as a day ("12月4日まで") keeps all of it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from tracker.errors import UsageError
from tracker.support.dates import in_range, parse_when

_DATE_ONLY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")


def end_of_local_day(day: date) -> datetime:
    """The last second of `day` in local time, as an aware UTC datetime."""
    return datetime.combine(day, time(23, 59, 59)).astimezone().astimezone(UTC)


def parse_deadline(text: str) -> datetime:
    """A typed deadline: `YYYY-MM-DD` is the end of that local day; a date-time or `now` is that moment."""
    if _DATE_ONLY.fullmatch(text):
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            day = None
        if day is not None and in_range(datetime.combine(day, time())):
            return end_of_local_day(day)
    return parse_when(text)  # the errors (a bad date, out of range) are its


def checked_deadline(text: str, received_at: datetime) -> datetime:
    """`parse_deadline`, refused when it falls before the complaint was received."""
    deadline = parse_deadline(text)
    if deadline < received_at:
        raise UsageError(f"the deadline {text.strip()} is before the complaint was received")
    return deadline
