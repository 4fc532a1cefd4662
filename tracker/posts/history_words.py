"""A post's history in words: the one wording `tracker show` and the TUI's post page both give an audit entry.

Which fields a history line shows (those a correction changes, the persona a post was moved to, renamed or
merged into among them), how each value reads ("(none)" for nothing, text in quotes, a time in local time to the
minute, an image by the start of its sha256) and which command made the entry ("complaint #3 confirm"). The
front ends only lay the lines out: `cli.post_history` folds them to 80 columns, `tui.screens.post` styles them.
Nothing here escapes text: each front end makes it safe its own way (`safe_text`, a plain `Text`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.support.dates import from_iso, local_minute

HISTORY_FIELDS = (
    "status",
    "persona",
    "url",
    "account",
    "image_sha256",
    "title",
    "posted_at",
    "requested_by",
    "permission_at",
    "permission_ref",
)
"""The fields whose changes the history shows. `persona`, `account` and `image_sha256` are what `post set`,
`persona rename|merge` and `account rename` put beside the row ids: `"moth"`, `x moth_art`, the image's sha256."""
SHA_SHOWN = 16
"""The hex digits of an image's sha256 the history shows (`tracker show` prints the whole one above)."""
_WORDS = ("status",)
"""Fields whose values are words of the tracker's own (`live`, `taken_down`), shown without quotes."""


def value_words(field: str, value: object, word: Callable[[str], str] = str) -> str:
    """A value as the owner reads it: "(none)" for nothing, `word` of a status, a time local, text in quotes."""
    if value is None or value == "":
        return "(none)"
    if not isinstance(value, str):
        return str(value)
    if field == "image_sha256":
        return value[:SHA_SHOWN]
    if field in _WORDS:
        return word(value)
    if field.endswith("_at"):
        try:
            return local_minute(from_iso(value))
        except ValueError:  # not a stored time after all: shown as it is
            pass
    return f'"{value}"'


def change_words(event: dict[str, Any], word: Callable[[str], str] = str) -> list[str]:
    """`status: live -> taken_down`, `persona: "moth" -> "kite"`: each field the entry changed that the history
    shows, in the order the entry holds them (`word` spells the tracker's own words, a status)."""
    return [
        field_change(field, old, new, word)
        for field, (old, new) in (event["changes"] or {}).items()
        if field in HISTORY_FIELDS and old != new
    ]


def field_change(field: str, old: object, new: object, word: Callable[[str], str] = str) -> str:
    """One change as the history says it (`posted at: 2026-11-04 10:55 -> (none)`): also what `post set` prints
    of the changes it made, so the command and the history it leaves read alike."""
    return f"{field.replace('_', ' ')}: {value_words(field, old, word)} -> {value_words(field, new, word)}"


def command_words(event: dict[str, Any]) -> str:
    """The command that made the entry, naming its complaint when one made it (`complaint #3 confirm`; the number
    `complaints.about_post.history_complaints` found, as `event["complaint"]`)."""
    command = event["command"] or ""
    if event.get("complaint") is not None and command.startswith("complaint "):
        action = command.removeprefix("complaint ").removesuffix(f" #{event['complaint']}")
        command = f"complaint #{event['complaint']} {action}"
    return command
