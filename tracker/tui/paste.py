"""What a paste brings into the TUI: the whole text, in order, with nothing in it acting on the terminal.

A terminal sends a paste between two markers (bracketed paste: `ESC[200~` ... `ESC[201~`). Textual's
parser (`textual._xterm_parser`, textual 8.2) ends its paste at the first ESC inside it: the rest of a
pasted message that holds a colour code or a window title (`\\x1b[31m`, `\\x1b]0;…\\x07`) arrived as key
presses, ahead of the paste's start, so the message came out scrambled (and its letters could act as
shortcuts). `PasteParser`, which `install` gives Textual's terminal drivers, keeps such an ESC inside the
paste: the text arrives whole, as one `events.Paste`, as the terminal sent it.
`pasted_text` is what a text area then shows and keeps of it (`widgets.message_area`): line ends as
typed, the escape sequences gone, any other control character shown as a visible escape (`\\x07`, as
`safe_text` shows them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterable

from textual import events
from textual._parser import Read1
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message

from tracker.support.textsafe import safe_text, without_terminal_sequences

ESC = "\x1b"
_MARK = "\ue000"
"""Stands for an ESC inside a paste while Textual's parser reads it (a private-use character, itself doubled)."""
_MARKED = re.compile(f"{_MARK}(.)", re.S)
_DRIVERS = ("textual.drivers.linux_driver", "textual.drivers.linux_inline_driver")
"""The drivers that read the terminal with `XTermParser` (a name each imports; Windows' are not patched)."""


class PasteParser(XTermParser):
    """Textual's parser, but an ESC inside a bracketed paste stays in the paste instead of ending it."""

    def __init__(self, debug: bool = False) -> None:
        self._pasting = False
        self._held = ""
        """Inside a paste: the characters that may begin its end marker (`ESC[201~`)."""
        self._recent = ""
        """Outside a paste: the last characters, to see its start marker come."""
        super().__init__(debug)

    def parse(self, token_callback: Callable[[Message], None]) -> Generator[Read1, str, None]:
        def restored(token: Message) -> None:
            if isinstance(token, events.Paste):
                token = events.Paste(_MARKED.sub(lambda m: ESC if m.group(1) == "e" else _MARK, token.text))
            token_callback(token)

        return super().parse(restored)  # type: ignore[return-value]

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of the input
            return super().feed(data)
        guarded = "".join(self._guarded(data))
        return super().feed(guarded) if guarded else ()

    def _guarded(self, data: str) -> Iterable[str]:
        """`data` with each ESC inside a paste (not its end marker) marked, so that the parser keeps it in the paste."""
        for char in data:
            if not self._pasting:
                yield char
                self._recent = (self._recent + char)[-len(BRACKETED_PASTE_START) :]
                self._pasting = self._recent == BRACKETED_PASTE_START
                continue
            if BRACKETED_PASTE_END.startswith(self._held + char):
                self._held += char
                if self._held == BRACKETED_PASTE_END:
                    yield self._held
                    self._pasting, self._held, self._recent = False, "", ""
                continue
            yield self._marked(self._held)
            self._held = ""
            if char == ESC:
                self._held = char
            else:
                yield self._marked(char)

    @staticmethod
    def _marked(text: str) -> str:
        return text.replace(_MARK, _MARK * 2).replace(ESC, f"{_MARK}e")


def install() -> None:
    """Have Textual's terminal drivers read the terminal with `PasteParser` (once; where they can be loaded)."""
    import importlib

    for name in _DRIVERS:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - Windows: no termios
            continue
        if getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = PasteParser  # type: ignore[attr-defined]


def pasted_text(text: str) -> str:
    """A paste as a text area shows and keeps it: `\\r\\n` and `\\r` line ends made `\\n`, the terminal escape
    sequences removed (a colour code, a window title: what the terminal drew of the text stays, in order),
    any other control character shown as its escape (`\\x07`)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return safe_text(without_terminal_sequences(lines), keep_newlines=True)
