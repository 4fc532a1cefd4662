"""Dates: reading what the user types, and the forms stored times are shown in.

Times are stored as aware UTC datetimes. They are shown to the owner in local time (`local_day`,
`local_minute`) and written into JSON as ISO 8601 in UTC (`iso`).

Every date read (typed, in a sidecar, in a complaint) must fall between `EARLIEST` and `LATEST`:
`0001-01-01` or `9999-12-31` is a typo or an attack, and near those ends of Python's calendar a
conversion to local time overflows. Times already stored are shown in UTC when local time cannot
hold them, never with an error.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from tracker.errors import UsageError

EARLIEST = date(1990, 1, 1)
"""The first calendar day a date may name (before any AI image, or the web)."""
LATEST = date(2100, 12, 31)
"""The last calendar day a date may name."""


def utcnow() -> datetime:
    """The current time, aware, in UTC (what every stored time is)."""
    return datetime.now(UTC)


def parse_when(text: str) -> datetime:
    """`now`, `YYYY-MM-DD`, or an ISO 8601 date-time; a time without a zone is local time."""
    value = text.strip()
    if value.lower() == "now":
        return datetime.now(UTC)
    try:
        if len(value) > 64:
            raise ValueError
        parsed = _from_iso_typed(value)
    except ValueError:
        shown = repr(text[:40]) + ("..." if len(text) > 40 else "")
        raise UsageError(f"cannot read the date {shown}: use YYYY-MM-DD, an ISO 8601 date-time, or 'now'") from None
    if not in_range(parsed):
        raise UsageError(f"the date {value} is out of range: give one between {EARLIEST} and {LATEST}")
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.astimezone(UTC)


def typed_offset(text: str | None, otherwise: int | None = None) -> int | None:
    """The UTC offset, in minutes, that a date-time typed with a zone names (`2026-11-30T18:00-08:00`: -480), so a
    letter dates the message on the sender's day; else `otherwise` (no text, a date alone, no zone, `now`)."""
    try:
        offset = _from_iso_typed((text or "").strip()).utcoffset()
    except ValueError:
        return otherwise
    return otherwise if offset is None else round(offset.total_seconds() / 60)


def _from_iso_typed(value: str) -> datetime:
    """An ISO 8601 date or date-time as typed (a trailing `Z` is UTC); naive when it names no zone."""
    return datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value)


def in_range(value: datetime) -> bool:
    """Whether the calendar day of `value` (as written, in its own zone) lies in EARLIEST..LATEST."""
    return EARLIEST <= value.date() <= LATEST


def _local(value: datetime) -> datetime:
    """`value` in local time; in UTC when local time cannot hold it (a stored date at the calendar's end)."""
    try:
        return value.astimezone()
    except (OverflowError, ValueError, OSError):
        return value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """A stored time as ISO 8601 (the JSON form), or None."""
    return value.isoformat() if value is not None else None


def from_iso(text: str | None) -> datetime | None:
    """A time from its ISO 8601 form (the JSON views' form), or None."""
    return datetime.fromisoformat(text) if text else None


def utc_from_iso(text: object) -> datetime:
    """A time from its ISO 8601 form, a naive one taken as UTC (a note beside the database); raises ValueError."""
    moment = datetime.fromisoformat(str(text))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local_day(value: datetime | None, missing: str = "-") -> str:
    """The local calendar date of a stored time (`2026-12-03`), or `missing`."""
    return _local(value).date().isoformat() if value is not None else missing


def sender_day(value: datetime | None, offset_minutes: int | None, missing: str = "-") -> str:
    """The calendar date of a stored time on the clock `offset_minutes` east of UTC (a complaint's sender's: the
    day they dated their message, which the letter thanks them for), or the local date when none is known."""
    if value is None:
        return missing
    if offset_minutes is None or abs(offset_minutes) > 18 * 60:
        return local_day(value)
    return value.astimezone(timezone(timedelta(minutes=offset_minutes))).date().isoformat()


def their_other_day(value: datetime | None, offset_minutes: int | None) -> str | None:
    """The sender's calendar date of a stored time when it is not this machine's (`sender_day`), else None."""
    if value is None:
        return None
    theirs = sender_day(value, offset_minutes)
    return None if theirs == local_day(value) else theirs


def on_both_clocks(value: datetime | None, offset_minutes: int | None, missing: str = "-") -> str:
    """When a complaint was received (or answered) as the owner's screens say it: on this machine's clock, as every
    other time they read, then the sender's day when it is another (`2026-12-05 23:05 PST (2026-12-06 in the
    sender's time)`). On one clock, a reply is never shown sent before the message it answers arrived; the sender's
    day is the one the letter names (`12月6日に拝受`)."""
    if value is None:
        return missing
    shown = f"{local_minute(value)} {local_zone(value)}"
    theirs = their_other_day(value, offset_minutes)
    return f"{shown} ({theirs} in the sender's time)" if theirs else shown


def minute_on(at: datetime, clock: tzinfo | None) -> str:
    """`at` to the minute on the clock it was read on, named by its offset (`2026-12-05 23:40 UTC+09:00`), then on
    the owner's when that differs (`(2026-12-05 14:40 UTC)`): an hour a message shows without a zone was read on the
    sender's clock, which the owner checks against the message. The offset, not `JST`: a complaint records only the
    offset, so the form's read, `complaint add` and `complaint show` all say the sender's time the same way.
    Without a clock: the owner's local time, named."""
    local = f"{local_minute(at)} {local_zone(at)}"
    if clock is None:
        return local
    on = at.astimezone(clock)
    shown = f"{on:%Y-%m-%d %H:%M} {offset_name(on.utcoffset())}"
    return shown if local_minute(at) == f"{on:%Y-%m-%d %H:%M}" else f"{shown} ({local})"


def minute_here_first(at: datetime, clock: tzinfo | None) -> str:
    """`at` on the owner's clock, then on the sender's when that differs (`2026-12-05 15:30 UTC (sender: 2026-12-06
    00:30 UTC+09:00)`): when a complaint came, as its record says it (`complaint show`), on the clock of every other
    time there (its answer's day), so that no reply reads as sent before the message came. `minute_on` says the
    sender's first, where a message's date is read to be checked against the message."""
    local = f"{local_minute(at)} {local_zone(at)}"
    if clock is None:
        return local
    on = at.astimezone(clock)
    theirs = f"{on:%Y-%m-%d %H:%M}"
    return local if local_minute(at) == theirs else f"{local} (sender: {theirs} {offset_name(on.utcoffset())})"


def start_of_local_day(now: datetime) -> datetime:
    """The first moment of `now`'s local calendar day, in UTC: a deadline before it has passed.

    A deadline is a day: a complaint due today is due until the day ends, never "overdue" on it.
    """
    local = _local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        return local.astimezone(UTC)
    except (OverflowError, ValueError):  # the first local day of the calendar starts before UTC's
        return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def local_minute(value: datetime | None, missing: str = "-") -> str:
    """A stored time in local time to the minute (`2026-12-03 14:05`), or `missing`."""
    return _local(value).strftime("%Y-%m-%d %H:%M") if value is not None else missing


def local_zone(value: datetime) -> str:
    """The name of the local time zone at `value` (`JST`, `UTC`, `CET`), or its offset (`UTC+09:00`) when
    the zone has no name: said beside a time a deadline names, so an owner on a machine set to another
    zone (a server over SSH) does not read it as their own clock's."""
    local = _local(value)
    name = local.tzname() or ""
    if name and not name.lstrip("+-").isdigit():
        return name
    return offset_name(local.utcoffset())


def offset_name(offset: timedelta | None) -> str:
    """A clock named by its offset from UTC (`UTC+09:00`, `UTC-05:00`; `UTC` for none): what a sender's clock is
    called wherever a time is said on it, since a complaint records the offset, never the zone's name."""
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
