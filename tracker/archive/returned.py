"""Personas a finished restore brought back, remembered until the owner acts on them.

A backup made before a persona was scrubbed still holds it: restored, the persona comes back, posts, complaints
(complainants' names and addresses) and all. The restore says so when it finishes; that one warning scrolls away,
so the restore also writes this note (`.<db>.returned`: private JSON beside the database, written atomically), and
`tracker status` and the persona's purge checklist repeat it while the persona is in the database, until the owner
acts: scrubs it again (`restore_record.forget_persona` takes its name out), or says it stays (`tracker persona keep
NAME`: a restore meant to bring it back). A persona merged into another, or renamed, is no longer named. The note
names nothing but the personas, their counts and the backup, and goes when it names no one.

A later finished restore rewrites the note: the personas it brought back, and those of the earlier note still in
the database it put in place. A restore killed after its commit point says the same through its own record
(`restore_record`); `tracker status` names each persona once.

Only the standard library: `tracker status` reads it on every run.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.support.dates import iso, utc_from_iso
from tracker.support.files import atomic_private
from tracker.support.words import counted


@dataclass(frozen=True)
class Returned:
    """A persona a finished restore brought back: its name, what it held then, the backup and when."""

    name: str
    posts: int
    complaints: int
    backup: str
    restored_at: datetime

    def held(self) -> str:
        """`3 posts, 1 complaint` ('' when it held neither)."""
        return ", ".join(counted(n, word) for n, word in ((self.posts, "post"), (self.complaints, "complaint")) if n)

    def to_dict(self) -> dict[str, Any]:
        """The plain data `tracker status --json` gives."""
        return {
            "name": self.name,
            "posts": self.posts,
            "complaints": self.complaints,
            "backup": self.backup,
            "restored_at": iso(self.restored_at),
        }


def returned_path(database: Path) -> Path:
    """Where the note of the personas restores brought back lives, beside `database`."""
    database = database.resolve() if database.is_symlink() else database
    return database.parent / f".{database.name}.returned"


def read_returned(database: Path, here: Collection[str] | None = None) -> list[Returned]:
    """The personas the note names (those in `here`, the personas in the database now, when given); an unreadable
    note names none."""
    try:
        data = json.loads(returned_path(database).read_text(encoding="utf-8"))
        found = [
            Returned(
                str(p["name"]), int(p["posts"]), int(p["complaints"]), str(p["backup"]), utc_from_iso(p["restored_at"])
            )
            for p in data["returned"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [p for p in found if here is None or p.name in here]


def write_returned(database: Path, personas: Iterable[Returned]) -> None:
    """Write the note (each persona once, the latest restore's word on it), or remove it when it names no one;
    raises OSError."""
    by_name = {p.name: p for p in personas}
    path = returned_path(database)
    database = database.resolve() if database.is_symlink() else database
    if not by_name:
        path.unlink(missing_ok=True)
        return
    data = {"returned": [p.to_dict() for p in by_name.values()]}
    with atomic_private(path, prefix=f".{database.name}.restoring-returned-") as handle:  # a killed write: swept
        handle.write(json.dumps(data, ensure_ascii=True).encode("ascii"))


def after_restore(database: Path, brought: Iterable[Returned], here: Collection[str]) -> None:
    """The note once a restore finished: the earlier note's personas still in the restored database (`here`), and
    those this restore brought back; raises OSError."""
    write_returned(database, [*read_returned(database, here), *brought])


def forget_returned(database: Path, name: str) -> bool:
    """Take `name` out of the note (scrubbed again, or kept on purpose); whether it was named. Raises OSError."""
    personas = read_returned(database)
    if not any(p.name == name for p in personas):
        return False
    write_returned(database, [p for p in personas if p.name != name])
    return True
