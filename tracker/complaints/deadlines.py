"""Reading an answer deadline: a day means the end of that day, on the sender's clock when it is known.

A complaint is *due* on its deadline's day and *overdue* once that day has ended
(`complaints.queue`). So a deadline typed as a date (`2026-12-04`) is the last moment of that day,
not its first: a complaint received in the morning may be due the same day, and a deadline the
complainant writes as a day ("12月4日まで") keeps all of it.

Whose day: the sender's, when the complaint records their UTC offset (`sent_utc_offset`: its Date
header's, a zone typed with its arrival time, Japan's for a message in Japanese), the clock a deadline
read from the message is counted on (`deadline_words`): 2026-12-06 typed for a sender in Japan is the
end of 6 December in Japan, as 12月6日まで in their message is. Else the owner's local day.

A day may also be typed relative to that clock's today, as the owner says it with a complaint in front
of them: `today`, `tomorrow`, `in 3 days`, 本日/今日, 明日, 明後日, 3日後 (each the end of that day).
Nothing vaguer ("soon", "next week") is read: a deadline is never guessed. A date-time typed with its
own zone is that moment.

A day may be typed as a Japanese message writes it, read as the message reader reads it
(`message_details.typed_day`): `12月8日`, `12月8日まで`, `2026年12月8日`, `令和8年12月8日`, `12/8`, `2026/12/8`,
full-width digits, an hour after the day (`12月8日 17:00`, `12月8日17時`: that hour on the same clock). Slashes
are month/day, as in Japan (and the US): `8/12` is 12 August, never 8 December (the day/month of Europe is not
read); the form and the commands say the day they read. A day without a year is the next such day on or after the
day the complaint was received (for a complaint logged the day it came, today: `1月5日` typed on 2026-12-07 is
2027-01-05), never a year-old one; counted from today when no received day is given.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from tracker.complaints.reading.deadline_words import END_OF_DAY, JAPANESE_DAYS, at, day_of
from tracker.errors import UsageError
from tracker.support.dates import (
    LATEST,
    in_range,
    local_day,
    local_minute,
    local_zone,
    minute_on,
    offset_name,
    parse_when,
    utcnow,
)

_DATE_ONLY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")
_RELATIVE_WORDS = {"today": 0, "tomorrow": 1, **JAPANESE_DAYS}
_IN_DAYS = re.compile(r"in ([0-9]{1,4}) days?|([0-9]{1,4}) ?日後")
_JAPANESE_END = re.compile(r"(?:中|まで(?:に)?)$")
"""`明日中`, `明日まで(に)`: the same day as `明日` (what a Japanese message or note says)."""
_HINT = (
    "use YYYY-MM-DD, 12月8日 or 12/8 (month/day), an ISO 8601 date-time, 'now', 'today', 'tomorrow', 'in N days',"
    " 明日, 明後日 or N日後"
)


def end_of_local_day(day: date) -> datetime:
    """The last second of `day` in local time, as an aware UTC datetime (the moment a message read on the
    owner's clock gives for a day: `deadline_words.at`, so `ends_its_day` knows both)."""
    return at(day, END_OF_DAY)


def sender_clock(sent_utc_offset: int | None) -> tzinfo | None:
    """The sender's clock a complaint records (its `sent_utc_offset`, minutes east of UTC), on which a day typed
    as its deadline ends; None when it records none (the owner's local time)."""
    if sent_utc_offset is None or abs(sent_utc_offset) > 18 * 60:
        return None
    return timezone(timedelta(minutes=sent_utc_offset))


def shown(deadline: datetime | None, missing: str = "-", zone: bool = True) -> str:
    """A deadline as the owner reads it: its local day (`2026-12-05`) when it is the end of that day, else
    the local minute it names with the local zone's name (`2026-12-05 12:00 JST`, from 明日の正午まで: a
    time read on a machine set to another zone than the owner's is not mistaken for theirs; without
    `zone` for a table that names the zone in its heading); `missing` when there is none."""
    if deadline is None:
        return missing
    if ends_its_day(deadline) is not False:
        return local_day(deadline)
    return f"{local_minute(deadline)} {local_zone(deadline)}" if zone else local_minute(deadline)


def shown_as_asked(deadline: datetime, clock: tzinfo | None) -> str:
    """The deadline a message asks for, as the message's date is said when it is read (`complaint add --from`, the
    New complaint form): on the sender's clock (`2026-12-07 23:59 UTC+09:00`, 明日中に in a mail sent from Japan), then
    on the owner's (`(2026-12-07 14:59 UTC)`), so that it can be checked against the words that asked for it; as
    `shown` alone when the clocks agree."""
    if clock is None or deadline.astimezone(clock).utcoffset() == deadline.astimezone().utcoffset():
        return shown(deadline)
    return minute_on(deadline, clock)


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def read_as(deadline: datetime, zone: tzinfo | None) -> str:
    """What a typed deadline was read as, said back to the owner before it is saved: its day and weekday on the
    clock it was read on (`2026-12-08 (Tue), the end of that day on the sender's clock (UTC+09:00)`), or the time
    it names there (`2026-12-08 (Tue) 17:00 in your local time`), then the owner's own when that clock is another
    (`; 2026-12-08 15:59 CET here`)."""
    there = deadline.astimezone(zone)
    day = f"{there:%Y-%m-%d} ({_WEEKDAYS[there.weekday()]})"
    said = f"{day}, the end of that day" if there.time() == END_OF_DAY else f"{day} {there:%H:%M}"
    said += f" on the sender's clock ({offset_name(there.utcoffset())})" if zone is not None else " in your local time"
    if zone is None or deadline.astimezone().utcoffset() == there.utcoffset():
        return said
    return f"{said}; {local_minute(deadline)} {local_zone(deadline)} here"


def ends_its_day(moment: datetime) -> bool | None:
    """Whether a moment is the last second of its local day (a deadline given as a day); None when
    local time cannot hold it (a stored date at the calendar's very end)."""
    try:
        return end_of_local_day(moment.astimezone().date()) == moment
    except (OverflowError, ValueError, OSError):
        return None


def relative_days(text: str) -> int | None:
    """How many days after today a typed relative day is (`tomorrow`: 1, `3日後`: 3), or None when it is none."""
    value = " ".join(unicodedata.normalize("NFKC", text).split()).lower()
    value = _JAPANESE_END.sub("", value)
    if value in _RELATIVE_WORDS:
        return _RELATIVE_WORDS[value]
    found = _IN_DAYS.fullmatch(value)
    if found is None:
        return None
    return int(found.group(1) or found.group(2))


def parse_deadline(
    text: str, now: datetime | None = None, zone: tzinfo | None = None, since: date | None = None
) -> datetime:
    """A typed deadline: `YYYY-MM-DD` is the end of that day on `zone` (the sender's clock, `sender_clock`; the
    owner's local time when None); a date-time or `now` is that moment; `today`, `tomorrow`, `in N days`, 本日,
    明日, 明後日, `N日後` are the end of that day counted from today on that clock (of `now`, default the
    current time); `12月8日`, `12/8`, `令和8年12月8日`, ... (`typed_day`) the end of that day on that clock, or
    the hour it names there, a day without a year the next one on or after `since` (default: that today)."""
    if _DATE_ONLY.fullmatch(text):
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            day = None
        if day is not None and in_range(datetime.combine(day, time())):
            return at(day, END_OF_DAY, zone)
    if now is not None and text.strip().lower() == "now":
        return now.astimezone(UTC)
    days = relative_days(text) if len(text) <= 64 else None
    if days is not None:
        today = day_of(now or utcnow(), zone)
        if (LATEST - today).days < days:
            raise UsageError(f"the deadline {text.strip()} is out of range: give one before {LATEST}")
        return at(today + timedelta(days=days), END_OF_DAY, zone)
    from tracker.complaints.reading.message_details import typed_day  # its patterns compiled when first needed

    if (day_typed := typed_day(text, since or day_of(now or utcnow(), zone), zone)) is not None:
        return day_typed
    try:
        return parse_when(text)  # the range errors are its
    except UsageError as exc:
        if not str(exc).startswith("cannot read the date"):
            raise
        shown = repr(text[:40]) + ("..." if len(text) > 40 else "")
        raise UsageError(f"cannot read the date {shown}: {_HINT}") from None


def checked_deadline(
    text: str, received_at: datetime, now: datetime | None = None, sent_utc_offset: int | None = None
) -> datetime:
    """`parse_deadline` on the sender's clock the complaint records (`sender_clock`), refused when it falls
    before the complaint was received."""
    zone = sender_clock(sent_utc_offset)
    deadline = parse_deadline(text, now, zone, since=day_of(received_at, zone))
    if deadline < received_at:
        raise UsageError(f"the deadline {text.strip()} is before the complaint was received")
    return deadline
