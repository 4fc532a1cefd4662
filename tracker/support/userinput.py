"""Reading what the user typed: optional text, text that is text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from tracker.errors import UsageError
from tracker.support.textsafe import without_terminal_sequences

_SURROGATE = re.compile("[\ud800-\udfff]")


def check_decodable(options: Mapping[str, object]) -> None:
    """Refuse a command-line value whose bytes were not UTF-8 (a `UsageError` naming the option).

    Python hands such bytes over as lone surrogates, which no database or terminal accepts; a
    name, title or URL typed in another encoding is a mistake to fix, not text to store. `options`
    maps each option's parameter name (`posted_at`) to its value; lists of values are looked into.
    """
    for name, value in options.items():
        values: Iterable[object] = value if isinstance(value, (list, tuple)) else (value,)
        if any(isinstance(v, str) and _SURROGATE.search(v) for v in values):
            option = "--" + name.replace("_", "-")
            raise UsageError(f"{option} is not valid UTF-8 text: check the terminal's or the script's encoding")


def stripped(text: str | None) -> str | None:
    """The text without surrounding white space; None when nothing is left."""
    if text is None:
        return None
    text = text.strip()
    return text or None


_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
_SPACES = re.compile(" {2,}")
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def typed_line(text: str | None) -> str | None:
    """A one-line field as typed or pasted (a name, a title, a URL), as it is kept: without terminal escape
    sequences (a pasted colour code), control or bidi-override characters spaces and each run of spaces one, no
    surrounding white space; None when nothing is left. Letters quote these fields, so they hold only text."""
    if text is None:
        return None
    return stripped(_SPACES.sub(" ", _LINE_CONTROLS.sub(" ", without_terminal_sequences(text))))


def typed_text(text: str | None) -> str | None:
    """Text of several lines as typed or pasted (a note, a description), as it is kept: as `typed_line`, but
    line ends stay (`\\r\\n` and `\\r` made `\\n`) and tabs too."""
    if text is None:
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return stripped(_TEXT_CONTROLS.sub(" ", without_terminal_sequences(lines)))
