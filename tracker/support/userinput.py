"""Reading what the user typed: a choice among an enum's values, optional text."""

from __future__ import annotations

import enum
from typing import TypeVar

from tracker.errors import UsageError

E = TypeVar("E", bound=enum.Enum)


def stripped(text: str | None) -> str | None:
    """The text without surrounding white space; None when nothing is left."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def parse_choice(enum_type: type[E], value: str, what: str) -> E:
    """An enum member from its value or name, case-insensitive, as one clear error otherwise."""
    wanted = value.strip().lower().replace("-", "_").replace(" ", "_")
    for member in enum_type:
        if wanted in (member.value, member.name.lower()):
            return member
    allowed = ", ".join(m.value for m in enum_type)
    raise UsageError(f"unknown {what} {value!r} (one of: {allowed})")
