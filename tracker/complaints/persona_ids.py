"""A complaint history entry that names its persona by number only, said with the persona's name.

Since a complaint moved with its post (`post set --persona`, `persona merge`) writes the persona's old and new
name into its history entry beside the ids (`persona: ["kite", "moth"]`), `tracker complaint show` says
`persona: "kite" -> "moth"`. Entries written before that hold the ids alone (`persona_id: [1, 2]`, shown as
`persona id: 1 -> 2`), and so does the scrub's hand-over of a kept complaint to the persona it stays with.
Those are told apart by what they hold (a complaint's update with `persona_id` and no `persona`), and named
here when they are shown; the stored entries are not changed (`--json` gives them as stored).

A number is not a persona for ever: `persona merge` and `persona remove` delete a row, and SQLite gives a
freed highest number to the next persona made. So a number is read as the persona that had it when the entry
was written, from that persona's own audit entries (its creation, its renames, its deletion): the persona
still there is said by its name now, one deleted since by the name it last had. A number whose persona the
trail cannot tell (its entries gone with a scrub) keeps the entry as stored: a wrong name would be worse.

SQL text (`db.plain`): `complaint show` loads no SQLAlchemy on a SQLite file at this tracker's revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.db.plain import Readable, chunks, fetch_all, in_list, stored_json


@dataclass
class _Life:
    """One persona that had a number: the audit entry that created it, its last name, whether it is deleted."""

    created: int
    name: str | None
    deleted: bool = False


def _by_number(event: dict[str, Any]) -> list[int | None] | None:
    """The [old, new] persona numbers of an entry that names its persona by number only, else None."""
    changes = event.get("changes") or {}
    if event.get("entity") != "complaint" or event.get("action") != "update" or "persona" in changes:
        return None
    ids = changes.get("persona_id")
    if not (isinstance(ids, list) and len(ids) == 2):
        return None
    if not all(i is None or (isinstance(i, int) and not isinstance(i, bool)) for i in ids):
        return None
    return ids if any(i is not None for i in ids) else None


def _lives(db: Readable, numbers: list[int]) -> tuple[dict[int, list[_Life]], dict[int, str]]:
    """Each number's personas, oldest first, from the audit trail; and the name of the persona holding it now."""
    lives: dict[int, list[_Life]] = {}
    now: dict[int, str] = {}
    for part in chunks(numbers):
        listed, params = in_list("id", part)
        sql = (
            f"SELECT id, entity_id, action, changes FROM event WHERE entity = 'persona' AND entity_id IN {listed} "
            "ORDER BY id"
        )
        for event_id, number, action, changes in fetch_all(db, sql, params):
            name = (stored_json(changes) or {}).get("name")
            named = name[1] if isinstance(name, list) and len(name) == 2 and isinstance(name[1], str) else None
            if action == "create":
                lives.setdefault(number, []).append(_Life(int(event_id), named))
            elif number in lives and action == "delete":
                lives[number][-1].deleted = True
            elif number in lives and named is not None:
                lives[number][-1].name = named
        now.update(
            (int(n), str(name))
            for n, name in fetch_all(db, f"SELECT id, name FROM persona WHERE id IN {listed}", params)
        )
    return lives, now


def _name_then(number: int, entry: int, lives: dict[int, list[_Life]], now: dict[int, str]) -> str | None:
    """The name of the persona that had `number` when audit entry `entry` was written (None: not known)."""
    earlier = [life for life in lives.get(number, []) if life.created < entry]
    if not earlier:
        return None
    life = earlier[-1]
    if life is lives[number][-1] and not life.deleted:
        return now.get(number)  # the persona still there: its name now
    return life.name


def with_persona_names(db: Readable, history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Complaint `history` (`stored.history_dicts`) with each entry that names its persona by number only given
    the names too, as a newer entry holds them (`persona: [old, new]`); an entry whose persona is not known for
    sure is left as stored."""
    old = {event["id"]: ids for event in history if (ids := _by_number(event)) is not None}
    if not old:
        return history
    lives, now = _lives(db, sorted({n for ids in old.values() for n in ids if n is not None}))
    shown = []
    for event in history:
        ids = old.get(event["id"])
        names = [None if n is None else _name_then(n, event["id"], lives, now) for n in ids] if ids else []
        if ids and all(name is not None or n is None for n, name in zip(ids, names, strict=True)):
            event = {**event, "changes": {**event["changes"], "persona": names}}
        shown.append(event)
    return shown
