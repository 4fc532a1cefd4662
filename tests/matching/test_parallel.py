"""The search's two threads: every result in its place, and a failure on either thread is never lost."""

from __future__ import annotations

import threading

import pytest

from tracker.matching.parallel import on_two_threads


def test_results_come_back_in_order_from_both_threads() -> None:
    ran_on: dict[int, str] = {}

    def job(i: int) -> int:
        ran_on[i] = threading.current_thread().name
        return i * i

    assert on_two_threads([lambda i=i: job(i) for i in range(5)]) == [0, 1, 4, 9, 16]
    assert {ran_on[i] for i in (1, 3)} == {"tracker-search"}
    assert "tracker-search" not in {ran_on[i] for i in (0, 2, 4)}


@pytest.mark.parametrize("failing", [0, 1])
def test_a_job_that_fails_on_either_thread_fails_the_search(failing: int) -> None:
    def job(i: int) -> int:
        if i == failing:
            raise MemoryError("no room for the candidates")
        return i

    with pytest.raises(MemoryError, match="no room"):
        on_two_threads([lambda i=i: job(i) for i in range(4)])


def test_one_job_runs_here() -> None:
    assert on_two_threads([lambda: threading.current_thread().name]) == [threading.current_thread().name]
