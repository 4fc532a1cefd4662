"""The dashboard's rows (`screens.dashboard`): what a worker read (`DashboardData`), each table's rows built from it
(`Row`: the cells drawn, a value to sort each column by, the text a filter searches), and the filter that keeps some.

Like the dashboard, this module imports no database layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tracker.complaints.legal import BASIS_SHORT
from tracker.tui.text import DUE_SOON_STYLE, bare_url, day, due_text, plain, sender, short

if TYPE_CHECKING:
    from tracker.complaints.queue import ComplaintSummary, DueSoon, Overdue
    from tracker.purge.drafts import Unsaved


@dataclass(frozen=True)
class Row:
    """One row of a dashboard table as read: its cells, a value to sort each column by, the text a filter searches."""

    key: str
    cells: tuple[Text, ...]
    order: tuple[tuple[bool, Any], ...]
    """One sort value per column (`sort_value`): a column sorts by its values, not by the text drawn."""
    text: str
    """The row's cells in full (not cut to the column's width), case-folded, for the filter."""


def sort_value(value: Any) -> tuple[bool, Any]:
    """A value that sorts: nothing (None) after everything, case ignored in text."""
    if value is None:
        return (True, "")
    return (False, value.casefold() if isinstance(value, str) else value)


def make_row(key: str, cells: Sequence[Text], order: Sequence[Any], *full: object) -> Row:
    """A `Row`: `order` holds one value per column; `full` the texts that cells show cut short."""
    text = "\t".join([*(cell.plain for cell in cells), *("" if f is None else str(f) for f in full)])
    return Row(key, tuple(cells), tuple(sort_value(v) for v in order), text.casefold())


def matching(rows: Sequence[Row], needle: str) -> list[Row]:
    """The rows whose text holds `needle` (case ignored); all of them for an empty needle."""
    needle = needle.strip().casefold()
    return [row for row in rows if needle in row.text] if needle else list(rows)


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, read in one worker."""

    now: datetime
    summary: Overdue
    waiting: list[ComplaintSummary]
    overdue: set[int]
    """Ids of the waiting complaints past their deadline."""
    done: list[ComplaintSummary]
    posts: list[dict[str, Any]]
    soon: DueSoon
    """The waiting complaints due today and tomorrow (`queue.due_soon`, as `tracker status` says)."""
    promised: list[int] = field(default_factory=list)
    """Answered complaints whose promised take-down is not confirmed (`queue.promised_takedowns`)."""
    asked: list[int] = field(default_factory=list)
    """Answered complaints whose reply asked the sender for more (`queue.awaiting_answers`)."""
    restore: str = ""
    """The restore alarm that stands (`banner.restore_kind`: a killed restore's warnings unsaid, a persona brought
    back, a complaint only a replaced database holds), which `tracker status` spells out; "" for none."""
    unsaved: list[Unsaved] = field(default_factory=list)
    """The forms the TUI kept unsaved (`purge.drafts.unsaved_forms`)."""


def waiting_rows(data: DashboardData) -> list[Row]:
    """The complaints needing an answer, overdue ones in red."""
    rows = []
    for c in data.waiting:
        who = sender(c.complainant_name, c.complainant_org, c.complainant_contact, c.platform, c.ticket_id)
        style = "bold red" if c.id in data.overdue else ""
        basis = BASIS_SHORT[c.legal_basis]
        cells = (
            Text(f"#{c.id}", style=style),
            due_text(c.deadline_at, data.now, True, zone=False),  # the column's heading names the zone
            plain(c.status.value, style=style),
            Text(day(c.received_at)),  # this machine's day, as every date here (triage says the sender's)
            plain(who),
            Text(basis),
            Text(str(len(c.post_ids))),
        )
        order = (c.id, c.deadline_at, c.status.value, c.received_at, who, basis, len(c.post_ids))
        rows.append(make_row(str(c.id), cells, order, who, c.complainant_name, c.complainant_org))
    return rows


def done_rows(data: DashboardData) -> list[Row]:
    """The answered and closed complaints."""
    rows = []
    for c in data.done:
        who = sender(c.complainant_name, c.complainant_org, c.complainant_contact, c.platform, c.ticket_id)
        basis = BASIS_SHORT[c.legal_basis]
        status = "take-down pending" if c.id in data.promised else c.status.value
        if c.id in data.asked:
            status = "awaiting answer"
        style = DUE_SOON_STYLE if c.id in data.promised else ""
        received = Text(day(c.received_at))  # this machine's day, as every date here (triage says the sender's)
        cells = (Text(f"#{c.id}", style=style), plain(status, style=style), received, plain(who))
        order = (c.id, status, c.received_at, who, basis)
        rows.append(make_row(str(c.id), (*cells, Text(basis)), order, who, c.complainant_name, c.complainant_org))
    return rows


def post_rows(data: DashboardData) -> list[Row]:
    """The newest posts (keys `post-N`, apart from the complaints' numbers). A post whose posting
    date is not recorded shows "-", not the day it was logged."""
    rows = []
    for p in data.posts:
        status = str(getattr(p["status"], "value", p["status"]))
        when = p["posted_at"]
        cells = (
            Text(f"#{p['id']}"),
            Text(day(when)),
            short(p["persona"], 16),
            plain(p["platform"]),
            plain(status, style="" if status == "live" else "yellow"),
            plain(bare_url(p["url"])),
        )
        order = (p["id"], when, p["persona"], p["platform"], status, p["url"])
        rows.append(make_row(f"post-{p['id']}", cells, order, p["persona"], p["url"]))
    return rows
