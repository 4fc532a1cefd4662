"""What each renamed persona was called before, read from the audit trail of its row.

A post's history says that its persona was renamed, but a persona without posts has no history to say it
in: its own audit entries (`persona rename` writes `name: [old, new]` there) are the one record of it. One
SQL text (`db.plain`), read on whatever connection a command holds: `tracker personas` reads it without
SQLAlchemy, `posts.personas.list_personas` (`persona set --json`) and the TUI's burn-down picker
(`purge.marks.persona_choices`) on an ORM session, so all of them give the same former names.
"""

from __future__ import annotations

from datetime import datetime

from tracker.db.plain import Readable, fetch_all, stored_json, stored_moment

RENAMES_SQL = """
SELECT p.name, e.action, e.changes, e.at
FROM event AS e JOIN persona AS p ON p.id = e.entity_id
WHERE e.entity = 'persona' AND e.action IN ('create', 'update')
ORDER BY e.id
"""
"""The audit entries of each persona's row, oldest first: its creation and its changes (a rename among them)."""


def renames(db: Readable) -> dict[str, list[tuple[str, datetime]]]:
    """Each renamed persona's earlier names, by its name now, oldest first, with when each was given up.

    Only the entries since the persona's row was created count: a number freed by `persona remove` may be given
    to a persona made later, whose history the old entries are not. A name is there once, at the last time it
    was given up (`moth` -> `kite` -> `moth` -> `owl` gives `kite`, `moth`), and never the persona's name now
    (renamed back, it is not "formerly" what it is called)."""
    names: dict[str, list[tuple[str, datetime]]] = {}
    for name, action, changes, at in fetch_all(db, RENAMES_SQL):
        if action == "create":
            names.pop(name, None)
            continue
        renamed = (stored_json(changes) or {}).get("name")
        if isinstance(renamed, list) and len(renamed) == 2 and isinstance(renamed[0], str):
            names.setdefault(name, []).append((renamed[0], stored_moment(at)))
    return {name: kept for name, earlier in names.items() if (kept := _latest_uses(name, earlier))}


def _latest_uses(current: str, earlier: list[tuple[str, datetime]]) -> list[tuple[str, datetime]]:
    """`earlier` (oldest first) with each name once, at its last use, and without `current`."""
    last = {old: i for i, (old, _) in enumerate(earlier)}
    return [(old, at) for i, (old, at) in enumerate(earlier) if last[old] == i and old != current]


def former_names(db: Readable) -> dict[str, list[str]]:
    """Each renamed persona's earlier names, by its name now, oldest first by when each was last given up
    (`former_names` in `tracker personas --json`): each once, never its name now; a persona never renamed (or
    only renamed back) is not in it."""
    return {name: [old for old, _ in earlier] for name, earlier in renames(db).items()}
