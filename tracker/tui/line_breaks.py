"""Japanese line breaking (禁則処理) for the TUI: no wrapped line starts with 。 or 」, none ends with 「.

Textual's TextArea (the reply letter, the message being pasted), Rich's wrapping and Textual's `Content`
(every Static: a complaint's message, its notes) fold a paragraph without spaces at the last cell that fits, so a
Japanese letter at 80 columns shows lines opening with 。、」 — what no Japanese reader expects of
a letter. `install` wraps these folding functions: wherever a break would put a closing mark or a
small kana at a line's start, or an opening bracket at a line's end, the character before it moves
down to the next line (追い出し), and the rest of the line is folded again from there, so no line
grows past the width; a Latin word inside a Japanese line moves down whole, and so does a URL that fits on a line
(`prose_urls` says where a URL written against Japanese ends): broken in two, `（https://` / `www.pixiv.net/…）`, it
was copied from the terminal by halves. Text without Japanese, or with tabs, is folded exactly as before.
What is copied, saved or sent is the text itself: only where the screen breaks it changes.

The functions are private to the pinned textual (<8.3) and its Rich; when one is missing,
that wrapping is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rich.cells import cell_len

from tracker.complaints.reading.prose_urls import url_spans
from tracker.support.kinsoku import MOST_MOVED, NO_END, NO_START

__all__ = ["NO_END", "NO_START", "install", "kinsoku"]

_AFFECTED = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
"""Japanese (and full-width) text: only lines holding some are folded again."""
LATIN_WORD = 24
"""A Latin word (a title, a URL's piece) inside Japanese text moves down whole when shorter than this."""

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
        urls = url_spans(text) if "://" in text else []
        breaks: list[int] = []
        start = base = i = 0
        while i < len(offsets):
            at = base + offsets[i]
            url_at = _before_url(text, start, at, urls, width)
            start = url_at if url_at < 0 else _moved(text, start, url_at)
            start = abs(start)
            breaks.append(start)
            if start == at:
                i += 1
            else:  # the rest of the line, folded again from its new start
                offsets, base, i = fold(text[start:], width, *args, **kwargs), start, 0
        return breaks

    folded.__wrapped__ = fold  # type: ignore[attr-defined]
    return folded


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "'-_.")


def _before_url(text: str, start: int, at: int, urls: list[tuple[int, int]], width: int) -> int:
    """The break at `at`, or before the URL it would cut when that URL fits on a line of `width` cells: with the
    brackets around it (`（https://…）`), the URL then starts the next line whole (`_moved` takes the bracket down
    too); when only the URL and its closing marks fit, the break is right before it, negated (`-begin`: `_moved`
    must not move it), an opening bracket then ending a line: a URL broken in two is copied by halves."""
    for begin, end in urls:
        tail = end  # the closing marks after it go with it: a break before one would be moved into the URL
        while tail < len(text) and text[tail] in NO_START:
            tail += 1
        if start < begin < at < tail:
            head = begin
            while head - 1 > start and text[head - 1] in NO_END:
                head -= 1
            if head > start and cell_len(text[head:tail]) <= width:
                return begin
            return -begin if cell_len(text[begin:tail]) <= width else at
    return at


def _moved(text: str, start: int, at: int) -> int:
    """The break at `at`, moved back until the line after it starts, and the one before it ends, where a
    Japanese line may: not inside a Latin word (`「Orchard in fog」` is not broken as `Orcha` / `rd`), and
    (by at most `MOST_MOVED`) not before a closing mark or after an opening one."""
    moved = at
    if _latin(text[moved - 1]) and _latin(text[moved]):
        head = moved
        while head - 1 > start and _latin(text[head - 1]) and at - head < LATIN_WORD:
            head -= 1
        if head - 1 > start and not _latin(text[head - 1]):
            moved = head  # the whole word moves down (a word as long as the line stays broken)
    word = moved
    while moved - 1 > start and word - moved < MOST_MOVED and (text[moved] in NO_START or text[moved - 1] in NO_END):
        moved -= 1
    if text[moved] in NO_START or text[moved - 1] in NO_END:
        return word  # a run too long to keep together: broken where the word allowed
    return moved


def install() -> None:
    """Wrap Textual's TextArea folding and Rich's and Textual's text folding (once; no-op where one is missing)."""
    try:
        from rich import text as rich_text
        from textual import content
        from textual.document import _wrapped_document
    except ImportError:  # pragma: no cover - the pinned versions have all three
        return
    # Rich's Text and Textual's Content (a Static's text: the whole message, `m`) each hold their own name for it.
    folds = ((_wrapped_document, "compute_wrap_offsets"), (rich_text, "divide_line"), (content, "divide_line"))
    for module, name in folds:
        fold = getattr(module, name, None)
        if callable(fold) and not hasattr(fold, "__wrapped__"):
            setattr(module, name, kinsoku(fold))
