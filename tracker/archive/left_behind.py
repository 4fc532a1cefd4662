"""What a restore leaves behind: the records of the replaced database that the backup's database lacks.

`restore --force` replaces the database whole; the replaced one is kept as `<db>.old-*`, but what
only it held (a post logged after the backup, a complaint due tomorrow) is then out of view. These
are named before the swap, so the owner is told what to log again or to recover from the kept copy.
Read with the standard library's driver, read-only; a database it cannot read names nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.db.enums import UNANSWERED
from tracker.db.plain import stored_time
from tracker.support.words import counted

SHOWN = 5
"""Posts and complaints named one by one; the rest are counted."""


@dataclass(frozen=True)
class LeftBehind:
    """Posts (number, URL) and complaints (number, status, deadline) only the replaced database holds."""

    posts: list[tuple[int, str]] = field(default_factory=list)
    complaints: list[tuple[int, str, datetime | None]] = field(default_factory=list)
    decisions: int = 0

    def __bool__(self) -> bool:
        return bool(self.posts or self.complaints or self.decisions)

    def lines(self, shown: Callable[[datetime], str]) -> list[str]:
        """One line per kind, the unanswered complaints with their deadline as `shown` writes it."""
        out = []
        if self.posts:
            named = ", ".join(f"#{n} {url}" for n, url in self.posts[:SHOWN])
            more = f" and {len(self.posts) - SHOWN} more" if len(self.posts) > SHOWN else ""
            out.append(f"{counted(len(self.posts), 'post')}: {named}{more}")
        if self.complaints:
            named = ", ".join(
                f"#{n} {status}" + (f", answer by {shown(deadline)}" if status in _WAITING and deadline else "")
                for n, status, deadline in self.complaints[:SHOWN]
            )
            more = f" and {len(self.complaints) - SHOWN} more" if len(self.complaints) > SHOWN else ""
            out.append(f"{counted(len(self.complaints), 'complaint')}: {named}{more}")
        if self.decisions:
            out.append(f"{counted(self.decisions, 'decision')} on complaints the backup has")
        return out


_WAITING = {status.value for status in UNANSWERED}


def left_behind(current: Path, restored: Path) -> LeftBehind:
    """What `current` holds that `restored` lacks: posts by URL, complaints by number and arrival,
    decisions by complaint and time. Empty when either cannot be read (a damaged current database is
    kept as it is anyway)."""
    try:
        with closing(_read_only(current)) as old, closing(_read_only(restored)) as new:
            posts = _missing(old, new, "SELECT id, url FROM post ORDER BY id", key=lambda row: row[1])
            complaints = _missing(
                old,
                new,
                "SELECT id, status, deadline_at, received_at FROM complaint ORDER BY id",
                key=lambda row: (row[0], row[3]),
            )
            decisions = _missing(old, new, "SELECT complaint_id, decided_at FROM decision ORDER BY id", key=tuple)
    except sqlite3.Error:
        return LeftBehind()
    known = {row[0] for row in complaints}
    return LeftBehind(
        posts=[(int(n), str(url)) for n, url in posts],
        complaints=[(int(n), str(status), stored_time(deadline)) for n, status, deadline, _ in complaints],
        decisions=sum(1 for complaint_id, _ in decisions if complaint_id not in known),
    )


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _missing(
    old: sqlite3.Connection, new: sqlite3.Connection, sql: str, key: Callable[[tuple[Any, ...]], Hashable]
) -> list[tuple[Any, ...]]:
    """The rows of `sql` in `old` whose key no row of `new` has."""
    have = {key(tuple(row)) for row in new.execute(sql)}
    return [tuple(row) for row in old.execute(sql) if key(tuple(row)) not in have]
