"""Deadlines counted on the sender's clock, and the English ways of naming an hour or a nearby day.

A message asking for action "tomorrow by 17:00" means the sender's tomorrow and the sender's 17:00:
an e-mail dated `Fri, 04 Dec 2026 08:30 +0900` asking 明日の17時までに is due 17:00 on 5 December in
Japan, whatever the owner's own time zone. So every relative day, time of day and "end of that day"
is counted in the offset the message's Date gives (`zone`); when none is known (pasted text, a
Date without an offset, `-0000`), in the owner's local time, as a deadline the owner types is. A
zone the writer names ("5:00 PM PST", "17:00 JST", "+0900") wins over both.

English read here (the `english_deadlines.asked_deadline` helpers, in a sentence that asks for action):
- an hour with a date: `by 5:00 PM PST on December 6, 2026`, `by 17:00 on 6 December 2026`,
  `by December 6, 2026 at 5 PM`, and a day and zone written in Japanese (`by 2026年12月10日 23:59 日本時間`);
- an hour, the close of business (17:00) or the end of a day counted from receipt: `by close of
  business tomorrow`, `by end of day tomorrow`, `by COB Friday`, `by 5 PM today`, `by tomorrow`,
  `by the end of today`; the day of receipt by `by EOD`, `by end of day`, `by COB` naming no day, and by
  `today` after the action asked (`Please remove the image today.`, `I expect it removed today.`).
  A weekday is the next such day from the received day (that day itself when it is one): "by COB
  Friday" sent on a Friday is that Friday, and once its 17:00 has passed, no deadline (never a
  week later).
- a later day (`LATER_DAY`): `by end of week`, `by the end of this week` (Friday's end, as 今週中 is read),
  `by end of next week`, `by the 8th` (the next 8th), `by next Monday` (the first Monday after the received
  day: the earlier of its two readings), `by Monday next week` (the following week's Monday), `by next week` and
  `by early next week` (its start or its end? the earlier: the coming Monday, as `by next Monday` and 来週までに).

Not read: a bare hour without `:MM` or am/pm (`by 5 on December 6`), `midnight` (which side of the
day?), a zone
abbreviation outside `_ZONES` (`IST` is India's, Ireland's or Israel's).
Every pattern is bounded, no nested repeats over white space: the text is one line with single spaces.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache

from tracker.complaints.reading.zone_words import WRITTEN_ZONE, written_zone
from tracker.support.dates import EARLIEST, LATEST

END_OF_DAY = time(23, 59, 59)
JAPANESE_DAYS = {"本日": 0, "今日": 0, "明日": 1, "明後日": 2}
"""Days ahead each Japanese word for a nearby day names, typed by the owner (`--deadline 明日`) or in a message."""
CLOSE_OF_BUSINESS = time(17, 0)
""""Close of business" (COB, end of business): 17:00 on the sender's clock."""
MAX_DAYS = 120
"""The longest span, in days, a message's `within N days` (`N日以内に`, and its hours and weeks) is read as a
deadline for: a longer one is not read as one. The same for English and Japanese messages."""
YEAR_TURN = timedelta(days=120)
"""A day named without a year that has passed this year is next year's only this close to it (`January 5`,
`1月5日` in a December message); further away, it is a past day, no deadline. The same for English and
Japanese messages."""


def day_of(moment: datetime, zone: tzinfo | None) -> date:
    """The day a moment falls on, in `zone` (the owner's local time when None)."""
    return moment.astimezone(zone).date()


def at(day: date, clock: time = END_OF_DAY, zone: tzinfo | None = None) -> datetime:
    """The moment `clock` on `day` in `zone` (the owner's local time when None), as an aware UTC datetime."""
    if zone is None:
        return datetime.combine(day, clock).astimezone().astimezone(UTC)
    return datetime.combine(day, clock, zone).astimezone(UTC)


def business_days_after(day: date, count: int) -> date:
    """The day `count` weekdays after `day` (Saturday and Sunday skipped, no public holidays)."""
    while count:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day


def days_ahead(day: date, count: int) -> date | None:
    """`day` plus `count` days, None past the calendar's end (or before its start)."""
    if not EARLIEST <= day or (LATEST - day).days < count:
        return None
    return day + timedelta(days=count)


_ZONES = {"utc": 0, "gmt": 0, "jst": 9, "bst": 1, "cet": 1, "cest": 2}
_ZONES |= {"est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7}
ZONE = (
    r"\(?(?P<zone>(?:utc|gmt) ?[+-]\d{1,2}(?::?\d\d)?|[+-]\d\d:?\d\d|"
    + WRITTEN_ZONE
    + "|"
    + "|".join(_ZONES)
    + r")\b\)?"
)
"""A zone the writer names after an hour, maybe in brackets: `PST`, `UTC`, `JST`, `+0900`, `+09:00`, `GMT+9`, `UTC-5`,
`Eastern Time`, `(Japan time)`, and Japan's clock in Japanese in an English sentence (`23:59 日本時間`,
`23:59（日本標準時）`) (`zone_words.written_zone`: daylight saving time by the date)."""
CLOCK = (
    r"(?:(?P<h>\d{1,2})(?::(?P<mi>\d\d))? ?(?P<ap>a\.?m\b\.?|p\.?m\b\.?)|(?P<h24>\d{1,2}):(?P<mi24>\d\d)\b"
    r"|(?P<noon>noon|midday)\b)"
)
"""`5 PM`, `5:00 p.m.`, `17:00`, `noon` (the flat text is lowercase): an hour with minutes or am/pm."""


def named_zone(found: re.Match[str]) -> tzinfo | None:
    """The zone a match's `zone` group names, None when it names none (or an impossible offset)."""
    name = found.group("zone")
    if not name:
        return None
    if name in _ZONES:
        return timezone(timedelta(hours=_ZONES[name]))
    if name.endswith(("time", "日本時間", "日本標準時")):
        return written_zone(name)
    offset = re.fullmatch(r"(?:utc|gmt)? ?([+-])(\d{1,2}):?(\d\d)?", name)
    if offset is None:
        return None
    minutes = int(offset.group(2)) * 60 + int(offset.group(3) or 0)
    if minutes > 14 * 60 or int(offset.group(3) or 0) >= 60:
        return None
    return timezone(timedelta(minutes=-minutes if offset.group(1) == "-" else minutes))


def clock_of(found: re.Match[str]) -> time | None:
    """The time of day a `CLOCK` match names, None when it is no time of day (`13 PM`, `25:00`)."""
    if found.group("noon"):
        return time(12, 0)
    if found.group("h24") is not None:
        hour, minute = int(found.group("h24")), int(found.group("mi24"))
    elif found.group("h") is not None:
        hour, minute = int(found.group("h")), int(found.group("mi") or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found.group("ap").startswith("p") else 0)
    else:
        return None
    return time(hour, minute) if hour < 24 and minute < 60 else None


MONTHS = {
    **dict.fromkeys(("january", "jan"), 1),
    **dict.fromkeys(("february", "feb"), 2),
    **dict.fromkeys(("march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    "may": 5,
    **dict.fromkeys(("june", "jun"), 6),
    **dict.fromkeys(("july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("october", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE = (
    rf"(?:(?P<iso>\d{{4}}-\d\d-\d\d)\b|(?P<m1>{_MONTH})\.? (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<m2>{_MONTH})\b\.?"
    r"|(?:(?P<jy>\d{4}) ?年 ?)?(?P<jm>\d{1,2}) ?月 ?(?P<jd>\d{1,2}) ?日(?: ?\([月火水木金土日]\))?)"
    r"(?:,? (?P<y>\d{4})\b)?"
)
"""`December 10`, `Dec. 10th, 2026`, `10 December 2026`, `the 10th of December`, `2026-12-10`, and a day written the
Japanese way in an English sentence (`by 2026年12月10日 23:59 日本時間`, `12月10日（木）`)."""
KEYWORD = r"\b(?P<kw>by|before|no later than|not later than|until|till|on or before|deadline(?: is|:)?) "
WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,? )?(?:the )?"
"""A weekday before a date (`Friday, December 11th`): read past, the date says which."""
_END = (
    r"(?P<cob>close of business(?: day)?|end of business(?! day)|cob|eob)\b"
    r"|(?P<eod>(?:the )?end of (?:the )?(?:business )?day|eod)\b"
)
_ZONE_GAP = r"(?: |(?=\())"
"""A space before a zone, or none before its bracket (`23:59（日本時間）`, NFKC-normalised)."""
_HOUR = rf"(?:{_END}|{CLOCK}(?:{_ZONE_GAP}{ZONE})?)"
_HOUR_THEN_DATE = KEYWORD + r"(?:the )?" + _HOUR + r"(?: on)?,? " + WEEKDAY + DATE
"""`HOUR_THEN_DATE`: `by 5:00 PM PST on December 6, 2026`, `by 17:00 on 6 December 2026`, `by close of business on
Dec 6`."""
_DATE_THEN_HOUR = KEYWORD + WEEKDAY + DATE + r",? (?:at |by )?(?:the )?" + _HOUR
"""`DATE_THEN_HOUR`: `by December 6, 2026 at 5 PM`, `no later than 6 December 2026, 17:00 UTC`."""

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORD = (
    r"(?:(?P<rel>today|tonight|tomorrow)\b|(?:on )?(?:this )?(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\b\.?)"
)
_NEAR_DAY = (
    r"\b(?:by|no later than|not later than) (?:the )?(?:"
    + _HOUR
    + r"(?: on)?,? |end of (?:the )?)?"
    + _DAY_WORD
    + rf"(?!,? (?:the )?(?:\d(?!\d? ?(?:[ap]\.?m\b|:\d\d))|(?:{_MONTH})\b|(?:of )?next week\b))"
)
"""`NEAR_DAY`: `by close of business tomorrow`, `by end of day tomorrow`, `by COB Friday`, `by 5 PM PST today`,
`by tomorrow`, `by the end of today`, `by tomorrow, 5pm PST` (the hour after it, `HOUR_AFTER`); not a weekday
before its date (`by Friday, December 11th`: the date is read,
`DATE`), nor `before Friday` (the day before it?)."""
_WD = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\b"
_LATER_DAY = (
    r"\b(?:by|no later than|not later than) (?:the )?(?:"
    r"end of (?:the |this )?(?P<next_week>next )?(?:business |working )?week\b"
    r"|(?:early )?(?P<week_start>next week)\b(?!['’]s|-?end| ?(?:on |the )?(?:mon|tue|wed|thu|fri|sat|sun))"
    rf"|(?:on )?next (?P<nwd>{_WD})|(?:on )?(?P<wwd>{_WD}),? (?:of )?next week\b"
    rf"|(?P<dom>\d{{1,2}})(?:st|nd|rd|th)\b(?!,? (?:of )?(?:{_MONTH})\b)(?: of (?P<month>this|next) month\b)?"
    r")"
)
"""`LATER_DAY`: `by end of week`, `by the end of this week` (the received week's Friday, its Sunday when received on
a weekend, as Japanese 今週中 is read), `by end of next week` (the next week's Friday); `by next Monday` (the first
Monday after the received day: the earlier reading of an ambiguous phrase), `by Monday next week` (the Monday of the
following week, Monday to Sunday); `by next week`, `by early next week` (the coming Monday, the earlier reading: not
`by next week's end`, `by next week Friday`); `by the 8th` (the next 8th from the received day), `by the 8th of next
month`.
An hour after it is read (`by next Monday at 5 PM`, `HOUR_AFTER`)."""
_ASKED_TODAY = (
    r"\b(?:remove|removed|delete|deleted|disable|disabled|take (?:[\w'’-]+ ){0,3}down|taken down|respond|reply)"
    r"(?:[ ,][\w'’-]+){0,6}? (?:by )?(?:the )?(?:end of )?(?:today|tonight)\b"
)
"""`Please remove the image today.`, `I expect it removed today.`: the day the action is asked for, right after
its verb in one clause (not `I noticed today that ...; please remove it`, where `today` tells when)."""
_SAME_DAY = (
    r"\b(?:by|no later than|not later than) (?:the )?(?:"
    + _END
    + r")(?!,? (?:the )?(?:on |of )?(?:day|today|tonight|tomorrow|this|next|mon|tue|wed|thu|fri|sat|sun|\d"
    + rf"|(?:{_MONTH})\b))|{_ASKED_TODAY}"
)
"""`SAME_DAY`: the day the message was received, by a word that names no day (`by EOD`, `by end of day`, `by close of
business`) or by `today` after what it asks (`remove it today`); `by COB Friday`, `by end of day on
December 6` are `NEAR_DAY`'s and `HOUR_THEN_DATE`'s."""
_HOUR_AFTER = r",? (?:at |by )?(?:the )?" + _HOUR
"""An hour after the day (`by Friday at 5 PM`, `by tomorrow, close of business`)."""
_PATTERNS = {
    "HOUR_THEN_DATE": _HOUR_THEN_DATE,
    "DATE_THEN_HOUR": _DATE_THEN_HOUR,
    "NEAR_DAY": _NEAR_DAY,
    "SAME_DAY": _SAME_DAY,
    "LATER_DAY": _LATER_DAY,
    "HOUR_AFTER": _HOUR_AFTER,
    "ZONE_AFTER": _ZONE_GAP + ZONE,
}
"""The English patterns, compiled on first use (`pattern`): a few milliseconds that `tracker status`, `complaint
list` and the TUI, which only count days here (`at`, `day_of`), never pay; reading a message compiles them."""


@cache
def pattern(name: str) -> re.Pattern[str]:
    """The compiled pattern `name` of `_PATTERNS`, compiled once."""
    return re.compile(_PATTERNS[name])


def __getattr__(name: str) -> re.Pattern[str]:
    """`from tracker.complaints.reading.deadline_words import NEAR_DAY` (and the other `_PATTERNS`) compiles it then."""
    if name in _PATTERNS:
        return pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def near_day(found: re.Match[str], received: datetime, zone: tzinfo | None) -> datetime | None:
    """The moment a `NEAR_DAY` match names, counted from the day `received` falls on in the zone it
    names (after its hour, or after the day: `by noon tomorrow UTC`), else `zone`: the end of that day,
    17:00 for the close of business, or the hour it names (there or in an `HOUR_AFTER` right after it)."""
    hour = found
    if not any(found.group(name) for name in ("cob", "eod", "h", "h24", "noon")):
        hour = pattern("HOUR_AFTER").match(found.string, found.end()) or found
    named = named_zone(hour)
    if named is None and (after := pattern("ZONE_AFTER").match(found.string, hour.end())):
        named = named_zone(after)
    zone = named or zone
    today = day_of(received, zone)
    if found.group("rel"):
        ahead = 1 if found.group("rel") == "tomorrow" else 0
    else:
        weekday = next(i for i, name in enumerate(_WEEKDAYS) if name.startswith(found.group("wd")))
        if not _WEEKDAYS[weekday].startswith(found.group(0).rsplit(" ", 1)[-1].rstrip(".")):
            return None  # `by monty`: no weekday
        ahead = (weekday - today.weekday()) % 7
    if (day := days_ahead(today, ahead)) is None:
        return None
    if any(hour.group(name) for name in ("cob", "h", "h24", "noon")):
        return timed(hour, day, zone)  # None for no time of day (`by 13 PM tomorrow`)
    return at(day, END_OF_DAY, zone)


def later_day(found: re.Match[str], received: datetime, zone: tzinfo | None) -> datetime | None:
    """The moment a `LATER_DAY` match names, counted from the day `received` falls on in `zone` (the zone an hour
    after it names wins): the end of that day, or the hour after it."""
    hour = pattern("HOUR_AFTER").match(found.string, found.end())
    zone = (named_zone(hour) if hour else None) or zone
    today = day_of(received, zone)
    if found.group("dom"):
        day = day_of_month(today, int(found.group("dom")), found.group("month"))
    else:
        if found.group("week_start"):  # `by next week`: its start, the coming Monday (not the received day)
            ahead = 7 - today.weekday()
        elif found.group("nwd") or found.group("wwd"):
            name = found.group("nwd") or found.group("wwd")
            weekday = next((i for i, full in enumerate(_WEEKDAYS) if full.startswith(name)), None)
            if weekday is None:
                return None  # `by next monty`: no weekday
            after = (weekday - today.weekday()) % 7 or 7
            ahead = after if found.group("nwd") else 7 - today.weekday() + weekday
        else:  # the end of the (next) week: its Friday, its Sunday on a weekend
            ahead = (4 if today.weekday() < 5 else 6) - today.weekday() + (7 if found.group("next_week") else 0)
        day = days_ahead(today, ahead)
    if day is None:
        return None
    return (timed(hour, day, zone) if hour else None) or at(day, END_OF_DAY, zone)


def day_of_month(today: date, number: int, month: str | None) -> date | None:
    """The next day numbered `number` from `today` (that day itself, else this month's, else a later month's: the 31st
    skips a shorter month); `this`: this month's only, `next`: next month's only; None for no such day (`32`)."""
    for months in range(1 if month == "next" else 0, 1 if month == "this" else 3):
        year, index = divmod(today.month - 1 + months, 12)
        try:
            day = date(today.year + year, index + 1, number)
        except ValueError:
            continue
        if today <= day <= LATEST:
            return day
    return None


def same_day(found: re.Match[str], received: datetime, zone: tzinfo | None) -> datetime | None:
    """The moment a `SAME_DAY` match names: the end of the day `received` falls on in `zone` (the owner's local
    time when None), 17:00 for the close of business (`by COB`)."""
    return at(day_of(received, zone), CLOSE_OF_BUSINESS if found.group("cob") else END_OF_DAY, zone)


def timed(found: re.Match[str], day: date, zone: tzinfo | None) -> datetime | None:
    """The moment a match's hour (`CLOCK`) or close of business names on `day` in the zone it names
    (`ZONE`), else `zone`; None without one."""
    zone = named_zone(found) or zone
    if found.group("cob"):
        return at(day, CLOSE_OF_BUSINESS, zone)
    if found.group("h") or found.group("h24") or found.group("noon"):
        clock = clock_of(found)
        return at(day, clock, zone) if clock else None
    return None
