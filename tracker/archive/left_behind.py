"""What a restore leaves behind: the records of the replaced database that the backup's database lacks.

`restore --force` replaces the database whole; the replaced one is kept as `<db>.old-*`, but what
only it held (a post logged after the backup, a complaint due tomorrow, a take-down confirmed since)
is then out of view. These are named before the swap, so the owner is told what to log again or to
recover from the kept copy. Read with the standard library's driver, read-only (a restore only ever
replaces a SQLite file); a database it cannot read names nothing.

New posts, complaints, images with no post and input images are found by what identifies them
(URL, number and arrival, content hash). Every other change, to records the backup has too, is
found in the audit trail (`db.audit`: every change writes an event): the replaced database's events
newer than the backup's newest one, grouped by the complaint, post or persona they are about.

The other way round, the personas only the backup has are named too (`returning_personas`): a
persona scrubbed since the backup comes back whole with the restore, its complainants' names and
addresses included, and the owner must not miss that.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Hashable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from tracker.db.enums import UNANSWERED
from tracker.db.plain import stored_time
from tracker.support.words import counted

SHOWN = 5
"""Records named one by one on each line; the rest are counted."""
DETAILS = 4
"""What was done to one record, named one by one; the rest are counted."""

Subject = tuple[str, int]
"""A record, as the audit trail names it: (table, id)."""


@dataclass(frozen=True)
class LeftBehind:
    """What only the replaced database holds: new records, and changes to records the backup has."""

    posts: list[tuple[int, str]] = field(default_factory=list)
    """Posts (number, URL)."""
    complaints: list[tuple[int, str, datetime | None]] = field(default_factory=list)
    """Complaints (number, status, deadline)."""
    images: list[tuple[int, str]] = field(default_factory=list)
    """Images archived with no post, nor as an input (number, original file name)."""
    inputs: list[tuple[str, str]] = field(default_factory=list)
    """Input images recorded (original file name, the post or image they went into)."""
    changes: int = 0
    """Audit-trail events about records the backup has (or about none of the lines above)."""
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    """What those events are about ("complaint #2") and what they did ("answered"), in order."""
    unreadable: str = ""
    """Why the replaced database could not be read ('' when it could): what only it holds is then unknown."""

    def __bool__(self) -> bool:
        return bool(self.posts or self.complaints or self.images or self.inputs or self.changes or self.unreadable)

    def lines(self, shown: Callable[[datetime], str]) -> list[str]:
        """One line per kind, the unanswered complaints with their deadline as `shown` writes it."""
        out = []
        if self.unreadable:
            out.append(f"it could not be read ({self.unreadable}): whatever only it holds cannot be listed")
        if self.posts:
            out.append(_line(counted(len(self.posts), "post"), [f"#{n} {url}" for n, url in self.posts]))
        if self.complaints:
            waiting = UNANSWERED_STATUSES
            named = [
                f"#{n} {status}" + (f", answer by {shown(deadline)}" if status in waiting and deadline else "")
                for n, status, deadline in self.complaints
            ]
            out.append(_line(counted(len(self.complaints), "complaint"), named))
        if self.images:
            named = [f"#{n} {name}" for n, name in self.images]
            out.append(_line(counted(len(self.images), "archived image") + " with no post", named))
        if self.inputs:
            named = [f"{name} for {used}" for name, used in self.inputs]
            out.append(_line(counted(len(self.inputs), "input image") + " recorded", named))
        if self.changes:
            named = [f"{subject} ({_listed(what, DETAILS)})" for subject, what in self.changed]
            out.append(_line(counted(self.changes, "change") + " made after the backup", named))
        return out


UNANSWERED_STATUSES = {status.value for status in UNANSWERED}
"""The statuses of a complaint still to answer, as stored."""


def _listed(names: list[str], limit: int) -> str:
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _line(head: str, named: list[str]) -> str:
    return f"{head}: {_listed(named, SHOWN)}"


def left_behind(current: Path, restored: Path) -> LeftBehind:
    """What `current` holds that `restored` lacks (see the module docstring). When `current` cannot be read (a
    damaged file, another program's), only why (`unreadable`): it is kept as it is, and the owner told so; an
    empty file held nothing."""
    try:
        if current.stat().st_size == 0:
            return LeftBehind()
    except OSError:
        return LeftBehind()
    try:
        with closing(_read_only(current)) as old, closing(_read_only(restored)) as new:
            posts = _missing(old, new, "SELECT id, url FROM post ORDER BY id", key=lambda row: row[1])
            complaints = _missing(
                old,
                new,
                "SELECT id, status, deadline_at, received_at FROM complaint ORDER BY id",
                key=lambda row: (row[0], row[3]),
            )
            new_images = {int(n) for n, _ in _missing(old, new, "SELECT id, sha256 FROM image", key=lambda r: r[1])}
            images = _or_none(lambda: _images_without_post(old, new_images))
            inputs = _or_none(lambda: _new_inputs(old, new))
            named = {("post", int(row[0])) for row in posts} | {("complaint", int(row[0])) for row in complaints}
            named |= {("image", n) for n in new_images}
            changes = _or_none(lambda: _Trail(old).changes_since(_newest_event(new), named)) or []
    except sqlite3.Error as exc:
        return LeftBehind(unreadable=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return LeftBehind(
        posts=[(int(n), str(url)) for n, url in posts],
        complaints=[(int(n), str(status), stored_time(deadline)) for n, status, deadline, _ in complaints],
        images=images or [],
        inputs=inputs or [],
        changes=sum(len(what) for _, what in changes),
        changed=[(subject, _unique(what)) for subject, what in changes],
    )


# ---------------------------------------------------------------------------- what comes back


@dataclass(frozen=True)
class Returning:
    """A persona the backup has and the replaced database does not: scrubbed or merged away since the backup.
    The restore brings it back, posts, complaints (complainants' names and addresses) and all."""

    name: str
    posts: int
    complaints: int

    def line(self) -> str:
        return f"persona '{self.name}'{self._held()} is not in the current database: it comes back"

    def would_come_back(self) -> str:
        """The same, said before a restore that would bring it back (`archive.preview`)."""
        return f"persona '{self.name}'{self._held()} is not in the current database: it would come back"

    def came_back(self) -> str:
        """The same, said after the restore (`tracker status`, after a restore killed before it said it)."""
        return f"persona '{self.name}'{self._held()} came back with the restored database"

    def _held(self) -> str:
        held = ", ".join(counted(n, word) for n, word in ((self.posts, "post"), (self.complaints, "complaint")) if n)
        return f" ({held})" if held else ""


def returning_personas(current: Path, restored: Path) -> list[Returning]:
    """The personas of `restored` that `current` lacks, by name; one renamed since the backup (the rename is in
    `current`'s audit trail, and among the changes left behind) is the same persona. Empty when either database
    cannot be read."""
    try:
        with closing(_read_only(current)) as old, closing(_read_only(restored)) as new:
            names = {str(name) for (name,) in old.execute("SELECT name FROM persona")}
            renamed = _or_none(lambda: _renamed_from(old)) or set()
            return [
                _returning(new, int(n), str(name))
                for n, name in new.execute("SELECT id, name FROM persona ORDER BY id").fetchall()
                if str(name) not in names and (int(n), str(name)) not in renamed
            ]
    except sqlite3.Error:
        return []


def _renamed_from(db: sqlite3.Connection) -> set[tuple[int, str]]:
    """(persona, a name it had before a rename) for every persona of `db` renamed at some point."""
    rows = db.execute(
        "SELECT entity_id, changes FROM event WHERE entity = 'persona' AND entity_id IN (SELECT id FROM persona)"
    )
    return {
        (int(n), str(changes["name"][0]))
        for n, raw in rows
        if "name" in (changes := _changes(raw)) and changes["name"][0]
    }


_PERSONA_POSTS = "SELECT p.id FROM post p JOIN account a ON a.id = p.account_id WHERE a.persona_id = ?"


def _returning(db: sqlite3.Connection, persona: int, name: str) -> Returning:
    """The persona with its posts and its complaints (filed under it, or under none and naming one of its posts:
    those a scrub of it deletes, `purge.ownership`)."""
    posts = db.execute(f"SELECT count(*) FROM ({_PERSONA_POSTS})", (persona,)).fetchone()[0]
    complaints = db.execute(
        "SELECT count(*) FROM complaint WHERE persona_id = ? OR persona_id IS NULL AND id IN "
        f"(SELECT complaint_id FROM complaint_post WHERE post_id IN ({_PERSONA_POSTS}))",
        (persona, persona),
    ).fetchone()[0]
    return Returning(name, int(posts), int(complaints))


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _missing(
    old: sqlite3.Connection, new: sqlite3.Connection, sql: str, key: Callable[[tuple[Any, ...]], Hashable]
) -> list[tuple[Any, ...]]:
    """The rows of `sql` in `old` whose key no row of `new` has."""
    have = {key(tuple(row)) for row in new.execute(sql)}
    return [tuple(row) for row in old.execute(sql) if key(tuple(row)) not in have]


_T = TypeVar("_T")


def _or_none(read: Callable[[], _T]) -> _T | None:
    """`read()`, or None when a table it reads is missing (a database of an older schema revision)."""
    try:
        return read()
    except sqlite3.OperationalError:
        return None


def _images_without_post(old: sqlite3.Connection, new_images: set[int]) -> list[tuple[int, str]]:
    """The new images that no post shows and that are no input (those are named on their own lines)."""
    rows = old.execute(
        "SELECT i.id, i.original_name FROM image i WHERE NOT EXISTS (SELECT 1 FROM post p WHERE p.image_id = i.id) "
        "AND NOT EXISTS (SELECT 1 FROM image_input u WHERE u.input_image_id = i.id) ORDER BY i.id"
    )
    return [(int(n), str(name)) for n, name in rows if int(n) in new_images]


_INPUTS = (
    "SELECT g.sha256, i.sha256, i.original_name, g.id, (SELECT min(p.id) FROM post p WHERE p.image_id = g.id) "
    "FROM image_input u JOIN image g ON g.id = u.image_id JOIN image i ON i.id = u.input_image_id ORDER BY u.id"
)


def _new_inputs(old: sqlite3.Connection, new: sqlite3.Connection) -> list[tuple[str, str]]:
    """The input images recorded in `old` (by the generated image's and the input's content) that `new` lacks."""
    have = _or_none(lambda: {(row[0], row[1]) for row in new.execute(_INPUTS)}) or set()
    return [
        (str(name), f"post #{post}" if post is not None else f"image:{image}")
        for made, used, name, image, post in old.execute(_INPUTS)
        if (made, used) not in have
    ]


def _newest_event(db: sqlite3.Connection) -> tuple[int, str]:
    """The backup's newest event, by number and by time (-1 and '' when it has none)."""
    row = db.execute("SELECT max(id), max(at) FROM event").fetchone()
    return (-1 if row[0] is None else int(row[0]), "" if row[1] is None else str(row[1]))


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


# ---------------------------------------------------------------------------- the audit trail

_PARENT = {
    "decision": ("complaint_id", "complaint"),
    "takedown": ("decision_id", "decision"),
    "complaint_post": ("complaint_id", "complaint"),
    "complaint_image": ("complaint_id", "complaint"),
    "account": ("persona_id", "persona"),
    "purge_run": ("persona_id", "persona"),
    "purge_item": ("run_id", "purge_run"),
    "image_resource": ("image_id", "image"),
    "technique": ("image_id", "image"),
}
"""The record an event on a dependent table is told under: (the column naming it, its table)."""

_CREATED = {
    "post": "logged",
    "image": "archived",
    "decision": "decided",
    "takedown": "take-down confirmed",
    "complaint_post": "post added",
    "complaint_image": "image added",
    "account": "account added",
    "purge_run": "purge started",
    "purge_item": "purge checklist marked",
    "image_resource": "resources changed",
    "technique": "techniques changed",
}
_DELETED = {
    "decision": "decision removed",
    "takedown": "take-down removed",
    "complaint_post": "post removed",
    "complaint_image": "image removed",
    "account": "account removed",
    "purge_run": "purge cancelled",
    "purge_item": "purge checklist marked",
    "image_resource": "resources changed",
    "technique": "techniques changed",
}


class _Trail:
    """The replaced database's audit trail, read for what changed after the backup."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.parents: dict[Subject, int | None] = {}
        self.first_names: dict[int, str] = {}

    def changes_since(self, newest: tuple[int, str], named: set[Subject]) -> list[tuple[str, list[str]]]:
        """The events after `newest` (later by number or by time), as (record, what was done to it) in order
        of each record's first change; events about a record in `named` are left out (told elsewhere)."""
        grouped: dict[Subject, list[str]] = {}
        rows = self.db.execute(
            "SELECT entity, entity_id, action, changes FROM event WHERE id > ? OR at > ? ORDER BY id", newest
        )
        for entity, entity_id, action, raw in rows:
            changes = _changes(raw)
            subject = self._subject(str(entity), int(entity_id), changes)
            if subject in named:
                continue
            if subject[0] == "persona" and entity == "persona" and "name" in changes:
                first = changes["name"][0] if changes["name"][0] is not None else changes["name"][1]  # created: no old
                if first is not None:
                    self.first_names.setdefault(subject[1], str(first))
            grouped.setdefault(subject, []).append(_what(str(entity), str(action), changes))
        return [(self._shown(subject), what) for subject, what in grouped.items()]

    def _subject(self, entity: str, entity_id: int, changes: dict[str, list[Any]]) -> Subject:
        """The record an event is told under: a decision's complaint, an account's persona, ..."""
        subject = (entity, entity_id)
        while subject[0] in _PARENT:
            column, table = _PARENT[subject[0]]
            parent = _value(changes, column) if subject == (entity, entity_id) else None
            if not isinstance(parent, int):
                parent = self._parent(subject, column)
            if parent is None:
                return subject
            subject = (table, parent)
        return subject

    def _parent(self, subject: Subject, column: str) -> int | None:
        if subject not in self.parents:
            try:
                row = self.db.execute(f'SELECT "{column}" FROM "{subject[0]}" WHERE id = ?', (subject[1],)).fetchone()
            except sqlite3.OperationalError:
                row = None
            self.parents[subject] = int(row[0]) if row and row[0] is not None else None
        return self.parents[subject]

    def _shown(self, subject: Subject) -> str:
        table, number = subject
        if table == "persona":
            name = self.first_names.get(number) or self._persona_name(number)
            return f"persona {name}" if name else f"persona #{number}"
        if table in ("post", "complaint", "image"):
            return f"{table} #{number}"
        return f"{table.replace('_', ' ')} #{number}"

    def _persona_name(self, number: int) -> str | None:
        row = self.db.execute("SELECT name FROM persona WHERE id = ?", (number,)).fetchone()
        return str(row[0]) if row else None


def _changes(raw: object) -> dict[str, list[Any]]:
    """An event's {field: [old, new]}; empty when it cannot be read."""
    try:
        value = json.loads(raw) if isinstance(raw, str | bytes) else raw
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {key: pair for key, pair in value.items() if isinstance(pair, list) and len(pair) == 2}


def _value(changes: dict[str, list[Any]], key: str) -> Any:
    """A field's value in an event: the new one, or the old one of a deletion."""
    old, new = changes.get(key, [None, None])
    return new if new is not None else old


def _what(entity: str, action: str, changes: dict[str, list[Any]]) -> str:
    """What one event did, in a few words: "decided", "status deleted", "renamed alicia"."""
    if action == "create":
        return _CREATED.get(entity, "created")
    if action == "delete":
        return _DELETED.get(entity, "deleted")
    if "status" in changes:
        status = changes["status"][1]
        return str(status) if entity == "complaint" else f"status {status}"
    if entity == "persona" and "name" in changes:
        return f"renamed {changes['name'][1]}"
    if entity == "takedown" and "restored_at" in changes:
        return "take-down undone"
    fields = [key.replace("_", " ") for key in changes]
    if not fields:
        return "changed"
    return f"{' and '.join(fields)} changed" if len(fields) <= 2 else f"{len(fields)} fields changed"
