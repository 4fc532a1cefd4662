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
    to a persona made later, whose history the old entries are not."""
    names: dict[str, list[tuple[str, datetime]]] = {}
    for name, action, changes, at in fetch_all(db, RENAMES_SQL):
        if action == "create":
            names.pop(name, None)
            continue
        renamed = (stored_json(changes) or {}).get("name")
        if isinstance(renamed, list) and len(renamed) == 2 and isinstance(renamed[0], str):
            names.setdefault(name, []).append((renamed[0], stored_moment(at)))
    return names


def former_names(db: Readable) -> dict[str, list[str]]:
    """Each renamed persona's earlier names, by its name now, oldest first (`former_names` in `tracker personas
    --json`); a persona never renamed is not in it."""
    return {name: [old for old, _ in earlier] for name, earlier in renames(db).items()}
