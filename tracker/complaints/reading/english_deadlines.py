"""The deadline an English message asks for (`asked_deadline`): `within 48 hours`, `by December 10, 2026`,
`by 5:00 PM PST on December 6`, `by close of business tomorrow`, `remove it today`, read in a sentence that asks
for action, on the sender's clock (`deadline_words`). Japanese deadlines are `message_details.demanded_deadline`'s.

A message is hostile input: only the writer's own words in its bounded sample are read (`quoting.own_words`),
every pattern is bounded, at most 50 matches of each are looked at. Plain text in, plain data out.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta, tzinfo

from tracker.complaints.reading.deadline_words import (
    DATE,
    DATE_THEN_HOUR,
    END_OF_DAY,
    HOUR_THEN_DATE,
    KEYWORD,
    LATER_DAY,
    MAX_DAYS,
    MONTHS,
    NEAR_DAY,
    SAME_DAY,
    WEEKDAY,
    YEAR_TURN,
    at,
    business_days_after,
    day_of,
    days_ahead,
    later_day,
    named_zone,
    near_day,
    same_day,
    timed,
)
from tracker.complaints.reading.quoting import flat_own_words
from tracker.support.dates import EARLIEST, LATEST

_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
_NUMBER_WORDS = {"a": 1, "an": 1} | {word: number for number, word in enumerate(_UNITS, 1)}
_NUMBER_WORDS |= {"twenty": 20, "twenty-one": 21, "twenty-four": 24, "thirty": 30, "forty-eight": 48}
_NUMBER_WORDS |= {"seventy-two": 72, "ninety-six": 96}
_NUMBER_WORD = "|".join(word.replace("-", "[ -]") for word in sorted(_NUMBER_WORDS, key=len, reverse=True))
_WITHIN = re.compile(
    rf"\bwithin (?:the next |a period of )?(?:(?P<n>\d{{1,4}})|(?P<w>{_NUMBER_WORD})\b"
    r"(?: ?\((?P<p>\d{1,4})\))?) ?(?P<kind>business |working |calendar )?(?P<unit>hours?|hrs?|h|days?|weeks?)\b"
)
"""`within 48 hours`, `within ten (10) days`, `within five business days`, `within a working day`."""
_BY_DATE = re.compile(
    KEYWORD
    + r"(?:(?:the )?(?:end of (?:the )?(?:day|business(?: day)?)|close of business(?: day)?|eod|cob|end of)"
    + r"(?: on)?,? )?"
    + WEEKDAY
    + DATE
)
_ASKS = re.compile(
    r"\b(?:remov|take\b.{0,30}?\bdown|taken down|takedown|disabl|delet|respond|response|reply|answer"
    r"|comply|complian|action|act (?:on|upon)\b|hear (?:back )?from you|cease)"
)
_NOT_ASKED = re.compile(r"\brestor|\bcounter[- ]?notic")
"""A sentence about the restore window of a counter-notice is no deadline the complainant asks for."""


def _sentence(flat: str, start: int, end: int) -> str:
    """The sentence around flat[start:end] (at most 300 characters either side)."""
    before = re.split(r"[.!?] ", flat[max(0, start - 300) : start])[-1]
    after = re.split(r"[.!?](?: |$)", flat[end : end + 300])[0]
    return before + flat[start:end] + after


def _asks(flat: str, found: re.Match[str]) -> bool:
    sentence = _sentence(flat, found.start(), found.end())
    return bool(_ASKS.search(sentence)) and not _NOT_ASKED.search(sentence)


def _within(found: re.Match[str], received: datetime, zone: tzinfo | None) -> datetime | None:
    """The moment `within N hours/days/business days/weeks` of receipt ends (a day: the end of that
    day in `zone`, the owner's local time when None)."""
    number: int | None
    if found.group("p") or found.group("n"):
        number = int(found.group("p") or found.group("n"))
    else:
        number = _NUMBER_WORDS.get(found.group("w").replace(" ", "-"))
    if not number:
        return None
    unit, kind = found.group("unit"), (found.group("kind") or "").strip()
    if unit.startswith("h"):
        return received + timedelta(hours=number) if number <= 24 * MAX_DAYS and not kind else None
    days = number * 7 if unit.startswith("week") else number
    if days > MAX_DAYS or (kind in ("business", "working") and unit.startswith("week")):
        return None
    today = day_of(received, zone)
    last = business_days_after(today, days) if kind in ("business", "working") else days_ahead(today, days)
    return at(last, END_OF_DAY, zone) if last is not None and last <= LATEST else None


def _named_day(found: re.Match[str], today: date) -> date | None:
    """The day `by December 10, 2026` names; a day without a year as `demanded_deadline` reads it after
    `by`, `no later than`, `on or before` or `deadline`, never after `before`/`until` (`I created it
    before March 3`: a past day, no deadline); a day before `today` is no deadline."""
    try:
        if found.group("iso"):
            when = date.fromisoformat(found.group("iso"))
        else:
            if found.group("jm"):
                month, day = int(found.group("jm")), int(found.group("jd"))
            else:
                month, day = MONTHS[found.group("m1") or found.group("m2")], int(found.group("d1") or found.group("d2"))
            year = found.group("jy") or found.group("y")
            when = date(int(year or today.year), month, day)
            rolls = not found.group("kw").startswith(("before", "until", "till"))
            if rolls and not year and when < today and date(today.year + 1, month, day) - today < YEAR_TURN:
                when = date(today.year + 1, month, day)
    except ValueError:
        return None
    return when if today <= when and EARLIEST <= when <= LATEST else None


def _by_date(found: re.Match[str], received: datetime, zone: tzinfo | None) -> datetime | None:
    """The end of the day a date names (`_named_day`), in `zone`."""
    when = _named_day(found, day_of(received, zone))
    return at(when, END_OF_DAY, zone) if when else None


def _dated_hour(found: re.Match[str], received: datetime, zone: tzinfo | None) -> datetime | None:
    """The hour on a date (`by 5:00 PM PST on December 6, 2026`) in the zone it names, else `zone`."""
    zone = named_zone(found) or zone
    when = _named_day(found, day_of(received, zone))
    return timed(found, when, zone) if when else None


def asked_deadline(text: str, received_at: datetime, zone: tzinfo | None = None) -> datetime | None:
    """The earliest deadline an English message asks for, never before `received_at` (aware; a naive
    time is local), as an aware UTC datetime. Its days and hours are the sender's: in `zone` (the
    offset the message's Date gives), else (None) the owner's local time; a zone the text names after
    an hour (`5:00 PM PST`, `17:00 UTC`, `+0900`) wins (`deadline_words`).

    Reads, in a sentence that asks for an action (remove, take down, disable, delete, respond, reply,
    comply, ...): `within 48 hours`/`within 24 hrs` (received + the hours), `within 5 days`,
    `within ten (10) days`, `within two weeks` (the end of that day after receipt),
    `within 7 business days`/`within five working days` (weekends skipped), `within three calendar
    days` (days), `by December 10, 2026`, `by 10 December 2026`, `by the end of December 8`,
    `no later than Dec 10`, `by 2026-12-10` (the end of that day; a day without a year is the
    next one, across the year's turn as `message_details.demanded_deadline` reads it); an hour on a
    date (`by 5:00 PM PST on December 6, 2026`, `by 17:00 on 6 December 2026`, `by December 6 at 5 PM`,
    `by close of business on December 6`: 17:00), which wins over the end of that day; a day near
    receipt (`by close of business tomorrow`, `by end of day tomorrow`, `by COB Friday`, `by tomorrow`,
    `by 5 PM today`, `by the end of today`: the coming such day, the receipt day itself when it is one); the
    receipt day's end by `by EOD`, `by end of day` (17:00 by `by COB`) naming no day, or by `today` right after
    the action asked (`Please remove the image today.`, `I expect it removed today.`).
    Also `by end of week` (Friday's end), `by the 8th` (the next 8th), `by next Monday` (the first one after
    receipt), `by Monday next week` (`deadline_words.later_day`).

    Does not read: a numeric date other than ISO (`12/10/2026` is 10 December or 12 October), an hour
    without minutes or am/pm, a span over 120 days, a day before the message was received, a restore
    window of a counter-notice, or Japanese (see `demanded_deadline`).
    """
    received = received_at.astimezone(UTC)
    flat = flat_own_words(text).lower()
    found: list[datetime] = []
    hours: list[tuple[int, int]] = []  # where an hour was read: its date's end of day is not the deadline
    readers = ((HOUR_THEN_DATE, _dated_hour), (DATE_THEN_HOUR, _dated_hour), (NEAR_DAY, near_day), (SAME_DAY, same_day))
    for pattern, read in (*readers, (LATER_DAY, later_day), (_WITHIN, _within), (_BY_DATE, _by_date)):
        for match in itertools.islice(pattern.finditer(flat), 50):
            if pattern is _BY_DATE and any(start < match.end() and match.start() < end for start, end in hours):
                continue
            if _asks(flat, match) and (when := read(match, received, zone)) is not None:
                found.append(when)
                hours += [match.span()] if pattern is not _WITHIN else []
    found = [when for when in found if when >= received]
    return min(found) if found else None
