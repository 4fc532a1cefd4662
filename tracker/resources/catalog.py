"""Models, LoRAs, embeddings and ControlNet models named by the archive: who made them, on what licence.

The owner sends a complainant to the creator of the model or LoRA involved, and keeps to models
whose licence does not allow commercial use (NovelAI, a service, being their one exception).
What is known of each resource is recorded here by hand (`tracker resource set`) or by the opt-in
CivitAI look-up (`tracker.civitai`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.db.enums import PostStatus
from tracker.db.models import ImageResource, Post, Resource
from tracker.db.session import session_scope
from tracker.errors import NotFoundError, UsageError
from tracker.resources.licences import COMMERCIAL, licence_problem
from tracker.support.dates import iso

__all__ = [
    "find_resource",
    "list_resources",
    "resource_dict",
    "set_resource",
]


def find_resource(session: Session, key: str, kind: str | None = None) -> Resource:
    """A resource by hash (at least 8 hex digits, a prefix of its hash, or its hash a prefix of them) or name."""
    key = key.strip()
    if not key:
        raise UsageError("name a model: its name or its hash")
    lowered = key.lower()
    query = select(Resource)
    if kind:
        query = query.where(Resource.kind == kind)
    is_hex = len(lowered) >= 8 and all(c in "0123456789abcdef" for c in lowered)
    conditions = [func.lower(Resource.name) == lowered]
    if is_hex:
        # Its hash, a longer form of it (a sha256 given for an AutoV2 record), or a prefix of it.
        conditions += [Resource.hash.startswith(lowered), Resource.hash.in_({lowered[:8], lowered[:10], lowered[:12]})]
    found = list(session.scalars(query.where(or_(*conditions)).order_by(Resource.id)))
    if not found:
        raise NotFoundError(f"no model or LoRA named {key!r} in the archive (tracker resources lists them)")
    if len(found) > 1:
        listed = "; ".join(f"{r.kind} {r.name or '-'} [{r.hash or 'no hash'}]" for r in found[:6])
        raise UsageError(f"{key!r} names {len(found)} resources ({listed}): {_narrower(found, kind)}")
    return found[0]


def _narrower(found: list[Resource], kind: str | None) -> str:
    """What tells these resources apart: their names, their hashes, or their kinds (only what differs)."""
    ways = []
    if len({r.name for r in found}) == len(found):
        ways.append("give its name")
    if len({r.hash for r in found}) == len(found):
        ways.append("give its whole hash")
    if kind is None and len({r.kind for r in found}) > 1:
        ways.append("add --kind")
    return ", or ".join(ways) if ways else "they are recorded alike: tracker resources lists them"


def set_resource(
    factory: sessionmaker[Session],
    key: str,
    kind: str | None = None,
    creator: str | None = None,
    url: str | None = None,
    licence: str | None = None,
    commercial: str | None = None,
) -> int:
    """Record what is known of one resource (only the fields given change); returns its id."""
    if commercial is not None and commercial not in COMMERCIAL:
        raise UsageError(f"--commercial takes yes, no or unknown, not {commercial!r}")
    if all(v is None for v in (creator, url, licence, commercial)):
        raise UsageError("say what to record: --creator, --url, --licence and/or --commercial")
    with session_scope(factory, command="resource set") as session:
        resource = find_resource(session, key, kind)
        if creator is not None:
            resource.creator = creator.strip() or None
        if url is not None:
            resource.source_url = url.strip() or None
        if licence is not None:
            resource.licence_note = licence.strip() or None
        if commercial is not None:
            resource.commercial = None if commercial == "unknown" else commercial
        return resource.id


def _uses(session: Session, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """resource id -> (images, live posts) that used it."""
    rows = session.execute(
        select(
            ImageResource.resource_id,
            func.count(func.distinct(ImageResource.image_id)),
            func.count(func.distinct(Post.id)),
        )
        .outerjoin(Post, and_(Post.image_id == ImageResource.image_id, Post.status == PostStatus.LIVE))
        .where(ImageResource.resource_id.in_(ids))
        .group_by(ImageResource.resource_id)
    ).all()
    return {rid: (images, posts) for rid, images, posts in rows}


def resource_dict(resource: Resource, images: int = 0, posts: int = 0) -> dict[str, Any]:
    return {
        "id": resource.id,
        "kind": resource.kind,
        "name": resource.name,
        "hash": resource.hash,
        "hash_kind": resource.hash_kind,
        "creator": resource.creator,
        "url": resource.source_url,
        "licence": resource.licence_note,
        "commercial": resource.commercial or "unknown",
        "licence_problem": licence_problem(resource),
        "lookup_status": resource.lookup_status,
        "looked_up_at": iso(resource.looked_up_at),
        "lookup": resource.lookup,
        "images": images,
        "live_posts": posts,
    }


def list_resources(session: Session, kind: str | None = None) -> list[dict[str, Any]]:
    """Every resource (of one kind), most used first, with the images and live posts that used it."""
    query = select(Resource)
    if kind:
        query = query.where(Resource.kind == kind)
    resources = list(session.scalars(query))
    uses = _uses(session, [r.id for r in resources])
    out = [resource_dict(r, *uses.get(r.id, (0, 0))) for r in resources]
    out.sort(key=lambda d: (-d["live_posts"], -d["images"], d["kind"], (d["name"] or "").lower()))
    return out
