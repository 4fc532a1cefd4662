"""A message forwarded inline: the block a mail program writes when the owner forwards a complaint (to themselves,
from a phone, from another address), with who first wrote it, when, under which subject, and their words.

Read: the line each mail program opens a forward with, in English or Japanese:
- Thunderbird: `-------- Forwarded Message --------`, `-------- 転送メッセージ --------`;
- Gmail: `---------- Forwarded message ---------`, `---------- 転送メッセージ ----------`;
- Outlook: `-----Original Message-----`, `-----元のメッセージ-----`, or a rule of underscores before its `From:`, or
  in an e-mail nothing over its `From:` / `Sent:` / `Subject:` block (HTML, read as text, loses the rule);
- Apple Mail: `Begin forwarded message:`, `転送されたメッセージ:`;
then a block of `Label: value` lines (`From`/`差出人`/`送信者`, `Date`/`Sent`/`日付`/`送信日時`, `Subject`/`件名`,
`To`/`宛先`/`Cc`), the forwarded words after it. Dates as `message_dates` reads them, and as mail programs write
them in a forward (`Sat, Dec 5, 2026 at 10:00 AM`, `December 5, 2026 at 10:00:00 GMT+9`). Plain text in, the
standard library only.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import getaddresses

from tracker.complaints.reading.message_dates import named_zone, text_date
from tracker.complaints.reading.zone_words import WRITTEN_ZONE, written_zone
from tracker.support.dates import in_range
from tracker.support.textsafe import safe_text

_MARK = re.compile(
    r"^[ \t>]*(?:-{2,}[ \t]*(?:Forwarded[ \t]+Message|Original[ \t]+Message"
    r"|転送メッセージ|転送されたメッセージ|元のメッセージ)[ \t]*-{2,}"
    r"|Begin[ \t]+forwarded[ \t]+message[ \t]*:|転送されたメッセージ[ \t]*[:：]|_{20,})[ \t]*$",
    re.I | re.M,
)
"""The line a mail program opens a forwarded message with (an Outlook rule of underscores too: its `From:` follows)."""
_FORWARD_WORD = re.compile(r"forward|転送", re.I)


def forward_mark(line: str) -> bool:
    """Whether the line opens a forward (`-------- Forwarded Message --------`, `Begin forwarded message:`,
    `---------- 転送メッセージ ----------`): not Outlook's `-----Original Message-----` or rule, which open a reply
    too."""
    return bool(_MARK.match(line[:200])) and bool(_FORWARD_WORD.search(line[:200]))


_FIELD = re.compile(
    r"^[ \t>]*\*?(?:Original(?:ly)?[ \t]+)?(?P<label>[A-Za-z\-]{2,12}|[\u3000-\u9fff]{2,6})\*?[ \t]*[:：]\*?[ \t]*"
    r"(?P<value>.*)$"
)
"""A header line of a block, as mail programs write it (`From:`, `*Sent:*`, `差出人:`), and as the text of an
attached forward (`message/rfc822`) heads it (`Originally from:`, `Originally sent:`, `Original subject:`), so that
a letter finds its date, or that it has none, in the message the complaint keeps (`letters.sent_dates`)."""
_FIELDS = dict.fromkeys(("from", "差出人", "送信者", "送信元"), "from")
_FIELDS |= dict.fromkeys(("date", "sent", "日付", "日時", "送信日時"), "date")
_FIELDS |= dict.fromkeys(("subject", "件名"), "subject")
_FIELDS |= dict.fromkeys(("to", "cc", "reply-to", "宛先", "宛て先", "返信先", "importance", "重要度"), "other")


def field_kind(line: str) -> str | None:
    """What a line of a mail's header block gives (`from`, `date`, `subject`, `other`: `To`, `Cc`...), as a forward's
    or a reply's block writes it (`From: …`, `*Sent:* …`, `差出人: …`, `送信日時: …`); None for any other line."""
    found = _FIELD.match(line[:200])
    return _FIELDS.get(found.group("label").lower()) if found else None


_ADDRESS = re.compile(r"[\w.%+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}", re.ASCII)
MAX_SCAN = 256 * 2**10
"""How far into a message a forward's mark is looked for."""
MAX_MARKS = 20
MAX_BLOCK = 8192
"""The most characters a forward's header block holds."""


@dataclass(frozen=True)
class ForwardBlock:
    """A forwarded message read from its inline block: each field None when the block does not say it."""

    sender_name: str | None
    sender_address: str | None
    date: str | None
    """As written: `forwarded_date` reads it."""
    subject: str | None
    text: str
    """The forwarded words, after its header block."""
    note: str
    """What the forwarder wrote above the block."""


def forward_block(text: str, bare: bool = False) -> ForwardBlock | None:
    """The first forwarded message in `text` whose header block names its sender with an e-mail address; None when
    there is none (a line of dashes alone, or a quoted reply without a `From:` line, is no forward). At most
    `MAX_MARKS` marks are tried, each header block read within `MAX_BLOCK` characters: hostile text stays linear.
    With `bare` (the text of an e-mail, whose own headers are not in it), Outlook's block with no line over it too:
    an HTML forward has none (`_bare_block`)."""
    for mark in itertools.islice(_MARK.finditer(text, 0, MAX_SCAN), MAX_MARKS):
        block = _read_block(text[mark.end() : mark.end() + MAX_BLOCK])
        if block is None:
            continue
        fields, length = block
        name, address = _sender(fields["from"])
        if address is None:
            continue
        body = text[mark.end() + length :].strip()
        return ForwardBlock(
            name, address, fields.get("date"), fields.get("subject"), body, text[: mark.start()].strip()
        )
    return _bare_block(text) if bare else None


_FROM_LINE = re.compile(r"^[ \t]*\*?(?:from|差出人|送信者)\*?[ \t]*[:：]", re.I | re.M)


def _bare_block(text: str) -> ForwardBlock | None:
    """Outlook's header block with no mark over it, as an HTML forward shows once read as text (its rule is a `<hr>`
    or a border): a `From:` line naming an address, then a date and a subject in the same block (`From:` / `Sent:` /
    `To:` / `Subject:`, `差出人:` / `送信日時:` / `宛先:` / `件名:`). At most `MAX_MARKS` such lines are tried."""
    for line in itertools.islice(_FROM_LINE.finditer(text, 0, MAX_SCAN), MAX_MARKS):
        block = _read_block(text[line.start() : line.start() + MAX_BLOCK])
        if block is None or not {"date", "subject"} <= block[0].keys():
            continue
        fields, length = block
        name, address = _sender(fields["from"])
        if address is not None:
            body = text[line.start() + length :].strip()
            return ForwardBlock(name, address, fields["date"], fields["subject"], body, text[: line.start()].strip())
    return None


def _read_block(window: str) -> tuple[dict[str, str], int] | None:
    """The header lines opening `window` (up to three blank lines before them) and where their block ends (its
    first blank line); None when its first line is no header line or it names no sender."""
    lines = window.split("\n")
    at = next((i for i, line in enumerate(lines[:4]) if line.strip()), len(lines))
    if at >= len(lines) or not _FIELD.match(lines[at]):
        return None
    fields: dict[str, str] = {}
    while at < len(lines) and lines[at].strip():
        found = _FIELD.match(lines[at])  # else a header folded onto the next line (a long To:)
        kind = _FIELDS.get(found.group("label").lower()) if found else None
        if found and kind and kind != "other":
            fields.setdefault(kind, found.group("value").strip())
        at += 1
    if at == len(lines) and len(window) == MAX_BLOCK:
        return None  # no end within the window: no header block
    return (fields, sum(len(line) + 1 for line in lines[:at])) if fields.get("from") else None


_ADDRESS_EDGE = re.compile(r"[\s<>()\"',;\u3000-\u303f\uff08\uff09\uff1c\uff1e]")
"""What ends the word an address is written in: a space, `<>`, `()`, a quote, a comma, Japanese brackets."""
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def address_span(text: str, found: re.Match[str]) -> tuple[int, int]:
    """Where the address `found` in `text` is written: the span of the word around it (up to a space, `<>`, a
    quote...) when that word holds a control character (`x\\x1b[2Jy@example.org`), else the match's own."""
    start, end = found.span()
    while start > 0 and not _ADDRESS_EDGE.match(text, start - 1):
        start -= 1
    while end < len(text) and not _ADDRESS_EDGE.match(text, end):
        end += 1
    return (start, end) if _CONTROL.search(text, start, end) else found.span()


def address_as_written(text: str, found: re.Match[str]) -> str:
    """The address `found` in `text`, or, when it is written run together with control characters (an escape
    sequence: `x\\x1b[2Jy@example.org`), that whole word with them shown as visible escapes (`safe_text`): no
    address anyone can be answered at, and never cut down to the plausible other address its tail spells
    (`2Jy@example.org`), which someone else may own."""
    start, end = address_span(text, found)
    return found.group() if (start, end) == found.span() else safe_text(text[start:end])


def _sender(value: str) -> tuple[str | None, str | None]:
    """The name and address of a forwarded From line: `伊藤 彩 <aya.ito@example.jp>`, `"Park, Lisa" <lisa@…>`,
    `Lisa Park [mailto:lisa@example.com]` (Outlook), `lisa@example.com` (`address_as_written`)."""
    found = _ADDRESS.search(value)
    if found is None:
        return None, None
    start, end = address_span(value, found)
    name = value[:start] + value[end:]
    name = re.sub(r"\[mailto:\s*\]|<\s*>|\(\s*\)|\[\s*\]", " ", name)
    name = " ".join(name.strip().strip("\"'").split()).strip("\"' ")
    return name or None, address_as_written(value, found)


_MONTHS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_WRITTEN = re.compile(
    r"(?:[A-Za-z]+,?[ \t]+)?(?:(?P<mon>[A-Za-z]{3})[A-Za-z]*\.?[ \t]+(?P<d>\d{1,2}),?"
    r"|(?P<d2>\d{1,2})[ \t]+(?P<mon2>[A-Za-z]{3})[A-Za-z]*\.?,?)[ \t]+(?P<y>\d{4}),?"
    r"(?:[ \t]+at)?[ \t]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:[ \t]*(?P<ampm>[AaPp]\.?[Mm]\.?))?"
    r"(?:[ \t]*\(?(?:(?:GMT|UTC)?(?P<sign>[+-])(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?"
    rf"|(?P<zone>[A-Z]{{2,5}})(?![A-Za-z])|(?P<written>(?i:{WRITTEN_ZONE})))\)?)?"
)
"""A date as Gmail, Outlook and Apple Mail write it in a forward: `Sat, Dec 5, 2026 at 10:00 AM`, or day first as
Outlook writes it in Europe: `Friday, 4 December 2026 10:00`; then maybe the zone it was written in, as an offset
(`+0100`, `GMT+9`, `(UTC+01:00)`), a name (`EST`, `JST`: `message_dates.named_zone`) or one written out
(`Eastern Time`, `Japan Standard Time`: `zone_words.written_zone`, daylight saving time by the date)."""
_DAY_ONLY = re.compile(
    r"(?:[A-Za-z]+\.?,?[ \t]+)?(?:(?P<mon>[A-Za-z]{3})[A-Za-z]*\.?[ \t]+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?[ \t]+(?P<mon2>[A-Za-z]{3})[A-Za-z]*\.?,?)[ \t]+(?P<y>\d{4})[ \t]*"
)
"""A date with no time of day, as a pasted message's date line may give it: `December 4, 2026`, `4 December 2026`,
`Friday, 4 Dec 2026`: that day at 00:00."""


def forwarded_date(value: str | None, assumed: tzinfo | None) -> tuple[datetime | None, tzinfo | None]:
    """A forward's date line in UTC and the offset it names (None: none named, read on `assumed`, else local
    time), as `message_dates.text_date` reads a date, and in the forms mail programs write in a forward; a day with
    no time of day (`December 4, 2026`, `4 December 2026`: `_DAY_ONLY`) is 00:00 that day."""
    if not value:
        return None, None
    if day := _DAY_ONLY.fullmatch(value.strip()[:200]):  # RFC 5322 reads no date without a time
        value = f"{day.group('mon') or day.group('mon2')} {day.group('d') or day.group('d2')}, {day.group('y')} 00:00"
    found = _WRITTEN.match(value.strip()[:200])  # before RFC 5322, which reads `... 10:00 AM` as 10:00 UTC
    month = (found.group("mon") or found.group("mon2")).lower() if found else ""
    rest = value.strip()[:200][found.end() :].strip(" \t)") if found else ""
    if found is None or month not in _MONTHS or (found.group("d2") and rest):
        return text_date(value, assumed)  # a day-first date with more after it is RFC 5322's
    named = named_zone(found.group("zone")) if found.group("zone") else None
    if found.group("zone") and named is None and not rest:
        return None, None  # a zone no reader knows (`IST`: India's, Ireland's or Israel's): no day to count from
    hour = int(found.group("h"))
    if found.group("ampm"):
        hour = hour % 12 + (12 if found.group("ampm")[0] in "Pp" else 0)
    try:
        when = datetime(
            int(found.group("y")), _MONTHS[month], int(found.group("d") or found.group("d2")), hour,
            int(found.group("mi")), int(found.group("s") or 0),
        )  # fmt: skip
    except ValueError:
        return None, None
    if not in_range(when):
        return None, None
    if found.group("sign"):
        minutes = int(found.group("oh")) * 60 + int(found.group("om") or 0)
        named = timezone(timedelta(minutes=minutes if found.group("sign") == "+" else -minutes))
    if found.group("written") and (place := written_zone(found.group("written"))) is not None:
        named = timezone(when.replace(tzinfo=place).utcoffset() or timedelta())  # the offset it had that day
    if named is not None:
        return when.replace(tzinfo=named).astimezone(UTC), named
    local = when.replace(tzinfo=assumed) if assumed is not None else when.astimezone()
    return local.astimezone(UTC), None


def sent_to_self(sender: str | None, headers: list[str]) -> bool:
    """Whether a mail from `sender` went to that very address too (`To`, `Cc`, `Delivered-To`): a forward to oneself,
    the usual way an owner files a complaint that came to their mail, whose address the tracker may not know."""
    found = {address.strip().lower() for _, address in getaddresses(headers) if address}
    return bool(sender) and (sender or "").strip().lower() in found
