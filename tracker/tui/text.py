"""Turning stored values into safe, styled terminal text for the TUI."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from tracker.support.dates import local_day
from tracker.support.textsafe import safe_text

OVERDUE_STYLE = "bold white on red"
DUE_SOON_STYLE = "bold yellow"


def plain(value: object, style: str = "", keep_newlines: bool = False) -> Text:
    """Any value as literal text: control characters escaped, square brackets never markup."""
    return Text("" if value is None else safe_text(value, keep_newlines=keep_newlines), style=style)


def short(value: object, width: int) -> Text:
    text = "" if value is None else safe_text(value)
    return Text(text if len(text) <= width else text[: width - 1] + "…")


def day(value: datetime | None) -> str:
    """The local calendar date of a stored time, or '-'."""
    return local_day(value)


def due_text(deadline: datetime | None, now: datetime, unanswered: bool) -> Text:
    """The deadline cell: red and 'OVERDUE Nd' when passed, yellow within two days."""
    if deadline is None:
        return Text("no deadline")
    if not unanswered:
        return Text(day(deadline), style="dim")
    days = (deadline - now).total_seconds() / 86400
    if days < 0:
        return Text(f"OVERDUE {int(-days) + 1}d", style=OVERDUE_STYLE)
    if days < 2:
        return Text(f"due {day(deadline)}", style=DUE_SOON_STYLE)
    return Text(f"due {day(deadline)}")
