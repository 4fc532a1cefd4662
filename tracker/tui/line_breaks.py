"""Japanese line breaking (禁則処理) for the TUI: no wrapped line starts with 。 or 」, none ends with 「.

Textual's TextArea (the reply letter, the message being pasted) and Rich's wrapping (every Static:
a complaint's message, its notes) fold a paragraph without spaces at the last cell that fits, so a
Japanese letter at 80 columns shows lines opening with 。、」 — what no Japanese reader expects of
a letter. `install` wraps the two folding functions: wherever a break would put a closing mark or a
small kana at a line's start, or an opening bracket at a line's end, the character before it moves
down to the next line (追い出し), and the rest of the line is folded again from there, so no line
grows past the width. Text without such characters, or with tabs, is folded exactly as before.
What is copied, saved or sent is the text itself: only where the screen breaks it changes.

Both functions are private to the pinned textual (<8.3) and its Rich; when either is missing,
that wrapping is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

NO_START = frozenset(
    "、。，．・：；？！‼⁇⁈⁉ー―）」』】〕〉》］｝〙〗〟’”ゝゞヽヾ々〻〜～…‥゠"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
"""Characters a line must not start with (closing brackets, punctuation, small kana, prolonged sound)."""
NO_END = frozenset("（「『【〔〈《［｛〘〖〝‘“")
"""Characters a line must not end with (opening brackets)."""
_AFFECTED = re.compile("[" + re.escape("".join(sorted(NO_START | NO_END))) + "]")

MOST_MOVED = 3
"""At most this many characters move down to keep one break right (a run of 」。」 say); beyond it the break stays."""

LONGEST = 20_000
"""Longer lines (a pasted file without line ends) are folded as they were: moving breaks refolds the rest."""

Fold = Callable[..., list[int]]


def kinsoku(fold: Fold) -> Fold:
    """`fold(text, width, ...) -> break offsets`, breaking Japanese lines where a Japanese reader expects them."""

    def folded(text: str, width: int, *args: Any, **kwargs: Any) -> list[int]:
        offsets = fold(text, width, *args, **kwargs)
        if not offsets or len(text) > LONGEST or "\t" in text or not _AFFECTED.search(text):
            return offsets
        kwargs.pop("precomputed_tab_sections", None)  # of the whole line; the rest is folded without tabs
        breaks: list[int] = []
        start = base = i = 0
        while i < len(offsets):
            at = base + offsets[i]
            start = _moved(text, start, at)
            breaks.append(start)
            if start == at:
                i += 1
            else:  # the rest of the line, folded again from its new start
                offsets, base, i = fold(text[start:], width, *args, **kwargs), start, 0
        return breaks

    folded.__wrapped__ = fold  # type: ignore[attr-defined]
    return folded


def _moved(text: str, start: int, at: int) -> int:
    """The break at `at`, moved back (by at most `MOST_MOVED`) until the line after it starts, and the one
    before it ends, where a Japanese line may."""
    moved = at
    while moved - 1 > start and at - moved < MOST_MOVED and (text[moved] in NO_START or text[moved - 1] in NO_END):
        moved -= 1
    if text[moved] in NO_START or text[moved - 1] in NO_END:
        return at  # a run too long to keep together: broken where it was
    return moved


def install() -> None:
    """Wrap Textual's TextArea folding and Rich's text folding (once; no-op where either is missing)."""
    try:
        from rich import text as rich_text
        from textual.document import _wrapped_document
    except ImportError:  # pragma: no cover - the pinned versions have both
        return
    for module, name in ((_wrapped_document, "compute_wrap_offsets"), (rich_text, "divide_line")):
        fold = getattr(module, name, None)
        if callable(fold) and not hasattr(fold, "__wrapped__"):
            setattr(module, name, kinsoku(fold))
