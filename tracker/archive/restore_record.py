"""What a `tracker restore` killed part way tells `tracker status`: which database is in use, and what the restore
would have warned had it finished.

A restore over an existing database writes this record (`.<db>.restore-record`: private, JSON, written under a
temporary name, synced and renamed into place) once it has kept the old database and compared the two, before it
adds a file to the archive or renames the restored database into place; it removes the record once it has said its
warnings. The record names the restored database by a random mark the restore writes into that database's own header
before the swap (SQLite's `application_id`, which tracker uses nowhere else): it survives a rename, a copy of the
data folder (`cp -a`, rsync, a move to another disk) and every later write, so the database file itself tells on
which side of the commit point a kill came:

- Before the rename: the database from before is in use and nothing was restored. The backup's files the restore
  copied into the archive are in its journal (`.<archive>.pending-restore-*`) for the next writer's sweep, which
  removes this record too, with the other leftovers (`store.writing`); so does the next restore.
- After it: the restored database is in use, and what the restore would have said (the personas that came back,
  what only the replaced database held) is said by `tracker status` until the owner acts: a restore that finishes
  replaces the record, and deleting the replaced database's copy (`<db>.old-*`, where what only it held lives)
  ends it. A persona that came back and is gone again (scrubbed once more) is no longer named, and a persona scrub
  takes its name out of the record (`forget_persona`).

A restore that starts while an earlier record still has something to say carries it over (`Unsaid`, `carried`):
its own record keeps it, so a second kill loses nothing, and a restore that finishes says it with its own warnings,
naming the `.old-*` copy that holds what. A record with nothing left to say is removed (`clear_record`, and
`tracker status` under the restore lock: `store.drop_spent_record`).

Only the standard library: `tracker status` reads it on every run.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tracker.archive.left_behind import LeftBehind, Returning
from tracker.archive.returned import forget_returned
from tracker.db.plain import Readable, fetch_all
from tracker.support.dates import from_iso, iso
from tracker.support.files import atomic_private

RESTORED = "restored"
"""The restored backup's database is in use (the kill came after the rename)."""
BEFORE = "before"
"""The database from before the restore is in use (the kill came before the rename)."""


_MARK_AT = 68
"""Where SQLite keeps `PRAGMA application_id` in a database file's 100-byte header (4 bytes, big-endian)."""
_SQLITE = b"SQLite format 3\x00"


def record_path(database: Path) -> Path:
    """Where a restore into `database` keeps its record while it runs (and after a kill)."""
    return database.parent / f".{database.name}.restore-record"


@dataclass(frozen=True)
class Unsaid:
    """The warnings of one restore that put its backup's database in place: the backup, where the database and
    archive it replaced were kept (what only that database held is there alone), and the personas that came back."""

    backup: str
    kept_database: str | None
    """The file name of the old database's copy, beside the database (None: there was no database)."""
    kept_archive: str | None
    returning: tuple[Returning, ...] = ()
    left: LeftBehind = field(default_factory=LeftBehind)

    @property
    def warns(self) -> bool:
        return bool(self.returning or self.left)

    def says(self, here: set[str]) -> bool:
        """Something the owner must still hear, `here` being the personas in the database now?"""
        return bool(self.left) or any(persona.name in here for persona in self.returning)


@dataclass(frozen=True)
class RestoreRecord(Unsaid):
    """What a restore noted before its commit point: the backup, where the old database and archive were kept, the
    mark of the restored database, what it would have warned, and what earlier killed restores never said."""

    mark: int = 0
    """The random `application_id` written into the restored database (`mark_database`)."""
    carried: tuple[Unsaid, ...] = ()
    """Earlier restores' warnings, carried over (module docstring)."""

    @property
    def own(self) -> Unsaid:
        return Unsaid(self.backup, self.kept_database, self.kept_archive, self.returning, self.left)


@dataclass(frozen=True)
class KilledRestore:
    """A killed restore's record as it applies now: `in_use` is RESTORED or BEFORE (this restore's database, or
    the one from before it), `record.carried` only the earlier warnings whose database copy is still there."""

    record: RestoreRecord
    in_use: str

    @property
    def warns(self) -> bool:
        """Does it still have something to say that a restore never said (its own once its database is in use)?"""
        own = self.in_use == RESTORED and self.record.warns
        return own or any(earlier.warns for earlier in self.record.carried)

    def says(self, here: set[str]) -> bool:
        """The same, a persona counting only while it is in the database (`here`)."""
        own = self.in_use == RESTORED and self.record.says(here)
        return own or any(earlier.says(here) for earlier in self.record.carried)

    def unsaid(self) -> tuple[Unsaid, ...]:
        """What a restore starting now carries over: the earlier warnings, and this one's if its database is in use."""
        own = (self.record.own,) if self.in_use == RESTORED and self.record.warns else ()
        return (*self.record.carried, *own)


def personas_here(db: Readable) -> set[str]:
    """The names of the personas in a database: what `says` counts a returning persona by."""
    return {str(row[0]) for row in fetch_all(db, "SELECT name FROM persona")}


def new_mark() -> int:
    """A random mark for a restored database (a positive 31-bit `application_id`, never 0: SQLite's default)."""
    return secrets.randbelow(2**31 - 1) + 1


def mark_database(path: Path, mark: int) -> None:
    """Write `mark` into the database file's header (`PRAGMA application_id`), before it is renamed into place;
    raises OSError when it cannot be read back from the file itself."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA application_id = {int(mark)}")
    except sqlite3.Error as exc:
        raise OSError(f"cannot mark the restored database: {exc}") from None
    finally:
        conn.close()
    if mark_of(path) != mark:
        raise OSError("cannot mark the restored database: the mark did not reach its file")


def mark_of(path: Path) -> int | None:
    """The mark in a database file's header (None: no SQLite file there). Read from the file's first bytes, no
    SQLite connection: the mark is set once before the swap, and no later write changes it."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(_SQLITE):
        return None
    return int.from_bytes(header[_MARK_AT : _MARK_AT + 4], "big", signed=True)


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
    carried = tuple(earlier for earlier in record.carried if _still_kept(database, earlier))
    if not _still_kept(database, record):
        if not carried:
            return None
        record = replace(record, returning=(), left=LeftBehind())  # the owner deleted what its warnings were about
    in_use = RESTORED if record.mark and mark_of(database) == record.mark else BEFORE
    return KilledRestore(replace(record, carried=carried), in_use)


def _still_kept(database: Path, unsaid: Unsaid) -> bool:
    """Is the copy of the database it replaced still there (deleting it is how the owner ends the warnings)?"""
    return unsaid.kept_database is None or (database.parent / unsaid.kept_database).is_file()


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


def forget_persona(database: Path, name: str, urls: Collection[str] = ()) -> None:
    """After `name` was scrubbed: take it out of the record and out of a finished restore's note (`returned`: the
    restore's warning on it is moot, and neither must outlive the persona's name or its post URLs, `urls`), and
    remove a record left with nothing to say; raises OSError."""
    database = database.resolve() if database.is_symlink() else database
    forget_returned(database, name)  # a finished restore's note on it too: acted on
    path = record_path(database)
    try:
        record = _from_json(json.loads(path.read_text(encoding="ascii")))
    except FileNotFoundError:
        return
    except (ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)  # unreadable, so it says nothing: nothing of the persona may stay in it
        return

    subject = f"persona {name}"

    def without(unsaid: Unsaid) -> dict[str, Any]:
        left = unsaid.left
        changed = [("a scrubbed persona" if what == subject else what, did) for what, did in left.changed]
        posts = [(n, url) for n, url in left.posts if url not in urls]
        return {
            "returning": tuple(persona for persona in unsaid.returning if persona.name != name),
            "left": replace(left, posts=posts, changed=changed),
        }

    carried = tuple(replace(earlier, **without(earlier)) for earlier in record.carried)
    write_record(database, replace(record, **without(record), carried=tuple(e for e in carried if e.warns)))
    clear_record(database)


def _to_json(record: RestoreRecord) -> dict[str, Any]:
    return {
        **_unsaid_json(record),
        "mark": record.mark,
        "carried": [_unsaid_json(earlier) for earlier in record.carried],
    }


def _unsaid_json(record: Unsaid) -> dict[str, Any]:
    left = record.left
    return {
        "backup": record.backup,
        "kept_database": record.kept_database,
        "kept_archive": record.kept_archive,
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
    own = _unsaid_from_json(data)
    carried = tuple(_unsaid_from_json(earlier) for earlier in data["carried"])
    return RestoreRecord(**vars(own), mark=int(data["mark"]), carried=carried)


def _unsaid_from_json(data: dict[str, Any]) -> Unsaid:
    left = data["left"]
    kept = None if data["kept_database"] is None else str(data["kept_database"])
    if kept is not None and Path(kept).name != kept:
        raise ValueError("not a file name")
    return Unsaid(
        backup=str(data["backup"]),
        kept_database=kept,
        kept_archive=str(data["kept_archive"]) if data["kept_archive"] is not None else None,
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
