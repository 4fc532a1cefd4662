"""What a message's writer wrote themselves, as against what they quote: the text `notice_reading` reads.

A reply quotes the message it answers (lines starting with `>`, or everything under a mail program's
`On …, X wrote:` / `-----Original Message-----` / `…さんは書きました：` / Outlook's `From:` `Sent:` `To:` `Subject:`
block, `差出人:` `送信日時:` `宛先:` `件名:` in Japanese, a rule above it or none): the owner's own letter quoted
back is not the complainant's notice. Only a bounded sample of a message (the first 64 KiB and the
last 4 KiB, where a notice says things and signs) is ever read.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from tracker.complaints.reading.forward_blocks import field_kind, forward_mark, forwarded_date
from tracker.complaints.reading.scripts import JAPANESE
from tracker.support.dates import in_range

HEAD = 64 * 2**10
TAIL = 4 * 2**10
"""A notice states its elements at the start and signs at the end: the rest is not read."""


def sample(text: str) -> str:
    """The first 64 KiB and the last 4 KiB of the text (all of it when shorter)."""
    return text if len(text) <= HEAD + TAIL else f"{text[:HEAD]}\n{text[-TAIL:]}"


_QUOTED_LINE = re.compile(r"^[ \t]*>")
_REPLYHEADER = re.compile(
    r"(?:\bwrote|書きました)[ \t]*[:：][ \t]*$"
    r"|^[ \t]*-{2,10}[ \t]*(?:original[ \t]+message|元のメッセージ)[ \t]*-{2,10}[ \t]*$"
    r"|^[ \t]*(?:19|20)\d\d[ \t]*[年/.\-][ \t]*\d{1,2}[ \t]*[月/.\-][ \t]*\d{1,2}[^\n]{0,120}?"
    r"<[^<>\s@]{1,64}@[^<>\s]{1,255}>[ \t]*(?:のメール)?[ \t]*[:：][ \t]*$",
    re.I,
)
"""Where a reply's quoted message begins: `On Thu, Dec 3, 2026, Moth Atelier wrote:`,
`-----Original Message-----`, `…さんは書きました：`, and Gmail's and Apple Mail's in Japanese, a date and an address
(`2026年12月6日(日) 23:40 山田花子 <hanako@example.jp>:`, `2026/12/06 23:40、山田花子 <hanako@example.jp>のメール:`).
A forwarded message is no reply: it is read."""


def own_words(text: str) -> str:
    """The sample without what the writer quotes: no line starting with `>`, nothing from a reply's header
    on (the owner's own letter quoted below a reply is not the complainant's notice). A `… wrote:` line
    is a reply's header only when quoted lines follow it, so "The complainant wrote:" in a platform's
    forward, or "in your post you wrote:" in a notice, cuts nothing. Outlook's header block (`_header_block`)
    opens a reply's quoted message too, below the writer's own words."""
    lines = sample(text).split("\n")
    kept: list[str] = []
    opened = _first_words(lines)
    for at, line in enumerate(lines):
        if _REPLYHEADER.search(line) and (_MAILHEADER.search(line) or _quoted_next(lines, at)):
            break
        if opened < at and _header_block(lines, at):
            break
        if not _QUOTED_LINE.match(line):
            kept.append(line)
    return "\n".join(kept)


def flat_own_words(text: str) -> str:
    """The writer's own words (`own_words`) in one line: NFKC (full-width letters and digits), single spaces."""
    return " ".join(unicodedata.normalize("NFKC", own_words(text)).split())


_WRAPPED = re.compile(rf"(?<=[{JAPANESE.pattern[1:-1]}」』、])[ \t]*\n(?=[{JAPANESE.pattern[1:-1]}「『])")
"""A line break between two Japanese characters (or brackets): a mail program's wrap, not the writer's."""


def unwrapped(text: str) -> str:
    """The text with the lines a mail program wrapped in Japanese joined again, with no space (Japanese puts none
    between words): `発表したイラスト\n「ひまわりの少女」を` reads as one phrase. A blank line or an indented one
    (a new paragraph) stays apart; English lines are left as they are (a pattern reads a space across them)."""
    return _WRAPPED.sub("", text)


_MAILHEADER = re.compile(r"-{2,10}[ \t]*(?:original[ \t]+message|元のメッセージ)|書きました|^[ \t]*On\b|\d|@", re.I)
"""A reply header as mail programs write it (a date, an address, `On …`, `…さんは書きました：`, a divider), not
"The complainant wrote:" in a platform's forward or "in your post you wrote:" inside a notice."""


def as_written_by(text: str, sender_name: str | None, sender_contact: str | None = None) -> str:
    """The message with the writer's own earlier message unquoted: when a reply header names the sender
    ("I have not heard back. On Wed, Jordan Lee wrote: > [the notice]"), or the `From:` line under it does
    (`-----Original Message-----` / `From: Jordan Lee <jordan@example.com>`: a follow-up or a forward of their
    notice), by name or address, what they quote is their own notice, read as theirs. Any other message is
    returned as it is (what others wrote, the owner's own letter, stays quoted)."""
    names = [n.casefold().strip() for n in (sender_name, sender_contact) if n and len(n.strip()) >= 2]
    if not names:
        return text
    lines = sample(text).split("\n")
    if _named_header(lines, names) is None:
        return text
    opened = _first_words(lines)
    return "\n".join(
        _QUOTE_MARKS.sub("", line)
        for at, line in enumerate(lines)
        if not _REPLYHEADER.search(line) and not (opened < at and _header_block(lines, at))
    )


_FROM_LINE = re.compile(r"^[ \t>]*(?:from|差出人|送信者)[ \t]*[:：]", re.I)
"""The sender line of a quoted message's header block (`From: Jordan Lee <jordan@example.com>`, `差出人：…`)."""


def _names(lines: list[str], at: int, names: list[str]) -> bool:
    """Whether the reply header at line `at`, or the `From:` line of the header block right under it, holds one
    of `names` (the sender's name or address, casefolded)."""
    block = [lines[at], *(line for line in lines[at + 1 : at + 6] if _FROM_LINE.match(line))]
    return any(name in line.casefold() for line in block for name in names)


_QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?){1,20}")


def _named_header(lines: list[str], names: list[str]) -> int | None:
    """The first line opening a quoted message (a reply header, or Outlook's block: `_header_block`) that names one of
    `names` (`_names`), or None."""
    opened = _first_words(lines)
    return next(
        (
            at
            for at, line in enumerate(lines)
            if (_REPLYHEADER.search(line) or opened < at and _header_block(lines, at)) and _names(lines, at, names)
        ),
        None,
    )


def _first_words(lines: list[str]) -> int:
    """The first line that holds words, not a header field (a pasted message's own `From:`/`Date:` lines come
    first): a header block above it is no quote."""
    return next((at for at, line in enumerate(lines) if line.strip() and field_kind(line) is None), len(lines))


_BLOCK_LINES = 8
"""The most lines of an Outlook header block read after its `From:` line."""


def _header_block(lines: list[str], at: int) -> bool:
    """Whether line `at` opens the header block Outlook writes over the message a reply quotes, with no `>` on its
    lines, and with or without a rule of underscores above it (which an HTML mail read as text loses):
    `From: Kenta Mori <k@example.jp>` / `Sent: Monday, December 7, 2026 10:00 AM` / `To: …` / `Subject: …`, in
    Japanese `差出人: …` / `送信日時: 2026年12月7日 10:00` / `宛先: …` / `件名: …` (a `From` line, then a date and a
    `To` or `Subject` in the lines right under it). Not the block a forward's mark opens (`Forwarded Message`,
    `転送メッセージ`), nor one a line ending in a colon introduces ("The complaint we received reads:", 「以下の
    とおりです：」): those are read."""
    if field_kind(lines[at]) != "from" or not _FROM_VALUE.search(lines[at]):
        return False
    kinds: set[str | None] = set()
    for line in lines[at + 1 : at + 1 + _BLOCK_LINES]:
        if not line.strip():
            break
        kinds.add(field_kind(line))
    if "date" not in kinds or not kinds & {"subject", "other"}:
        return False
    above = next((line for line in reversed(lines[max(0, at - 4) : at]) if line.strip()), "")
    return not forward_mark(above) and not above.rstrip().endswith((":", "："))


_FROM_VALUE = re.compile(r"[:：]\*?[ \t]*\S")


def _quoted_next(lines: list[str], at: int) -> bool:
    """Whether the first non-empty line after line `at` is quoted (`>`)."""
    following = (line for line in lines[at + 1 : at + 6] if line.strip())
    return any(_QUOTED_LINE.match(line) for line in itertools.islice(following, 1))


@dataclass(frozen=True)
class EarlierMessage:
    """The writer's own earlier message that a reply quotes under a header naming them (`as_written_by`)."""

    above: str
    """What they write now, above the header."""
    header: str
    """The reply header line (`2026年12月6日(日) 23:40 山田花子 <hanako@example.jp>:`)."""
    words: str
    """What the earlier message said, unquoted."""

    def sent_at(self, assumed: tzinfo | None) -> datetime | None:
        """When the earlier message was sent, as its header (or a `Sent:`/`Date:` line under it) says, in UTC; a day
        without a time of day is its noon, on `assumed` (the sender's clock): the day a relative deadline in it
        (`明日中に`) is counted from. None when no line says."""
        head = [_ON.sub("", self.header), *(m.group(1) for m in _SENT.finditer("\n".join(self.words.split("\n")[:6])))]
        for line in head:
            sent, _ = forwarded_date(line, assumed)
            if sent is not None:
                return sent
            if day := _DAY.search(line):
                month = _MONTH_NUMBERS.get(day.group("mon").lower()[:3])
                try:
                    noon = datetime(int(day.group("y")), month or 0, int(day.group("d")), 12, tzinfo=assumed or UTC)
                except ValueError:
                    continue
                if in_range(noon):
                    return noon.astimezone(UTC)
        return None


_ON = re.compile(r"^[ \t]*On[ \t]+", re.I)
_SENT = re.compile(r"^[ \t]*(?:sent|date|送信日時|日付|日時)[ \t]*[:：][ \t]*(.+)$", re.I | re.M)
_DAY = re.compile(r"\b(?P<mon>[A-Za-z]{3})[A-Za-z]*\.?[ \t]+(?P<d>\d{1,2}),?[ \t]+(?P<y>(?:19|20)\d\d)\b")
_MONTH_NUMBERS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


def earlier_message(text: str, sender_name: str | None, sender_contact: str | None = None) -> EarlierMessage | None:
    """The sender's own earlier message quoted under a reply header that names them (as `as_written_by` finds it:
    `2026年12月6日(日) 23:40 山田花子 <hanako@example.jp>:` over `> ...` lines), with what they write above it;
    None when the message quotes none of theirs. The two were written on different days: a relative deadline in
    the quoted one (`明日中に`) is counted from its own date, not the reply's."""
    names = [n.casefold().strip() for n in (sender_name, sender_contact) if n and len(n.strip()) >= 2]
    if not names:
        return None
    lines = sample(text).split("\n")
    at = _named_header(lines, names)
    if at is None:
        return None
    below = (_QUOTE_MARKS.sub("", line) for line in lines[at + 1 :] if not _REPLYHEADER.search(line))
    return EarlierMessage("\n".join(lines[:at]), lines[at], "\n".join(below))


def quoted_words(text: str) -> str:
    """The lines a message quotes (`> ...`), unquoted: a quoted message's own signature is read from them."""
    return "\n".join(_QUOTE_MARKS.sub("", line) for line in sample(text).split("\n") if _QUOTED_LINE.match(line))
