"""`ctrl_c_held`: a Ctrl+C inside the block waits for its end; none, or one ignored, changes nothing."""

from __future__ import annotations

import os
import signal

import pytest

from tracker.support.ctrl_c import ctrl_c_held


def test_a_ctrl_c_inside_waits_for_the_end_of_the_block() -> None:
    """Python's own Ctrl+C handler set first: an earlier test in the same process may have left another."""
    done: list[str] = []
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            with ctrl_c_held():
                os.kill(os.getpid(), signal.SIGINT)
                done.append("counted")  # the commit's count: never cut off
        assert done == ["counted"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, before)


def test_an_ignored_ctrl_c_stays_ignored() -> None:
    """Started in the background (`tracker import ... &`), Ctrl+C is ignored: held or not, nothing is raised."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with ctrl_c_held():
            os.kill(os.getpid(), signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def test_a_handler_set_outside_python_is_given_back_as_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """`signal.signal` answers None for a handler C code set (an embedding program): the block's end put None back,
    a TypeError ending the command after its commit, instead of the default."""
    real = signal.signal
    answers = iter([None])

    def swap(number: int, handler: object) -> object:
        previous = real(number, handler)  # type: ignore[arg-type]
        return next(answers, previous)

    monkeypatch.setattr(signal, "signal", swap)
    try:
        with ctrl_c_held():
            pass
        assert signal.getsignal(signal.SIGINT) is signal.SIG_DFL
    finally:
        real(signal.SIGINT, signal.default_int_handler)
