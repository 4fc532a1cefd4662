"""What a `tracker restore` killed part way tells `tracker status`: which database is in use, and what the restore
would have warned had it finished.

A restore over an existing database writes this record (`.<db>.restore-record`: private, JSON, written under a
temporary name, synced and renamed into place) once it has kept the old database and compared the two, before it
adds a file to the archive or renames the restored database into place; it removes the record once it has said its
warnings. The record names the restored database's file (device and inode: a rename keeps them), so the database
file itself tells on which side of the commit point a kill came:

- Before the rename: the database from before is in use and nothing was restored. The backup's files the restore
  copied into the archive are in its journal (`.<archive>.pending-restore-*`) for the next writer's sweep, which
  removes this record too, with the other leftovers (`store.writing`); so does the next restore.
- After it: the restored database is in use, and what the restore would have said (the personas that came back,
  what only the replaced database held) is said by `tracker status` until the owner acts: a restore that finishes
  replaces the record, and deleting the replaced database's copy (`<db>.old-*`, where what only it held lives)
  ends it. A persona that came back and is gone again (scrubbed once more) is no longer named.

Only the standard library: `tracker status` reads it on every run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.archive.left_behind import LeftBehind, Returning
from tracker.support.dates import from_iso, iso
from tracker.support.files import atomic_private

RESTORED = "restored"
"""The restored backup's database is in use (the kill came after the rename)."""
BEFORE = "before"
"""The database from before the restore is in use (the kill came before the rename)."""


def record_path(database: Path) -> Path:
    """Where a restore into `database` keeps its record while it runs (and after a kill)."""
    return database.parent / f".{database.name}.restore-record"


@dataclass(frozen=True)
class RestoreRecord:
    """What a restore noted before its commit point: the backup, where the old database and archive were kept, the
    restored database's file, and what it would have warned."""

    backup: str
    kept_database: str | None
    """The file name of the old database's copy, beside the database (None: there was no database)."""
    kept_archive: str | None
    restored_file: tuple[int, int]
    """(device, inode) of the restored database file."""
    returning: tuple[Returning, ...] = ()
    left: LeftBehind = field(default_factory=LeftBehind)


@dataclass(frozen=True)
class KilledRestore:
    """A killed restore's record as it applies now: `in_use` is RESTORED or BEFORE."""

    record: RestoreRecord
    in_use: str

    @property
    def warns(self) -> bool:
        """Does it still have something to say that the restore never said (only once the restored one is in use)?"""
        return self.in_use == RESTORED and bool(self.record.returning or self.record.left)


def write_record(database: Path, record: RestoreRecord) -> Path:
    """Write the record atomically (0600, synced, renamed into place); raises OSError. Its temporary name is one of
    a killed restore's leftovers (`.<db>.restoring-*`), cleared with them."""
    path = record_path(database)
    data = json.dumps(_to_json(record), ensure_ascii=True).encode("ascii")
    with atomic_private(path, prefix=f".{database.name}.restoring-record-") as handle:
        handle.write(data)
    return path


def read_interrupted(database: Path) -> KilledRestore | None:
    """The record of a restore killed part way, when it still applies: None when there is none, when it cannot be
    read, or when the replaced database's copy it names is gone (the owner acted on it). Says nothing about a restore
    still running: the caller asks only when no restore holds the locks (`store.killed_restore_left`), or, for a
    restore that just started, before it wrote its own."""
    database = database.resolve() if database.is_symlink() else database  # where a restore writes (`restore`)
    path = record_path(database)
    try:
        record = _from_json(json.loads(path.read_text(encoding="ascii")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if record.kept_database is not None and not (database.parent / record.kept_database).is_file():
        return None
    try:
        found = database.stat()
        in_use = RESTORED if (found.st_dev, found.st_ino) == record.restored_file else BEFORE
    except OSError:
        in_use = BEFORE
    return KilledRestore(record, in_use)


def has_record(database: Path) -> bool:
    """Is a record there, whether or not it still applies?"""
    return record_path(database.resolve() if database.is_symlink() else database).exists()


def clear_record(database: Path) -> None:
    """Remove a killed restore's record that has nothing left to say: the database from before is in use, the
    restore had nothing to warn of, or the record no longer applies. One with warnings stays (module docstring)."""
    database = database.resolve() if database.is_symlink() else database
    found = read_interrupted(database)
    if found is None or not found.warns:
        record_path(database).unlink(missing_ok=True)


def _to_json(record: RestoreRecord) -> dict[str, Any]:
    left = record.left
    return {
        "backup": record.backup,
        "kept_database": record.kept_database,
        "kept_archive": record.kept_archive,
        "restored_file": list(record.restored_file),
        "returning": [[p.name, p.posts, p.complaints] for p in record.returning],
        "left": {
            "posts": left.posts,
            "complaints": [[n, status, iso(deadline)] for n, status, deadline in left.complaints],
            "images": left.images,
            "inputs": left.inputs,
            "changes": left.changes,
            "changed": left.changed,
        },
    }


def _from_json(data: dict[str, Any]) -> RestoreRecord:
    left = data["left"]
    device, inode = data["restored_file"]
    kept = None if data["kept_database"] is None else str(data["kept_database"])
    if kept is not None and Path(kept).name != kept:
        raise ValueError("not a file name")
    return RestoreRecord(
        backup=str(data["backup"]),
        kept_database=kept,
        kept_archive=str(data["kept_archive"]) if data["kept_archive"] is not None else None,
        restored_file=(int(device), int(inode)),
        returning=tuple(Returning(str(name), int(posts), int(count)) for name, posts, count in data["returning"]),
        left=LeftBehind(
            posts=[(int(n), str(url)) for n, url in left["posts"]],
            complaints=[(int(n), str(status), from_iso(deadline)) for n, status, deadline in left["complaints"]],
            images=[(int(n), str(name)) for n, name in left["images"]],
            inputs=[(str(name), str(used)) for name, used in left["inputs"]],
            changes=int(left["changes"]),
            changed=[(str(subject), [str(w) for w in what]) for subject, what in left["changed"]],
        ),
    )


def in_use_inode(path: Path) -> tuple[int, int]:
    """(device, inode) of a file, as the record notes the restored database's."""
    found = os.stat(path)
    return found.st_dev, found.st_ino
