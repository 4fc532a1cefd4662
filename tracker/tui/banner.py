"""The dashboard's banner: one line saying what `tracker status` says (`banner_text`), and the alarm of a restore
killed with warnings it never said (`restore_unsaid`, `restore_alarm`), or of a persona a restore brought back
(`persona_returned`), or of a complaint to answer that only a database a restore replaced holds
(`replaced_unanswered`), which `tracker status` spells out; and the line under it
naming the forms kept unsaved (`unsaved_text`), as `tracker status` names them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tracker.support.textsafe import cell_width, clip
from tracker.support.words import counted

if TYPE_CHECKING:
    from tracker.complaints.queue import DueSoon, Overdue
    from tracker.db.plain import Readable
    from tracker.purge.drafts import Unsaved
    from tracker.support.settings import Settings

RESTORE_ALARMS = (
    " · ⚠ a restore was interrupted: see tracker status",
    " · ⚠ restore interrupted: tracker status",
    " · ⚠ restore: tracker status",
)
"""The alarm of a killed restore with warnings it never said, longest first: what it is and where to read it."""
RETURNED_ALARMS = (
    " · ⚠ a restore brought a scrubbed persona back: see tracker status",
    " · ⚠ a scrubbed persona is back: tracker status",
    " · ⚠ persona back: tracker status",
)
"""The alarm of a persona a finished restore brought back (scrubbed since the backup), longest first."""
REPLACED_ALARMS = (
    " · ⚠ a complaint to answer is only in the database a restore replaced: see tracker status",
    " · ⚠ a complaint is only in a replaced database: tracker status",
    " · ⚠ complaint in a replaced database: tracker status",
    " · ⚠ replaced database: tracker status",
)
"""The alarm of an unanswered complaint only the database a finished restore replaced holds (`tracker.db.old-*`,
kept), longest first."""
ROOM_LEFT = 30
"""Columns the rest of the banner keeps beside the alarm (`1 complaint OVERDUE, 2 unanswered` fits)."""


def restore_alarm(width: int, kind: str) -> str:
    """A restore's alarm (`restore_kind`), as a tail of the banner (` · ⚠ …`): the longest that leaves the rest
    room, or "" for none."""
    alarms = {"restore": RESTORE_ALARMS, "returned": RETURNED_ALARMS, "replaced": REPLACED_ALARMS}.get(kind, ())
    return next((alarm for alarm in alarms if width - cell_width(alarm) >= ROOM_LEFT), alarms[-1] if alarms else "")


def restore_kind(settings: Settings, db: Readable) -> str:
    """Which restore alarm stands, the first of: "restore" (a restore killed with warnings it never said),
    "returned" (a persona a restore brought back), "replaced" (a complaint only a replaced database holds); ""."""
    if restore_unsaid(settings, db):
        return "restore"
    if persona_returned(settings, db):
        return "returned"
    return "replaced" if replaced_unanswered(settings) else ""


def persona_returned(settings: Settings, db: Readable) -> bool:
    """Does a persona a finished restore brought back (`archive.returned`) stand in the database, not acted on yet
    (`tracker status` exits 3 and names it until the owner scrubs it again or keeps it)?"""
    from tracker.archive.restore_record import personas_here
    from tracker.archive.returned import read_returned, returned_path

    database = settings.sqlite_path
    if database is None or not returned_path(database).is_file():
        return False
    return bool(read_returned(database, personas_here(db)))


def replaced_unanswered(settings: Settings) -> bool:
    """Does a database a finished restore replaced, still kept beside this one, hold a complaint to answer that
    this one lacks (`archive.replaced`: `tracker status` names it, exits 3, until the owner deletes that copy)?"""
    from tracker.archive.replaced import read_replaced

    database = settings.sqlite_path
    return database is not None and any(entry.unanswered() for entry in read_replaced(database))


def restore_unsaid(settings: Settings, db: Readable) -> bool:
    """Was a restore killed with warnings it never said, that still stand (`tracker status` exits 3 and says
    them)? Read as `tracker status` reads it: the record (`archive.restore_record`), the personas in the database."""
    from tracker.archive.restore_record import has_record, personas_here
    from tracker.archive.store import killed_restore_record

    database = settings.sqlite_path
    if database is None or not has_record(database):
        return False
    found = killed_restore_record(database, settings.archive_dir)
    return found is not None and found.says(personas_here(db))


def numbers(ids: Sequence[int], most: int | None = None, times: Mapping[int, str] | None = None) -> str:
    """` (#3, #7 at 01:00)`: complaints by number, at most `most` of them (then `…`), each with the time of
    day `times` gives it (a deadline not at the end of its day); nothing for none shown."""
    shown = list(ids if most is None else ids[:most])
    if not shown:
        return ""
    named = [f"#{n} at {times[n]}" if times and n in times else f"#{n}" for n in shown]
    return f" ({', '.join(named)}{', …' if len(shown) < len(ids) else ''})"


def banner_text(
    summary: Overdue, soon: DueSoon, overdue_ids: Sequence[int], width: int, promised: Sequence[int] = ()
) -> str:
    """The banner's one line, at most `width` columns.

    `Overdue.line()` then `DueSoon.line()`, as `tracker status` prints them, joined by ` · `, then the
    take-downs `promised` to confirm (`1 take-down to confirm (#1)`); too long for the width, the short
    form (`⚠ 1 OVERDUE (#3) · 1 due today (#5), 1 due tomorrow (#4 at 01:00)`), without the times of day,
    then naming fewer complaints (`#1, #2, #3, …`) until it fits, the take-downs to confirm kept at its
    end (naming fewer of them last), cut at its end if it still does not. Nothing the owner must act on
    is left out while a shorter form of it fits. A warning sign leads when a complaint is overdue or due today.
    """
    sign = "⚠ " if summary.overdue or soon.today else ""
    due = soon.line()
    tails = [f" · {counted(len(promised), 'take-down')} to confirm{numbers(promised, most)}" for most in (3, 1, 0)]
    tails = tails if promised else [""]
    forms = [sign + summary.line() + (f" · {due}" if due else "")]
    for most in (None, 3, 1, 0):
        for times in (soon.times, None):
            head = f"{summary.overdue} OVERDUE{numbers(overdue_ids, most)}" if summary.overdue else None
            when = [
                f"{len(ids)} due {day}{numbers(ids, most, times)}"
                for day, ids in (("today", soon.today), ("tomorrow", soon.tomorrow))
                if ids
            ]
            parts = [f"{sign}{head or f'{summary.unanswered} unanswered'}", *([", ".join(when)] if when else [])]
            forms.append(" · ".join(parts))
    candidates = [form + tails[0] for form in forms] + [forms[-1] + tail for tail in tails[1:]]
    return next((text for text in candidates if cell_width(text) <= width), clip(candidates[-1], width))


def brief_time(value: datetime, now: datetime) -> str:
    """A time on this machine's clock, briefly: `14:02` today, `12-05 14:02` another day."""
    local, today = value.astimezone(), now.astimezone()
    return local.strftime("%H:%M" if local.date() == today.date() else "%m-%d %H:%M")


def unsaved_text(forms: Sequence[Unsaved], now: datetime, width: int) -> str:
    """One line, at most `width` columns: `✎ Not saved: new complaint 14:02 · reply #3 13:55 · decision #5 12-05
    09:10`; too long, the times go, then the forms it cannot name are counted (`+2 more`)."""
    for timed in (True, False):
        named = [f"{form.brief()} {brief_time(form.saved_at, now)}" if timed else form.brief() for form in forms]
        for shown in range(len(named), 0, -1):
            more = f" · +{len(named) - shown} more" if shown < len(named) else ""
            text = f"✎ Not saved: {' · '.join(named[:shown])}{more}"
            if cell_width(text) <= width:
                return text
    return clip(f"✎ Not saved: {counted(len(forms), 'form')}", width)
