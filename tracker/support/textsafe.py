"""Showing untrusted text (metadata, URLs, titles) on a terminal without letting it act.

Control characters, escape sequences and bidirectional overrides are replaced by visible
`\\xNN` / `\\uNNNN` escapes, so a prompt cannot move the cursor, recolour the screen, set the
window title or hide text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape): shown as `fs_text` does
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(value: object, keep_newlines: bool = False) -> str:
    """The text with every control/format character shown as an escape."""
    text = "" if value is None else str(value)
    if text.isprintable():  # no control, format (bidi included), surrogate or line-separator character: as is
        return text
    out = []
    for char in text:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char == "\t" and keep_newlines:
            out.append("    ")
        elif char in _BIDI or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(_escape(char))
        else:
            out.append(char)
    return "".join(out)


_TERMINAL_SEQUENCE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]"  # CSI: a colour, a cursor move, a screen clear (`\x1b[31m`, `\x1b[2J`)
    "|\x1b[\\]PX^_][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)?"  # OSC, DCS, ...: a window title (`\x1b]0;x\x07`)
    "|\x1b[ -/]*[0-~]"  # any other escape (`\x1b(B`, `\x1b7`)
    "|\x9b[0-?]*[ -/]*[@-~]"  # the 8-bit CSI
    "|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)?"  # the 8-bit OSC, DCS, ...
)
"""A terminal escape sequence, whole; one left unterminated ends at its line's end (the rest of the text stays)."""


def without_terminal_sequences(text: str) -> str:
    """The text without the terminal escape sequences in it (`_TERMINAL_SEQUENCE`): what a terminal would
    have drawn of it, in order; other control characters are left for `safe_text` to show."""
    if "\x1b" not in text and not any("\x90" <= char <= "\x9f" for char in text):
        return text
    return _TERMINAL_SEQUENCE.sub("", text)


_JSON_UNSAFE = re.compile(
    "[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb]"
)


def safe_json(value: Any, *, one_line: bool = False) -> str:
    """JSON text that keeps non-ASCII letters readable but escapes every control character.

    `json.dumps` already escapes C0 controls; DEL, C1 controls (0x9b is a CSI on some
    terminals), bidi/format characters and lone surrogates (a file name that is not UTF-8) are
    escaped here, which is still valid JSON and can always be printed. `one_line`: no
    indentation, one line (JSON Lines; and json's C encoder, several times faster).
    """
    return escape_unsafe(json.dumps(value, ensure_ascii=False, indent=None if one_line else 2))


def escape_unsafe(json_text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with what `safe_json` escapes escaped."""
    if json_text.isprintable():  # the common case (no Cc/Cf/Cs/Zl/Zp at all), far faster than the regex
        return json_text
    return _JSON_UNSAFE.sub(_escaped, json_text)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def cell_width(text: str) -> int:
    """How many terminal columns `text` takes: East Asian wide and full-width characters count
    two, combining marks and zero-width characters none (what a terminal draws)."""
    if text.isascii():  # one column each (a table of 2,000 posts measures 36,000 cells)
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal columns (`str.ljust` counts characters)."""
    return text + " " * max(0, width - cell_width(text))


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal columns, an ellipsis marking the cut."""
    if cell_width(text) <= width:
        return text
    return _first_columns(text, width - 1) + "…"


def clip_list(items: list[str], width: int) -> str:
    """`items` joined with commas in at most `width` terminal columns: the first ones whole, then the first
    that no longer fits clipped, and `…` for any left out after it. Put what matters most first (the newest
    former name of a persona: the one its owner last knew it by), since the end is what gets cut."""
    joined = ", ".join(items)
    if cell_width(joined) <= width:
        return joined
    shown: list[str] = []
    for i, item in enumerate(items):
        more = i < len(items) - 1
        used = cell_width(", ".join(shown)) + (2 if shown else 0)
        room = width - used - (3 if more else 0)  # keep room for ", …" while items follow
        if cell_width(item) <= room:
            shown.append(item)
            continue
        if not shown and room < 4:  # no room to say more follows: the first item begun, cut
            return clip(item, width)
        if room >= 4:  # three letters and the ellipsis, or the ellipsis alone
            shown.append(clip(item, room))
            if more:
                shown.append("…")
        else:
            shown.append("…")
        break
    return ", ".join(shown)


def keep_end(text: str, width: int) -> str:
    """At most `width` terminal columns of `text`, cut in the middle so that its end stays.

    For a URL the end is what tells posts apart (`pixiv.net…/120000003`): the last path segment is
    kept whole when it fits, then as much of the beginning (the host) as there is room for.
    """
    if cell_width(text) <= width:
        return text
    if width <= 1:
        return "…" if width == 1 else ""
    cut = text.rstrip("/").rfind("/")
    tail = text[cut:] if cut > 0 else ""
    if not tail or cell_width(tail) > width - 1:
        return "…" + _last_columns(text, width - 1)
    return _first_columns(text[:cut], width - 1 - cell_width(tail)) + "…" + tail


def keep_extension(name: str, width: int) -> str:
    """A file name in at most `width` terminal columns, cut in its middle so that its end stays: the extension
    and the last characters before it, which tell one version from the next (`スクリーンショット_2026…_v2_final.jpg`),
    after as much of its beginning as there is room for. A name that fits is whole; a line never folds it mid-name."""
    if cell_width(name) <= width:
        return name
    if width <= 1:
        return "…" if width == 1 else ""
    dot = name.rfind(".")
    extension = name[dot:] if 0 < dot and cell_width(name[dot:]) <= min(8, width // 2) else ""
    stem = name[: len(name) - len(extension)]
    room = width - 1 - cell_width(extension)
    tail = _last_columns(stem, room // 3)
    return _first_columns(stem, room - cell_width(tail)) + "…" + tail + extension


def _first_columns(text: str, width: int) -> str:
    out, used = [], 0
    for char in text:
        used += cell_width(char)
        if used > width:
            break
        out.append(char)
    return "".join(out)


def _last_columns(text: str, width: int) -> str:
    return _first_columns(text[::-1], width)[::-1]
