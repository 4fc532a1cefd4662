"""Turning stored values into safe, styled terminal text for the TUI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from rich.console import Console, ConsoleOptions
from rich.text import Text

from tracker.complaints.deadlines import ends_its_day, sender_clock, shown
from tracker.complaints.queue import ComplaintLike, unnamed_sender
from tracker.support.dates import local_day, local_minute, local_zone, on_both_clocks
from tracker.support.textsafe import clip, safe_text

OVERDUE_STYLE = "bold white on red"
DUE_SOON_STYLE = "bold yellow"


def plain(value: object, style: str = "", keep_newlines: bool = False) -> Text:
    """Any value as literal text: control characters escaped, square brackets never markup."""
    return Text("" if value is None else safe_text(value, keep_newlines=keep_newlines), style=style)


class Hanging:
    """Lines that wrap with a hanging indent, at whatever width they are drawn: each line's first row from the left
    edge, its further rows (folded, or after a newline inside it) `hang` cells in, under its text; a history entry
    after its date and time, a long note under the start of its own line, never back at the edge among the dates.
    `str()` is the text unfolded."""

    def __init__(self, lines: list[tuple[Text, int]]) -> None:
        self.lines = lines

    def __str__(self) -> str:
        return "\n".join(line.plain for line, _ in self.lines)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        width = options.max_width
        rows: list[Text] = []
        for line, hang in self.lines:
            rows.extend(hanging_rows(console, line, hang, width))
        shown = Text("\n").join(rows)
        shown.no_wrap, shown.overflow = True, "crop"  # folded already, each row within the width
        yield shown


def hanging_rows(console: Console, line: Text, hang: int, width: int) -> list[Text]:
    """`line` folded at `width` cells (Rich's folding, Japanese line breaking included), the rows after its first
    indented `hang` cells; where that would leave too little room, folded as it is."""
    if hang <= 0 or width - hang < 10:
        return list(line.wrap(console, width))
    rows: list[Text] = []
    for n, piece in enumerate(line.split("\n", allow_blank=True)):
        if n == 0:
            first = piece.wrap(console, width)[0] if piece.plain else piece
            rows.append(first)
            rest = piece[len(first.plain) :]
            rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")) :]
        else:
            rest = piece
        if n and not rest.plain:
            rows.append(Text())
            continue
        if rest.plain:
            rows.extend(Text(" " * hang) + row for row in rest.wrap(console, width - hang))
    return rows


def short(value: object, width: int) -> Text:
    """At most `width` terminal columns of the value (CJK counted double), an ellipsis marking a cut."""
    return Text(clip("" if value is None else safe_text(value), width))


COMPANY_FORMS = (("株式会社", "(株)"), ("有限会社", "(有)"), ("合同会社", "(同)"))
"""A Japanese company's legal form before its name, and how a Japanese table writes it in short."""


def short_company(org: str) -> str:
    """An organisation's name with a leading Japanese company form in short: `株式会社ムーンライト` is
    `(株)ムーンライト`, so a narrow column keeps the name that tells it from the next company, not 株式会社ムー…
    (the name whole is on the complaint's own screen)."""
    for form, abbreviated in COMPANY_FORMS:
        if org.startswith(form) and org[len(form) :].strip():
            return abbreviated + org[len(form) :].lstrip()
    return org


def sender(
    name: str | None,
    org: str | None = None,
    contact: str | None = None,
    platform: str | None = None,
    ticket_id: str | None = None,
) -> str:
    """Who sent a complaint, short, the person first: `Sato Hana (Atelier Kirisame)`, `Daniel Reyes (Smith & Reyes
    LLP)` for a lawyer, so that what a narrow column keeps is whom the reply is written to (a person, as `complaint
    list` names them), not a company or law firm several complaints share; the organisation alone (`short_company`)
    when no person is named; when neither is, what `complaint list` says then (`queue.unnamed_sender`): their
    contact, the platform's notice and its number, else "unnamed"."""
    if name and org:
        return f"{name} ({org})"
    return name or (short_company(org) if org else unnamed_sender(contact, platform, ticket_id))


def as_words(value: str | None) -> str:
    """A stored value as the owner reads it: `taken_down` is "taken down", nothing is "-"."""
    return (value or "-").replace("_", " ")


def bare_url(url: str) -> str:
    """A URL without its `https://` and `www.`, for a table cell (the full one is on the post's screen)."""
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            url = url[len(prefix) :]
            break
    return url.removeprefix("www.")


def day(value: datetime | None) -> str:
    """The local calendar date of a stored time, or '-'."""
    return local_day(value)


def received_when(complaint: ComplaintLike) -> str:
    """When a complaint was received, on this machine's clock as every time shown, then the sender's day when it is
    another (`dates.on_both_clocks`): `2026-12-05 23:05 PST (2026-12-06 in the sender's time)`."""
    return on_both_clocks(complaint.received_at, complaint.sent_utc_offset)


def days_left(deadline: datetime, now: datetime) -> int:
    """Whole local calendar days from today to the deadline's day: 0 on the due day, -1 the day after."""
    return (deadline.astimezone().date() - now.astimezone().date()).days


def clock(deadline: datetime) -> str:
    """A deadline's local time of day: `00:50`."""
    return local_minute(deadline)[-5:]


def due_words(deadline: datetime | None, now: datetime, unanswered: bool, zone: bool = True) -> str:
    """Where an answer stands against its deadline, in words: "OVERDUE 2d", "OVERDUE 17:00 JST" (a time
    passed today), "due today 17:00 JST", "due today", "due tomorrow 17:00 JST", "due tomorrow" (the day after
    this machine's today, as `tracker status` and the banner name it: never a date to work out at 2 a.m.),
    "due 2026-12-05", "due 2026-12-06 00:50 JST", "answered"; without `zone`, no zone's name (a table naming it
    in its heading).

    A deadline at a time of day (not the end of its day, as one given as a day is stored:
    `deadlines.ends_its_day`) always shows that time: due at 00:50 on the 6th is not "by the end of the 6th".
    """
    if not unanswered:
        return "answered"
    if deadline is None:
        return "no deadline"
    left = days_left(deadline, now)
    timed = ends_its_day(deadline) is False
    at = f"{clock(deadline)} {local_zone(deadline)}" if zone else clock(deadline)
    if left < 0:
        return f"OVERDUE {-left}d"
    if deadline < now:
        return f"OVERDUE {at}"  # its time of day has passed, earlier today
    if left == 0:
        return f"due today {at}" if timed else "due today"
    if left == 1:
        return f"due tomorrow {at}" if timed else "due tomorrow"
    return f"due {shown(deadline, zone=zone)}"


def short_offset(offset: timedelta | None) -> str:
    """A clock by its offset from UTC, as short as a summary line needs: `UTC+9`, `UTC-5`, `UTC+5:30`, `UTC`."""
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "")


def sender_deadline(deadline: datetime | None, sent_utc_offset: int | None) -> str:
    """A deadline on the sender's clock, when the complaint records theirs and it is not this machine's:
    `(sender: 12-08 17:00 UTC+9)` for 「12月8日17時まで」 read on a server in UTC (the owner's line says 08:00 UTC),
    so the owner sees the hour the complainant wrote as well as their own; "" otherwise."""
    clock = sender_clock(sent_utc_offset)
    if deadline is None or clock is None:
        return ""
    there = deadline.astimezone(clock)
    if there.utcoffset() == deadline.astimezone().utcoffset():
        return ""
    return f"(sender: {there:%m-%d %H:%M} {short_offset(there.utcoffset())})"


def due_text(deadline: datetime | None, now: datetime, unanswered: bool, zone: bool = True) -> Text:
    """The deadline cell: red and 'OVERDUE …' once the deadline has passed (a day once it has ended, a time
    of day once that time has passed), 'due today' before, yellow within two days; for a complaint
    answered, dim 'was due 2026-12-06'. `zone` as in `due_words`."""
    if deadline is None:
        return Text("no deadline")
    if not unanswered:
        return Text(f"was due {shown(deadline, zone=zone)}", style="dim")
    left = days_left(deadline, now)
    words = due_words(deadline, now, unanswered, zone)
    if left < 0 or deadline < now:
        return Text(words, style=OVERDUE_STYLE)
    if left <= 2:
        return Text(words, style=DUE_SOON_STYLE)
    return Text(words)
