"""TEST ONLY: named points where the crash-consistency tests stop a process to kill it.

`TRACKER_TEST_STOP_AT=NAME#N` makes the process that reaches point NAME for the N-th time stop
itself (SIGSTOP); the test, which started it in a session of its own, then kills the whole
session with SIGKILL, as a power cut or `kill -9` would. Unset (always, outside the tests), a
point costs one comparison.
"""

from __future__ import annotations

import os
import signal

STOP_ENV = "TRACKER_TEST_STOP_AT"

_target = os.environ.get(STOP_ENV, "")
_name, _, _nth = _target.partition("#")
_counts: dict[str, int] = {}


def stop_point(name: str) -> None:
    """Stop this process here when `TRACKER_TEST_STOP_AT` names this point and occurrence."""
    if not _target or name != _name:
        return
    _counts[name] = _counts.get(name, 0) + 1
    if str(_counts[name]) == (_nth or "1") and hasattr(signal, "SIGSTOP"):
        os.kill(os.getpid(), signal.SIGSTOP)
