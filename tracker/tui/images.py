"""What the terminal can draw: asked once before the app starts, in one round trip.

Pictures are drawn by textual-image (Sixel, the kitty graphics protocol, or coloured half-blocks).
Left to itself, textual-image asks the terminal when it is imported, one question at a time,
waiting up to a tenth of a second for each answer, and must be imported before Textual reads the
terminal: that import (Pillow, numpy) and those waits would delay the first screen. So tracker asks
the terminal itself, all questions at once followed by a request for the terminal's device
attributes, which every terminal answers, so the answers are complete as soon as that one arrives
(the way kitty's documentation recommends). textual-image is loaded later, when the first picture
is drawn, and told the answers instead of asking again.
"""

from __future__ import annotations

import os
import re
import select
import struct
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.widget import Widget

SIXEL, KITTY, HALF_BLOCKS = "sixel", "kitty", "half-blocks"

_CELL_QUERY = "\x1b[16t"  # cell size in pixels
_KITTY_QUERY = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"  # kitty graphics protocol: answered only where supported
_ATTRIBUTES_QUERY = "\x1b[c"  # primary device attributes: answered by every terminal, and last
_QUERIES = _CELL_QUERY + _KITTY_QUERY + _ATTRIBUTES_QUERY


def queries(env: Mapping[str, str] = os.environ) -> str:
    """What to ask this terminal. Inside tmux or screen not the kitty question: they never pass kitty
    graphics through, and tmux takes the unknown sequence for the pane's title (`Gi=31,s=1,...`), which
    stays after the TUI has quit."""
    multiplexed = "TMUX" in env or "STY" in env or env.get("TERM", "").startswith(("screen", "tmux"))
    return _CELL_QUERY + _ATTRIBUTES_QUERY if multiplexed else _QUERIES


_ATTRIBUTES = re.compile(rb"\x1b\[\?([\d;]*)c")
_CELL = re.compile(rb"\x1b\[6;(\d+);(\d+)t")
_KITTY_OK = re.compile(rb"\x1b_Gi=31;OK\x1b\\")
_WAIT = 0.5
"""Seconds to wait for the device attributes (an answer over a slow SSH link comes well within it)."""


@dataclass(frozen=True)
class Graphics:
    """How pictures are drawn in this terminal, and the size of a cell in pixels (when it said)."""

    method: str
    cell: tuple[int, int] | None = None
    """(width, height) of one character cell in pixels."""


def images_wanted() -> bool:
    """The user did not turn pictures off (TRACKER_TUI_IMAGES=0) and the terminal is not `dumb`."""
    return os.environ.get("TRACKER_TUI_IMAGES", "1") != "0" and os.environ.get("TERM") != "dumb"


def _installed() -> bool:
    try:
        return find_spec("textual_image") is not None
    except (ImportError, ValueError):
        return False


def probe_terminal(wait: float = _WAIT) -> Graphics | None:
    """Ask the terminal on stdin/stdout what it can draw; None when pictures are off or impossible.

    Must run before Textual starts reading the terminal. Keys typed during the round trip are lost.
    """
    if not images_wanted() or not _installed() or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    if os.name != "posix":
        return Graphics(HALF_BLOCKS)
    import termios
    import tty

    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    saved = termios.tcgetattr(stdin)
    answer = b""
    try:
        tty.setcbreak(stdin, termios.TCSANOW)
        os.write(stdout, queries().encode())
        deadline = time.monotonic() + wait
        while not _ATTRIBUTES.search(answer):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stdin], [], [], left)[0]:
                break
            answer += os.read(stdin, 4096)
    except OSError:
        return Graphics(HALF_BLOCKS)
    finally:
        termios.tcsetattr(stdin, termios.TCSANOW, saved)
    return graphics_from(answer, _window_cell(stdout))


def graphics_from(answer: bytes, cell: tuple[int, int] | None = None) -> Graphics:
    """What the terminal's answers say: Sixel (attribute 4) first, then kitty graphics, else half-blocks."""
    if cell is None and (found := _CELL.search(answer)):
        height, width = int(found.group(1)), int(found.group(2))
        cell = (width, height) if width and height else None
    attributes = _ATTRIBUTES.search(answer)
    if attributes and "4" in attributes.group(1).decode().split(";"):
        return Graphics(SIXEL, cell)
    if _KITTY_OK.search(answer):
        return Graphics(KITTY, cell)
    return Graphics(HALF_BLOCKS, cell)


def _window_cell(fd: int) -> tuple[int, int] | None:
    """The cell size from the window's pixel size, where the terminal reports one."""
    try:
        import fcntl
        import termios

        rows, columns, width, height = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    except (OSError, ImportError, AttributeError, struct.error):
        return None
    if rows and columns and width and height:
        return width // columns, height // rows
    return None


class _NotATerminal:
    """Stands in for stdout while textual-image is imported, so it asks the terminal nothing."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def image_widget(graphics: Graphics) -> Callable[..., Widget]:
    """textual-image's widget for this terminal, loaded now and told what the probe found.

    Called while Textual runs, when the first picture is drawn: textual-image must not question
    the terminal Textual is reading, so its import sees no terminal, and its cell size is set
    from the probe (its own cache) before the widgets load.
    """
    from textual_image import _terminal

    if graphics.cell is not None:
        _terminal.get_cell_size._result = _terminal.CellSize(*graphics.cell)  # type: ignore[attr-defined]
    real = sys.__stdout__
    sys.__stdout__ = _NotATerminal(real)  # type: ignore[misc,assignment]
    try:
        from textual_image import widget
    finally:
        sys.__stdout__ = real  # type: ignore[misc]
    chosen: dict[str, Callable[..., Widget]] = {
        SIXEL: widget.SixelImage,
        KITTY: widget.TGPImage,
        HALF_BLOCKS: widget.HalfcellImage,
    }
    return chosen.get(graphics.method, widget.HalfcellImage)
