"""The scrub's last stage (`tracker.purge.vacuum`): a VACUUM that fails says what the owner can do about it."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tracker.errors import DatabaseError
from tracker.purge.vacuum import vacuum


class _Failing:
    """A raw connection (and its cursor) whose VACUUM fails with `error`, as SQLite's would."""

    def __init__(self, error: str) -> None:
        self.error = error

    def raw_connection(self) -> _Failing:
        return self

    def cursor(self) -> _Failing:
        return self

    def execute(self, sql: str) -> _Failing:
        if sql == "VACUUM":
            raise sqlite3.OperationalError(self.error)
        return self

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    ("error", "advice"),
    [
        ("database or disk is full", "free some space (VACUUM needs about the database's size)"),
        ("database is locked", "close other tracker windows"),
    ],
)
def test_a_failed_vacuum_says_what_to_do_about_it(error: str, advice: str) -> None:
    engine: Any = _Failing(error)
    with pytest.raises(DatabaseError) as failed:
        vacuum(engine, "tracker purge scrub moth")
    assert str(failed.value) == (
        f"the persona's rows are deleted, but VACUUM failed ({error}); {advice} and run "
        "`tracker purge scrub moth` again to finish"
    )
