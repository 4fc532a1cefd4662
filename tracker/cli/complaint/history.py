"""`tracker complaint show`'s history and the letters it was answered with, as text.

The history is drawn as `tracker show POST` draws a post's (`post_history.history_lines`: local
time, the command, each `field: old -> new`); what an entry says of the records a complaint holds
is `complaints.history_words`, which the TUI's complaint history says too. Every value passes
through `safe_text` there, so a complainant's text cannot drive the terminal.
"""

from __future__ import annotations

from typing import Any

from tracker.cli.output import folded_lines, hanging
from tracker.cli.post_history import history_lines
from tracker.complaints.history import sent_letters, with_subject
from tracker.complaints.history_words import entry_changes
from tracker.support.dates import from_iso, local_minute, local_zone
from tracker.support.textsafe import safe_text

HISTORY_INDENT = 8
"""Where a history line too wide for the terminal continues (as in `tracker show POST`)."""


def with_history(lines: list[str], data: dict[str, Any], width: int | None) -> list[str]:
    """`complaint show`'s text: its `lines` (safe), then the `history` section, every entry oldest first;
    all folded to `width` terminal columns (None: one line each), a `  label  value` row continuing
    under its value, an indented line under itself, a history entry's further changes under its time."""
    out = folded_lines(lines, width)
    out.append("  history" if data["history"] else "  history  none recorded")
    for line in history_lines(data["history"], lambda event: entry_changes(event, data["id"])):
        out += hanging("", line, width, HISTORY_INDENT)
    return out


def letter_lines(data: dict[str, Any]) -> list[str]:
    """Each letter sent for complaint `data`, oldest first, as it was kept when marked sent (not folded:
    the text to copy, exactly as it went out), under its subject line as `complaint reply --out` writes it
    (a letter marked sent before subjects were kept has none)."""
    letters = sent_letters(data)
    if not letters:
        number = data["id"]
        return [f"Complaint #{number}: no reply marked sent (draft it: tracker complaint reply {number})"]
    lines: list[str] = []
    for i, letter in enumerate(letters, 1):
        sent = from_iso(letter["sent_at"])
        which = f", {i} of {len(letters)}" if len(letters) > 1 else ""
        head = f"Letter sent {local_minute(sent)} {local_zone(sent)}" if sent else "Letter sent"
        lines += [""] if i > 1 else []
        lines.append(f"{head} (complaint #{data['id']}{which}):")
        sent_text = with_subject(letter["subject"], letter["text"])
        lines += safe_text(sent_text, keep_newlines=True).rstrip("\n").split("\n")
    return lines
