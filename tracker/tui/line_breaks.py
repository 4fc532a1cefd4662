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
All three fold by words, a word being what lies between ASCII spaces (Textual's `_wrap.chunks`, Rich's
`_wrap.words`): a Japanese run without spaces was one long word, so `高橋 綾乃様、…` (one space after the family
name) was broken right after 高橋, most of that line left empty, and the run then cut at the width. Japanese is
not written with spaces between words: a Japanese line (no tabs) is folded here by `by_character` instead, each
Japanese character a place it may break, a Latin word between them still whole, then kept to 禁則 as above.
What is copied, saved or sent is the text itself: only where the screen breaks it changes.

The functions are private to the pinned textual (<8.3) and its Rich; when one is missing,
that wrapping is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from rich.cells import cell_len

from tracker.complaints.reading.prose_urls import url_spans
from tracker.support.kinsoku import MOST_MOVED, NO_END, NO_START

__all__ = ["NO_END", "NO_START", "by_character", "install", "kinsoku"]

_JAPANESE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_AFFECTED = re.compile(f"[{_JAPANESE}]")
"""Japanese (and full-width) text: only lines holding some are folded again."""
LATIN_WORD = 24
"""A Latin word (a title, a URL's piece) inside Japanese text moves down whole when shorter than this."""

LONGEST = 20_000
"""Longer lines (a pasted file without line ends) are folded as Textual and Rich fold them."""

Fold = Callable[..., list[int]]

_CHUNK = re.compile(f"[{_JAPANESE}]\\s*|[^\\s{_JAPANESE}]+\\s*|\\s+")
"""What moves down whole: a Japanese character, or a run of other characters (a word), with the spaces after it."""


def by_character(text: str, width: int, spaces_hang: bool = True) -> list[int]:
    """Break offsets folding `text` (one line, no tabs) at `width` cells, breaking between any two Japanese
    characters and between words elsewhere; a word longer than the width is cut where the line is full.
    `spaces_hang`: spaces ending a line may pass the width (Rich and Textual's `Content` strip them); Textual's
    TextArea keeps them on the line, its cursor must have a cell there, so they count as the rest."""
    return list(_breaks(text, 0, width, spaces_hang))


def _breaks(text: str, begin: int, width: int, spaces_hang: bool) -> Iterator[int]:
    """`by_character`'s breaks of the line starting at `begin` in `text`, one at a time: a break moved for 禁則
    folds the rest again from there, and only as far as it is read (not the whole rest each time)."""
    used = 0
    for match in _CHUNK.finditer(text, begin):
        start, chunk = match.start(), match.group()
        need = cell_len(chunk.rstrip()) if spaces_hang else cell_len(chunk)
        if used + need <= width:
            used += cell_len(chunk)
        elif need <= width:
            if start > begin and used:
                yield start
            used = cell_len(chunk)
        else:  # longer than a line: cut where the line is full
            for index, char in enumerate(chunk):
                cells = cell_len(char)
                if used + cells > width and used and not (spaces_hang and char.isspace()):
                    yield start + index
                    used = 0
                used += cells


def kinsoku(fold: Fold, spaces_hang: bool = True) -> Fold:
    """`fold(text, width, ...) -> break offsets`, breaking Japanese lines where a Japanese reader expects them
    (`by_character`, then 禁則); `spaces_hang` as `by_character`'s, for the fold being wrapped."""

    def folded(text: str, width: int, *args: Any, **kwargs: Any) -> list[int]:
        if len(text) > LONGEST or "\t" in text or not _AFFECTED.search(text) or width < 2 or not _folds(args, kwargs):
            return fold(text, width, *args, **kwargs)
        urls = url_spans(text) if "://" in text else []
        breaks: list[int] = []
        start = 0
        pending = _breaks(text, 0, width, spaces_hang)
        while (at := next(pending, None)) is not None:
            url_at = _before_url(text, start, at, urls, width)
            start = abs(url_at if url_at < 0 else _moved(text, start, url_at))
            breaks.append(start)
            if start != at:  # the rest of the line, folded again from its new start
                pending = _breaks(text, start, width, spaces_hang)
        return breaks

    folded.__wrapped__ = fold  # type: ignore[attr-defined]
    return folded


def _folds(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether the call asks for a word longer than the line to be cut (`fold`, Rich's third argument, Textual's
    TextArea's fourth): otherwise the plain fold crops it, and is left to do so."""
    if "fold" in kwargs:
        return bool(kwargs["fold"])
    positional = [arg for arg in args if isinstance(arg, bool)]
    return positional[-1] if positional else True


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "'-_.")


def _before_url(text: str, start: int, at: int, urls: list[tuple[int, int]], width: int) -> int:
    """The break at `at`, or before the URL it would cut when that URL fits on a line of `width` cells: with the
    brackets around it (`（https://…）`), the URL then starts the next line whole (`_moved` takes the bracket down
    too); when only the URL fits, the break is right before it, negated (`-begin`: `_moved` must not move it), an
    opening bracket then ending a line, and the break after it too (`-end`), its closing marks then starting the
    next: a URL broken in two is copied by halves (a Bluesky post's URL, 63 characters, at 64 columns)."""
    for begin, end in urls:
        tail = end  # the closing marks after it go with it: a break before one would be moved into the URL
        while tail < len(text) and text[tail] in NO_START:
            tail += 1
        if start < begin <= at < tail:
            head = begin
            while head - 1 > start and text[head - 1] in NO_END:
                head -= 1
            if head > start and cell_len(text[head:tail]) <= width:
                return begin
            return -begin if cell_len(text[begin:end]) <= width else at
        if start == begin and end <= at < tail and cell_len(text[begin:end]) <= width:
            return -end
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
            setattr(module, name, kinsoku(fold, spaces_hang=module is not _wrapped_document))
