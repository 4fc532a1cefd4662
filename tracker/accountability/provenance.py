"""Where the owner's provenance rules stand across the archive: the counts `tracker status` shows.

Counted in SQLAlchemy Core over `db.schema`, so `tracker status` answers without loading the
ORM; the functions take a Connection or a Session alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, or_, select

from tracker.db.enums import PostStatus
from tracker.db.schema import image, image_input, image_resource, post, resource, technique
from tracker.resources.licences import LICENSED_KINDS, Exceptions, licence_problem
from tracker.support.settings import Settings
from tracker.support.words import counted

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    Database = Connection | Session
    """Anything that runs a query: a Core connection (`tracker status`) or an ORM session."""

_CHUNK = 1000
"""Ids per IN (...) list."""


def requests_without_permission(db: Database) -> int:
    """Live posts made for someone else with no permission date on record."""
    query = select(func.count(post.c.id)).where(
        post.c.status == PostStatus.LIVE, post.c.requested_by.is_not(None), post.c.permission_at.is_(None)
    )
    return int(db.execute(query).scalar() or 0)


def posts_missing_inputs(db: Database, live_only: bool = True) -> int:
    """How many posts (live ones by default) show an image with a technique that has no input recorded."""
    recorded = select(image_input.c.technique_id).where(image_input.c.technique_id.is_not(None))
    missing = select(technique.c.image_id).where(technique.c.id.not_in(recorded))
    query = select(func.count(post.c.id)).where(post.c.image_id.in_(missing))
    if live_only:
        query = query.where(post.c.status == PostStatus.LIVE)
    return int(db.execute(query).scalar() or 0)


def posts_breaking_the_licence_rule(db: Database, exceptions: Exceptions) -> dict[str, int]:
    """Live posts made with a model whose licence allows commercial use, or is unknown (exceptions aside).

    The resources are judged in Python (they are few); the posts are counted by the database.
    """
    judged: dict[str, list[int]] = {"commercial": [], "unknown": []}
    rows = db.execute(
        select(resource.c.id, resource.c.kind, resource.c.name, resource.c.hash, resource.c.commercial).where(
            resource.c.kind.in_(LICENSED_KINDS)
        )
    )
    for row in rows:
        problem = licence_problem(row)
        if problem is not None and not exceptions.lists(row):
            judged[problem].append(row.id)

    def posts(resource_ids: list[int]) -> set[int]:
        found: set[int] = set()
        for start in range(0, len(resource_ids), _CHUNK):
            query = (
                select(post.c.id)
                .join(image, image.c.id == post.c.image_id)
                .join(image_resource, image_resource.c.image_id == image.c.id)
                .where(
                    post.c.status == PostStatus.LIVE,
                    image_resource.c.resource_id.in_(resource_ids[start : start + _CHUNK]),
                    or_(image.c.generator.is_(None), image.c.generator.not_in(exceptions.generators)),
                )
                .distinct()
            )
            found.update(db.execute(query).scalars())
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
