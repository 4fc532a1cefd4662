"""The table `tracker complaint list` prints, fitted to the terminal's width (80 columns into a pipe or a file).

A row can run long: a time of day in the deadline (a day's end in Japan is 04:59 in Honolulu), a Japanese name
(two columns a letter), several posts. What goes, in turn, until the rows fit: the posts and the complainant are
cut (`#1, #2, …`, `佐藤 美咲 (株式…`), the day it arrived is left out, the deadline drops the year it shares with
today (`today 17:00`, `12-09 17:00 OVERDUE`), then the name and posts are cut further. `complaint show N` and
`--json` keep everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.cli.output import table
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.complaints.queue import DueSoon, complainant_label
from tracker.support.dates import from_iso, local_day, local_zone
from tracker.support.textsafe import cell_width, clip, clip_list, safe_text

PIPE_WIDTH = 80
"""The width of the list into a pipe or a file: what a terminal of the usual size shows unfolded."""

FROM_MOST = 40
"""The complainant's name and organisation are cut to this many columns even where there is room."""


@dataclass(frozen=True)
class _Form:
    """One way of laying the table out, each tried in turn until the rows fit."""

    received: bool
    short_deadline: bool
    least_from: int
    least_posts: int


FORMS = (
    _Form(received=True, short_deadline=False, least_from=16, least_posts=8),
    _Form(received=False, short_deadline=False, least_from=16, least_posts=8),
    _Form(received=False, short_deadline=True, least_from=16, least_posts=8),
    _Form(received=False, short_deadline=True, least_from=8, least_posts=6),
)


def complaint_table(
    data: list[dict[str, Any]], promised: set[int], soon: DueSoon, now: datetime, width: int | None
) -> list[str]:
    """The complaints (`summary_dict`s) as aligned lines no wider than `width` (None: `PIPE_WIDTH`) where the
    last form allows it; a take-down promised in a sent reply and not confirmed says `take-down pending`, as
    the dashboard does."""
    room = (width or PIPE_WIDTH) - 1  # the last column left free: a terminal may wrap a line that fills it
    for form in FORMS:
        lines = _laid_out(data, promised, soon, now, form, room)
        if max(cell_width(line) for line in lines) <= room:
            break
    return lines


def _laid_out(
    data: list[dict[str, Any]], promised: set[int], soon: DueSoon, now: datetime, form: _Form, room: int
) -> list[str]:
    head = ["ID", "STATUS", f"ANSWER BY ({local_zone(now)})", "RECEIVED", "BASIS", "FROM", "POSTS"]
    rows: list[list[str]] = []
    posts: list[list[str]] = []
    for c in data:
        rows.append(
            [
                str(c["id"]),
                "take-down pending" if c["id"] in promised else c["status"],
                _deadline(c, soon, now, form.short_deadline),
                local_day(from_iso(c["received_at"])),  # this machine's day, as the deadline's (show: the sender's)
                c["legal_basis"],
                clip(safe_text(complainant_label(c)), FROM_MOST),
                "",
            ]
        )
        posts.append([f"#{i}" for i in c["post_ids"]] or ["-"])
    for r, named in zip(rows, posts, strict=True):
        r[-1] = ", ".join(named)
    widths = [max(cell_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    if not form.received:
        widths[3] = 0
    over = sum(w for w in widths if w) + 2 * (sum(1 for w in widths if w) - 1) - room
    for column, least in ((6, form.least_posts), (5, form.least_from)):  # the posts first: `show N` has them
        cut = max(0, min(over, widths[column] - max(least, cell_width(head[column]))))
        widths[column] -= cut
        over -= cut
    for r, named in zip(rows, posts, strict=True):
        r[5] = clip(r[5], widths[5])
        r[6] = clip_list(named, widths[6])
    kept = [i for i, w in enumerate(widths) if w]
    return table([[r[i] for i in kept] for r in [head, *rows]])


def _deadline(c: dict[str, Any], soon: DueSoon, now: datetime, short: bool) -> str:
    """`2026-12-09 17:00 tomorrow` (the heading names the zone); `short`: `tomorrow 17:00`, and a day of this
    year without its year (`12-09 OVERDUE`)."""
    shown = deadline_shown(from_iso(c["deadline_at"]), zone=False)
    day, _, minute = shown.partition(" ")
    when = "today" if c["id"] in soon.today else "tomorrow" if c["id"] in soon.tomorrow else ""
    if short and when and not c["overdue"]:
        return f"{when} {minute}".rstrip()
    if short and day.startswith(local_day(now)[:5]):  # "2026-": this year's
        shown = day[5:] + (f" {minute}" if minute else "")
    if c["overdue"]:
        return f"{shown} OVERDUE"
    return f"{shown} {when}".rstrip()
