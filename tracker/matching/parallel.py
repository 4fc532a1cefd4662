"""Two threads for the two cores: numpy lets go of the interpreter while it gathers, compares and multiplies."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

_T = TypeVar("_T")


def on_two_threads(jobs: Sequence[Callable[[], _T]]) -> list[_T]:
    """Every job's result, in order: the odd ones on a second thread while this one runs the even ones."""
    if len(jobs) < 2:
        return [job() for job in jobs]
    results: dict[int, _T] = {}
    failed: list[BaseException] = []

    def odd() -> None:
        try:
            for i in range(1, len(jobs), 2):
                results[i] = jobs[i]()
        except BaseException as exc:  # re-raised on the calling thread below
            failed.append(exc)

    helper = threading.Thread(target=odd, name="tracker-search", daemon=True)
    helper.start()
    try:
        for i in range(0, len(jobs), 2):
            results[i] = jobs[i]()
    finally:
        helper.join()
    if failed:
        raise failed[0]
    return [results[i] for i in range(len(jobs))]
