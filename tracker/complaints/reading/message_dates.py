"""The moment a complaint was sent, as its Date header or a pasted message's date line gives it, and the UTC
offset it was written in: the sender's clock, which the deadline the message asks for is read on
(`deadline_words`).

Read: RFC 5322 (`Fri, 04 Dec 2026 08:30:00 +0900`; `-0000` is UTC of an unknown offset; a zone name that means
one offset, `20:00:00 JST`, is that offset), `2026-11-30 14:05`,
`2026/11/30 14:05`, `2026年11月30日 14時05分` (a weekday in brackets allowed, or written out as Outlook and
Yahoo! Mail write it: `2026年12月7日 月曜日 10:00`, `2026/12/7, Mon 10:00`), in the zone it names (`Z`, `UTC`,
`GMT`, `JST`, `+09:00`, `+0900`) or else on the sender's clock when the caller knows it (Japan's for a message in
Japanese: `JAPAN`), else local time (no offset known); no time of day is 00:00. A date out of
`support.dates`' range is none. A year of the era (`令和8年12月4日`, `令和八年十二月四日`, `R8.12.4`) is read as the
Western one (`western`: 令和1 is 2019). Plain text in, the standard library only.

A letter pasted with no date line may bear its date on a line of its own, as a formal notice (通知書) does: `dated`.

A time the owner types with `--received` names the sender's clock only by a zone other than UTC (`typed_zone`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

from tracker.complaints.reading.scripts import JAPANESE, LATIN, SAMPLE, leans_japanese
from tracker.support.dates import in_range, minute_on, typed_offset

_JAPAN_NAMED = r"日本時間|日本標準時|JST"
"""Japan's clock as a date names it, in Japanese or by its abbreviation: `23:40 日本時間`, `23:40（日本標準時）`."""
STAMP = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    rf"(?:\s*[(（](?!{_JAPAN_NAMED})[^)）\n]{{1,6}}[)）]|,?[ \t]*(?:[月火水木金土日]曜日?"
    r"|(?i:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?)\.?)(?=[ \t]))?"
    rf"(?:(?:\s*|T)(?:[(（]?(?P<before>{_JAPAN_NAMED})[)）]?\s*)?"
    r"(?P<h>\d{1,2})(?::(?P<mi>\d{2})(?::(?P<s>\d{2}))?|\s*時\s*(?P<mi2>\d{1,2})\s*分"
    r"(?:\s*(?P<s2>\d{1,2})\s*秒)?)(?:\.\d+)?)?"
    r"\s*(?:(?:[(（]\s*)?(?:(?P<sign>(?:GMT|UTC)[ \t]*[+-](?=\d)|[+-](?=\d\d:?\d\d))(?P<oh>\d\d?)(?::?(?P<om>\d\d))?"
    rf"|(?P<zone>Z|UTC|GMT|{_JAPAN_NAMED})(?![A-Za-z0-9]))(?:\s*[)）])?)?"
)
"""A timestamp: a date, maybe a weekday, a time of day and a zone: an offset (`+0900`, `GMT+9`, `(UTC+09:00)`) or a
name (`UTC`, `JST`, `日本時間`, `（日本標準時）`, also before the hour: `2026年12月5日 日本時間23:40`)."""


_ZONE_NAMES = {"JST": "+0900", "KST": "+0900", "HKT": "+0800", "SGT": "+0800", "CET": "+0100", "CEST": "+0200"}
"""Zone names some mail programs write in a Date header instead of an offset, which the standard library reads as
`-0000` (no offset known, so UTC): a Japanese mail stamped `20:00:00 JST` was received nine hours late. Only names
that mean one offset (`IST` is India's, Ireland's or Israel's; RFC 5322's `EST`, `PDT`, ... are read already)."""
_NAMED_ZONE = re.compile(r"\s(?P<name>[A-Z]{3,4})\s*$")
_RFC_ZONES = {"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420}
_RFC_ZONES |= {"MDT": -360, "PST": -480, "PDT": -420}


def named_zone(name: str) -> tzinfo | None:
    """The offset a zone's name means: RFC 5322's (`EST`, `PDT`, `GMT`) and those of `_ZONE_NAMES` (`JST`, `CET`);
    None for any other (`IST`, `BST`: more than one clock, or none known)."""
    if (minutes := _RFC_ZONES.get(name.upper())) is None and (offset := _ZONE_NAMES.get(name.upper())) is not None:
        minutes = (-1 if offset[0] == "-" else 1) * (int(offset[1:3]) * 60 + int(offset[3:]))
    return timezone(timedelta(minutes=minutes)) if minutes is not None else None


_TWELVE_HOUR = re.compile(r"\d[ \t]*[AaPp]\.?[Mm]\b")

JAPAN = timezone(timedelta(hours=9), "JST")
"""Japan's clock: the sender's for a message written in Japanese that names no zone (`intake.sender_zone`)."""


def text_date(value: str, assumed: tzinfo | None = None) -> tuple[datetime | None, tzinfo | None]:
    """A date-time in one of the forms the module's docstring names, in UTC, and the UTC offset it was
    written in (None when it gives none: local time, or `-0000`, UTC of an unknown offset). A timestamp
    naming no zone is on `assumed` when given (the sender's clock: `2026年12月5日 23:40` from Japan is
    14:40 UTC on any server), else on the owner's local time."""
    if not (stamp := STAMP.match(value := western(value.strip()[:200]))):
        if _TWELVE_HOUR.search(value):
            return None, None  # RFC 5322 knows no `10:00 PM`: the standard library would read 10:00 (`forward_blocks`)
        named = _NAMED_ZONE.search(value)
        if named and named.group("name") in _ZONE_NAMES:
            value = value[: named.start()] + " " + _ZONE_NAMES[named.group("name")]
        try:
            parsed = parsedate_to_datetime(value)
            offset, parsed = parsed.tzinfo, parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)  # -0000
            return (parsed.astimezone(UTC), offset) if in_range(parsed) else (None, None)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None, None
    minute, second = stamp.group("mi") or stamp.group("mi2"), stamp.group("s") or stamp.group("s2")
    try:
        year, month, day = (int(stamp.group(g)) for g in ("y", "mo", "d"))
        when = datetime(year, month, day, int(stamp.group("h") or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None, None
    if not in_range(when):  # 0001-01-01 is no date a complaint arrived on (and local time cannot hold it)
        return None, None
    zone = stamp.group("zone") or stamp.group("before")
    if not stamp.group("sign") and not zone:
        local = when.replace(tzinfo=assumed) if assumed is not None else when.astimezone()  # else the owner's
        return local.astimezone(UTC), None
    if zone:
        minutes = 540 if re.fullmatch(_JAPAN_NAMED, zone) else 0
    elif (hours := int(stamp.group("oh"))) > 14 or int(stamp.group("om") or 0) >= 60:
        return None, None  # no clock is that far from UTC: a mistyped offset gives no date, not a wrong one
    else:
        minutes = hours * 60 + int(stamp.group("om") or 0)
    offset = timezone(timedelta(minutes=-minutes if (stamp.group("sign") or "").endswith("-") else minutes))
    return when.replace(tzinfo=offset).astimezone(UTC), offset


_NUMBER = "(?:元|[0-9]{1,2}|[〇一二三四五六七八九十]{1,3})"
_ERA_DATE = re.compile(
    rf"(?P<era>令和|平成)\s*(?P<y>{_NUMBER})\s*年\s*(?P<mo>{_NUMBER})\s*月\s*(?P<d>{_NUMBER})\s*日"
    r"|(?P<initial>[RH])\s*(?P<iy>[0-9]{1,2})\s*[./]\s*(?P<imo>[0-9]{1,2})\s*[./]\s*(?P<id>[0-9]{1,2})(?![0-9])"
)
"""A date in the era's years, as a Japanese formal letter writes it: `令和8年12月4日`, `令和八年十二月四日`, `令和元年`
(its first year), `R8.12.4`."""
_ERA_YEAR_ZERO = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}
_KANJI_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")}


def _number(written: str) -> int:
    """`12`, `十二`, `二十四`, `三十`, `元` (an era's first year) as a number."""
    if written == "元":
        return 1
    if written.isascii():
        return int(written)
    tens, ten, units = written.partition("十")
    if not ten:
        return _digits(written)
    return (_digits(tens) if tens else 1) * 10 + (_digits(units) if units else 0)


def _digits(written: str) -> int:
    return int("".join(str(_KANJI_DIGITS.get(c, 0)) for c in written))


_K = "[〇一二三四五六七八九十]{1,3}"
_KANJI_DATE = re.compile(
    rf"(?:(?P<y>[〇一二三四五六七八九十]{{1,4}}|元)年)?(?P<mo>{_K})月(?P<d>{_K})日(?P<wd>\s*[(（][^)）\n]{{1,3}}[)）])?"
    rf"(?:(?P<ap>\s*(?:午前|午後)?\s*)(?P<h>{_K})時(?:(?P<mi>{_K})分)?)?"
    rf"|(?P<n>{_K})(?P<unit>日|週間|営業日|時間|か月|ヶ月|カ月|箇月)(?P<within>以内)"
)


def with_digits(text: str) -> str:
    """`text` with the numbers of its dates written in kanji as digits, as a formal letter may write them:
    `令和八年十二月十日までに` is `令和8年12月10日までに`, `十二月十日（木）十七時` is `12月10日（木）17時`,
    `十日以内に` is `10日以内に`. Only a whole date (a month and its day) or a span within which (`以内`):
    `一日も早く` ("as soon as possible") and `一時的に` stay words."""

    def digits(found: re.Match[str]) -> str:
        if found.group("n"):
            return f"{_number(found.group('n'))}{found.group('unit')}{found.group('within')}"
        year = f"{_number(found.group('y'))}年" if found.group("y") else ""
        hour = f"{found.group('ap')}{_number(found.group('h'))}時" if found.group("h") else ""
        minute = f"{_number(found.group('mi'))}分" if found.group("mi") else ""
        return (
            f"{year}{_number(found.group('mo'))}月{_number(found.group('d'))}日{found.group('wd') or ''}{hour}{minute}"
        )

    return _KANJI_DATE.sub(digits, text)


def western(value: str) -> str:
    """`value` (NFKC: full-width digits, ㋿) with a date in the era's years it opens with (`_ERA_DATE`) written as the
    Western year (`令和8年12月4日` is `2026年12月4日`: 令和1 is 2019, 平成1 is 1989); any other value as it is."""
    value = unicodedata.normalize("NFKC", value)  # full-width digits, ㋿ (令和)
    if not (era := _ERA_DATE.match(value)):
        return value
    if era.group("era"):
        year, month, day = (_number(era.group(g)) for g in ("y", "mo", "d"))
    else:
        year, month, day = (int(era.group(g)) for g in ("iy", "imo", "id"))
    return f"{_ERA_YEAR_ZERO[era.group('era') or era.group('initial')] + year}年{month}月{day}日{value[era.end() :]}"


DATED_LINES = 8
"""How many lines at a letter's head, and above its end, are read for the date it bears (`dated`)."""
_DATED_BY = re.compile(r"^\s*(?P<date>.+?)\s*(?:[(（][^)）\n]{1,6}[)）])?\s*(?:付け?)?\s*$")
_NOT_SENT = re.compile(r"まで|迄|期限|期日|以内|作品|投稿|公開|発表|掲載|制作|deadline|\bby\b|[:：]\s*$", re.I)
"""A day a line asks for (`回答期限：`, `12月10日まで`), a work's (`私の作品` over `2024年3月1日`: when it was
published), or one a label introduces: no date the letter bears. Read on the line over it too, unless that line
ends a sentence (`…削除されたい。` over the date the letter is signed on)."""


def dated(text: str, assumed: tzinfo | None = None) -> tuple[datetime | None, tzinfo | None]:
    """The date a letter bears on a line of its own at its head or above its signature, as a formal Japanese notice
    (通知書) does: `令和8年12月4日`, `令和八年十二月四日`, `R8.12.4` (`western`), `2026年12月4日（金）`, `…付`, and in a
    letter in Japanese `2026/12/04`; read as `text_date` reads it. Not a line a deadline's words or a label introduce
    (`回答期限：` above it), nor a quoted one (`>`). None when no such line is there."""
    lines = [line for line in text.split("\n")[:2000] if line.strip()]
    sample = text[:SAMPLE]
    slashed = leans_japanese(len(JAPANESE.findall(sample)), len(LATIN.findall(sample)))  # `2026/12/04` a date there
    for at, line in itertools.chain(enumerate(lines[:DATED_LINES]), _last(lines)):
        found = _DATED_BY.match(line)
        above = lines[at - 1].rstrip() if at else "。"  # a finished sentence over it introduces no date
        if found is None or _NOT_SENT.search(line) or (not above.endswith(_SENTENCE_ENDS) and _NOT_SENT.search(above)):
            continue
        date = western(found.group("date"))
        stamp = STAMP.fullmatch(date)
        if stamp is not None and ("年" in date or stamp.group("h") or (slashed and date.count("/") == 2)):
            # `2026-12-04` alone may be anything; `2026/12/04` is a date only in a letter in Japanese
            read = text_date(date, assumed)
            if read[0] is not None:
                return read
    return None, None


_SENTENCE_ENDS = ("。", "．", ".", "!", "！", "?", "？")


def _last(lines: list[str]) -> Iterable[tuple[int, str]]:
    start = max(DATED_LINES, len(lines) - DATED_LINES)
    return ((at, lines[at]) for at in range(start, len(lines)))


def typed_offset_of_sender(typed: str | None) -> int | None:
    """The sender's UTC offset, in minutes, a time typed with its zone names (`2026-12-04T10:00-05:00`: -300);
    None for no zone, and for UTC (`Z`, `+00:00`): a time written exactly, not where the sender is, so the
    sender's clock stays what the message shows (its Date's offset, Japan's for a message in Japanese)."""
    return typed_offset(typed) or None  # 0 (UTC) is no sender's offset


def typed_zone(typed: str | None) -> tzinfo | None:
    """`typed_offset_of_sender` as a zone: the clock the letter's date and the deadline asked for are read on."""
    offset = typed_offset_of_sender(typed)
    return None if offset is None else timezone(timedelta(minutes=offset))


FUTURE_SLACK = timedelta(minutes=5)
"""How far after now a message's date may be before it is said to be wrong: two machines' clocks differ a little."""


def later_than_now(at: datetime | None, clock: tzinfo | None, now: datetime) -> str | None:
    """What to say of a message's date later than now (beyond `FUTURE_SLACK`): read on the wrong clock, or
    mistyped; it is kept as read, for the owner to check. None for a date not in the future."""
    if at is None or at <= now + FUTURE_SLACK:
        return None
    return f"the message's date, {minute_on(at, clock)}, is later than now"
