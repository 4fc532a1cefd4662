"""What only the databases finished restores replaced held, remembered while their kept copies are there.

`restore --force` keeps the database it replaces as `<db>.old-*`; what only that one held (a complaint logged after
the backup, still to answer, a post logged since) is said once when the restore finishes, then lives in that copy
alone, out of view. So the restore also writes this note (`.<db>.replaced`: private JSON beside the database,
written atomically before it says its warnings), and `tracker status` repeats it, an unanswered complaint among it
as an alarm (exit 3, exit 1 once its deadline has passed), for as long as the copy is there: the owner ends it by
deleting or moving that file once its records are logged again or dealt with. Status reads only this note and asks
whether the copy is still a file: it never opens the old database.

A later restore keeps the earlier entries whose copies are still there, and adds its own (and those of an earlier
restore killed before it said them, which it carries over). The note keeps numbers only: each complaint's number,
status and deadline, and how many posts, images, input images and changes; no URL, file or persona name (those are
in the copy, which the purge checklist lists), so it tells nothing of a persona scrubbed since. It goes when it
names nothing: an entry whose copy the owner deleted or moved is dropped by the next `tracker status` or restore
(`prune_replaced`), and the note with the last one.

Only the standard library: `tracker status` reads it on every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker.archive.left_behind import UNANSWERED_STATUSES, LeftBehind
from tracker.support.dates import from_iso, iso, utc_from_iso
from tracker.support.files import atomic_private
from tracker.support.words import counted


@dataclass(frozen=True)
class Replaced:
    """What only one replaced database held: the backup restored over it, the copy it was kept as (a file name
    beside the database), when, its complaints the backup lacked (number, status, deadline), and how many other
    records and changes."""

    backup: str
    kept_database: str
    restored_at: datetime
    complaints: tuple[tuple[int, str, datetime | None], ...] = ()
    posts: int = 0
    images: int = 0
    inputs: int = 0
    changes: int = 0
    unreadable: str = ""
    """Why the replaced database could not be read when it was replaced ('' when it could)."""

    @classmethod
    def of(cls, backup: str, kept_database: str, restored_at: datetime, left: LeftBehind) -> Replaced:
        return cls(
            backup, kept_database, restored_at, tuple(left.complaints), len(left.posts), len(left.images),
            len(left.inputs), left.changes, left.unreadable,
        )  # fmt: skip

    def __bool__(self) -> bool:
        return bool(self.complaints or self.posts or self.images or self.inputs or self.changes or self.unreadable)

    def unanswered(self) -> list[tuple[int, datetime | None]]:
        """Its complaints still to answer: (number, deadline)."""
        return [(n, deadline) for n, status, deadline in self.complaints if status in UNANSWERED_STATUSES]

    def others(self) -> str:
        """`6 posts, 1 archived image with no post, 2 changes made after the backup` ('' when none)."""
        kinds = (
            (self.posts, "post", None),
            (self.images, "archived image with no post", "archived images with no post"),
            (self.inputs, "input image", None),
            (self.changes, "change made after the backup", "changes made after the backup"),
        )
        unread = [f"it could not be read ({self.unreadable}): whatever only it holds cannot be listed"]
        return ", ".join([counted(n, one, many) for n, one, many in kinds if n] + (unread if self.unreadable else []))

    def to_json(self) -> dict[str, Any]:
        return {
            "backup": self.backup,
            "kept_database": self.kept_database,
            "restored_at": iso(self.restored_at),
            "complaints": [[n, status, iso(deadline)] for n, status, deadline in self.complaints],
            "counts": [self.posts, self.images, self.inputs, self.changes],
            "unreadable": self.unreadable,
        }


def _from_json(entry: dict[str, Any]) -> Replaced:
    posts, images, inputs, changes = (int(n) for n in entry["counts"])
    return Replaced(
        str(entry["backup"]),
        _file_name(entry["kept_database"]),
        utc_from_iso(entry["restored_at"]),
        tuple((int(n), str(status), from_iso(deadline)) for n, status, deadline in entry["complaints"]),
        posts, images, inputs, changes, str(entry.get("unreadable") or ""),
    )  # fmt: skip


def replaced_path(database: Path) -> Path:
    """Where the note lives, beside `database`."""
    database = database.resolve() if database.is_symlink() else database
    return database.parent / f".{database.name}.replaced"


def read_replaced(database: Path) -> list[Replaced]:
    """The entries whose kept copy is still a file beside the database (deleting or moving it ends one); an
    unreadable note names none."""
    database = database.resolve() if database.is_symlink() else database
    try:
        data = json.loads(replaced_path(database).read_text(encoding="ascii"))
        found = [_from_json(entry) for entry in data["replaced"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [entry for entry in found if entry and (database.parent / entry.kept_database).is_file()]


def prune_replaced(database: Path) -> None:
    """Drop the entries whose kept copy is gone (the owner deleted or moved it: that ends one), and the note itself
    once none is left; raises OSError. A note that cannot be read whole is left as it is: what it says cannot be
    told, so neither can whether its copies are gone. Run under the restore lock (`store.drop_spent_note`): a restore
    writes the note, and makes the copies, under it."""
    database = database.resolve() if database.is_symlink() else database
    try:
        data = json.loads(replaced_path(database).read_text(encoding="ascii"))
        found = [_from_json(entry) for entry in data["replaced"]]
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return
    kept = [entry for entry in found if entry and (database.parent / entry.kept_database).is_file()]
    if len(kept) < len(found):
        write_replaced(database, kept)  # atomically: the entries still kept are never lost


def _file_name(value: object) -> str:
    name = str(value)
    if not name or Path(name).name != name:
        raise ValueError("not a file name")
    return name


def write_replaced(database: Path, entries: Iterable[Replaced]) -> None:
    """Write the note (one entry per kept copy, the latest word on it), or remove it when it names nothing; raises
    OSError. Its temporary name is one of a killed restore's leftovers (`.<db>.restoring-*`), cleared with them."""
    database = database.resolve() if database.is_symlink() else database
    by_copy = {entry.kept_database: entry for entry in entries if entry}
    path = replaced_path(database)
    if not by_copy:
        path.unlink(missing_ok=True)
        return
    data = {"replaced": [entry.to_json() for entry in by_copy.values()]}
    with atomic_private(path, prefix=f".{database.name}.restoring-replaced-") as handle:
        handle.write(json.dumps(data, ensure_ascii=True).encode("ascii"))


def note_restore(database: Path, told: Iterable[tuple[str, str | None, LeftBehind]]) -> bool:
    """Before a finished restore says its warnings: note what only the databases it (and an earlier restore killed
    before it said them) replaced held, as (backup, kept copy's file name, what only it held), with the earlier
    entries still kept. Whether the note could be written: if not, the restore keeps its record, which `tracker
    status` says instead."""
    now = datetime.now(UTC)
    new = [Replaced.of(backup, kept, now, left) for backup, kept, left in told if kept and left]
    try:
        write_replaced(database, [*read_replaced(database), *new])
    except OSError:
        return False
    return True
