"""A Ctrl+C held back while a commit and the count of what it saved happen together.

A Ctrl+C (SIGINT) that came between a transaction's commit and the count of what it saved would end a command
saying less was saved than was (`tracker import`: "0 of 70 files were saved" with 64 recorded). Inside
`ctrl_c_held` a Ctrl+C is only noted; when the block ends the handler that was there before takes it, as if it had
come then (Python's raises KeyboardInterrupt). The handler is swapped rather than the signal blocked: the system
may hand a process's signal to any of its threads (an import has several), and a mask is a thread's own. Held only
in the main thread (where Python takes signals), and for a moment: the commit and a few additions, never a wait
for a lock or for input.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Hold a Ctrl+C back until the block ends (see the module docstring); outside the main thread the block runs
    as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[FrameType | None] = []

    def note(number: int, frame: FrameType | None) -> None:
        came.append(frame)

    before = signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before if before is not None else signal.SIG_DFL)  # None: set outside Python
        if came and callable(before):
            before(signal.SIGINT, came[0])
        elif came and before == signal.SIG_DFL:
            raise KeyboardInterrupt
