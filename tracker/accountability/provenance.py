"""Where the owner's provenance rules stand across the archive: the counts `tracker status` shows.

Counted in SQL text (`db.plain`), so `tracker status` answers without loading SQLAlchemy on a SQLite
file at this revision (`db.quick`); the functions take that connection, a SQLAlchemy Connection or a
Session alike, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tracker.db.enums import PostStatus
from tracker.db.plain import Readable, chunks, fetch_all, fetch_one, in_list
from tracker.resources.licences import LICENSED_KINDS, Exceptions, licence_problem
from tracker.support.settings import Settings
from tracker.support.words import counted

Database = Readable
"""Anything SQL text runs on: a `db.quick` connection (`tracker status`), a SQLAlchemy Connection or a Session."""

_LIVE = {"live": PostStatus.LIVE.value}


def _count(db: Database, sql: str, params: Mapping[str, object]) -> int:
    row = fetch_one(db, sql, params)
    return int(row[0] or 0) if row is not None else 0


def requests_without_permission(db: Database) -> int:
    """Live posts made for someone else with no permission date on record."""
    sql = "SELECT count(id) FROM post WHERE status = :live AND requested_by IS NOT NULL AND permission_at IS NULL"
    return _count(db, sql, _LIVE)


def posts_missing_inputs(db: Database, live_only: bool = True) -> int:
    """How many posts (live ones by default) show an image with a technique that has no input recorded."""
    sql = (
        "SELECT count(id) FROM post WHERE image_id IN (SELECT image_id FROM technique WHERE id NOT IN "
        "(SELECT technique_id FROM image_input WHERE technique_id IS NOT NULL))"
    )
    return _count(db, sql + " AND status = :live", _LIVE) if live_only else _count(db, sql, {})


@dataclass
class _Resource:
    """A row of the `resource` table, as the licence rule reads it (`licences.LicensedResource`)."""

    id: int
    kind: str
    name: str | None
    hash: str | None
    commercial: str | None


def posts_breaking_the_licence_rule(db: Database, exceptions: Exceptions) -> dict[str, int]:
    """Live posts made with a model whose licence allows commercial use, or is unknown (exceptions aside).

    The resources are judged in Python (they are few); the posts are counted by the database.
    """
    judged: dict[str, list[int]] = {"commercial": [], "unknown": []}
    kinds, params = in_list("kind", LICENSED_KINDS)
    for row in fetch_all(db, f"SELECT id, kind, name, hash, commercial FROM resource WHERE kind IN {kinds}", params):
        found = _Resource(int(row[0]), str(row[1]), row[2], row[3], row[4])
        problem = licence_problem(found)
        if problem is not None and not exceptions.lists(found):
            judged[problem].append(found.id)

    def posts(resource_ids: list[int]) -> set[int]:
        found: set[int] = set()
        generators, excepted = in_list("generator", exceptions.generators) if exceptions.generators else ("", {})
        made_by = f"(i.generator IS NULL OR i.generator NOT IN {generators})" if generators else "1 = 1"
        for part in chunks(resource_ids):
            listed, params = in_list("resource", part)
            query = (
                "SELECT DISTINCT p.id FROM post p JOIN image i ON i.id = p.image_id "
                "JOIN image_resource r ON r.image_id = i.id "
                f"WHERE p.status = :live AND r.resource_id IN {listed} AND {made_by}"
            )
            found.update(int(row[0]) for row in fetch_all(db, query, {**params, **excepted, **_LIVE}))
        return found

    commercial = posts(judged["commercial"])
    return {"commercial": len(commercial), "unknown": len(posts(judged["unknown"]) - commercial)}


def provenance_counts(db: Database, settings: Settings) -> dict[str, int]:
    """Counts of live posts that break (or cannot yet show they keep) the owner's provenance rules."""
    licence = posts_breaking_the_licence_rule(db, Exceptions.load(settings.data_dir))
    return {
        "posts_with_unrecorded_inputs": posts_missing_inputs(db),
        "posts_with_commercial_models": licence["commercial"],
        "posts_with_unknown_licence_models": licence["unknown"],
        "requests_without_permission": requests_without_permission(db),
    }


def provenance_line(counts: dict[str, int]) -> str | None:
    """One line for `tracker status`, or None when every rule is kept:
    `Provenance: 3 live posts with image inputs not recorded (tracker inputs POST); 1 live post made with ...`."""
    said = (
        ("posts_with_unrecorded_inputs", "with image inputs not recorded (tracker inputs POST)"),
        ("posts_with_commercial_models", "made with a model licensed for commercial use"),
        ("posts_with_unknown_licence_models", "made with a model of unknown licence (tracker resources)"),
        ("requests_without_permission", "made for someone with no permission on record"),
    )
    parts = [f"{counted(counts[key], 'live post')} {what}" for key, what in said if counts[key]]
    return "Provenance: " + "; ".join(parts) + "." if parts else None
