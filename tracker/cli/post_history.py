"""`tracker show POST`'s last part as text: the complaints about the post and its history.

Each complaint line says its number, where it stands, its deadline and who sent it (clipped, so
that a line fits 80 columns); each history line says when, which command ("complaint #3 confirm") and what
it changed, in the words of `posts.history_words`, which the TUI's post page gives too. Everything that came
from a complainant or a post passes through `safe_text`, so it cannot drive the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.cli.output import LABEL
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.complaints.legal import BASIS_SHORT
from tracker.db.enums import LegalBasis
from tracker.posts.history_words import SHA_SHOWN as SHA_SHOWN
from tracker.posts.history_words import change_words, command_words
from tracker.support.dates import from_iso, local_minute
from tracker.support.textsafe import cell_width, clip, safe_text

WIDTH = 80
"""The terminal width the lines are made to fit (an SSH session's default)."""
_CHANGES = 8
"""Where a history line's further changes start when they do not fit on its first line."""


def _state(complaint: dict[str, Any]) -> str:
    """`decided, due 2026-12-05 (tomorrow)`, `open, due 2026-12-01 OVERDUE`, `answered`."""
    if complaint["answered_at"] or complaint["status"] not in ("open", "decided") or not complaint["deadline_at"]:
        return str(complaint["status"])
    when = f"{complaint['status']}, due {deadline_shown(from_iso(complaint['deadline_at']))}"  # its hour, if any
    if complaint["overdue"]:
        return when + " OVERDUE"
    return when + (f" ({complaint['due']})" if complaint["due"] else "")


def complaint_lines(complaints: list[dict[str, Any]]) -> list[str]:
    """`  complaint  #3 decided, due 2026-12-05 (tomorrow)  Japan  佐藤 美咲 (スタジオ月)`, one per complaint
    (`(not named)` when only its take-down covers the post)."""
    if not complaints:
        return [f"  {'complaints':<{LABEL}} none"]
    lines = []
    for c in complaints:
        head = f"  {'complaint':<{LABEL}} #{c['id']} {_state(c)}  {BASIS_SHORT[LegalBasis(c['legal_basis'])]}  "
        tail = "" if c["named"] else "  (not named)"
        room = max(12, WIDTH - cell_width(head) - cell_width(tail))
        lines.append(head + clip(safe_text(c["complainant"]), room) + tail)
    return lines


def post_changes(event: dict[str, Any]) -> list[str]:
    """`status: live -> taken_down`, for each field of a post the entry changed that the history shows
    (`posts.history_words`, the wording the TUI's post page gives too)."""
    return change_words(event)


def history_lines(
    events: list[dict[str, Any]], changes_of: Callable[[dict[str, Any]], list[str]] = post_changes
) -> list[str]:
    """`    2026-12-04 09:26  update  complaint #3 confirm  status: live -> taken_down`, oldest first,
    in local time; `complaint` (the number `about_post.history_complaints` found) is named in the command.
    `changes_of` says what an entry changed (a complaint's history says it of each of its records)."""
    lines = []
    for event in events:
        command = command_words(event)
        changes = changes_of(event)
        when = local_minute(from_iso(event["at"]))
        line = safe_text(f"    {when}  {event['action']:<7} {command}  {', '.join(changes)}".rstrip())
        if cell_width(line) <= WIDTH or len(changes) < 2:
            lines.append(line)
            continue
        # Too wide for the terminal: the first change on the line, each other one under it.
        lines.append(safe_text(f"    {when}  {event['action']:<7} {command}  {changes[0]},"))
        lines += [
            safe_text(f"{'':<{_CHANGES}}{change}" + ("," if i < len(changes) - 2 else ""))
            for i, change in enumerate(changes[1:])
        ]
    return lines
