"""Models, LoRAs, embeddings and ControlNet models named by the archive: who made them, on what licence.

The owner sends a complainant to the creator of the model or LoRA involved, and keeps to models
whose licence does not allow commercial use (NovelAI, a service, being their one exception).
What is known of each resource is recorded here by hand (`tracker resource set`) or by the opt-in
CivitAI look-up (`tracker.civitai`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.db.models import Image, ImageResource, Post, PostStatus, Resource
from tracker.db.session import session_scope
from tracker.errors import NotFoundError, UsageError

__all__ = [
    "COMMERCIAL",
    "LICENSED_KINDS",
    "Exceptions",
    "find_resource",
    "licence_problem",
    "list_resources",
    "resource_dict",
    "set_resource",
]

COMMERCIAL = ("yes", "no", "unknown")
LICENSED_KINDS = ("checkpoint", "lora", "lycoris", "locon", "embedding", "hypernetwork")
"""Kinds whose licence the non-commercial rule looks at (models one downloads and could have chosen)."""


@dataclass(frozen=True)
class Exceptions:
    """Models the non-commercial rule does not apply to: NovelAI images, and the owner's own list."""

    names: tuple[str, ...] = ()
    generators: tuple[str, ...] = ("novelai",)

    @classmethod
    def load(cls, data_dir: Path) -> Exceptions:
        """`commercial-exceptions.txt` in the data folder: one model name or hash per line (# comments)."""
        try:
            text = (data_dir / "commercial-exceptions.txt").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return cls()
        names = tuple(
            line.strip().lower() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
        )
        return cls(names=names)

    def covers(self, resource: Resource, generator: str | None) -> bool:
        return generator in self.generators or self.lists(resource)

    def lists(self, resource: Resource) -> bool:
        """Whether the owner's exception list names this resource (by name or hash)."""
        keys = {(resource.name or "").lower(), (resource.hash or "").lower()}
        return any(name in keys for name in self.names)


def licence_problem(resource: Resource) -> str | None:
    """Why a resource breaks the non-commercial rule: 'commercial', 'unknown', or None when it keeps it."""
    if resource.kind not in LICENSED_KINDS:
        return None
    if resource.commercial == "yes":
        return "commercial"
    if resource.commercial == "no":
        return None
    return "unknown"


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
        raise UsageError(f"{key!r} names {len(found)} resources ({listed}): give the hash, or --kind")
    return found[0]


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
        "looked_up_at": resource.looked_up_at.isoformat() if resource.looked_up_at else None,
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


def posts_breaking_the_licence_rule(session: Session, exceptions: Exceptions) -> dict[str, int]:
    """Live posts made with a model whose licence allows commercial use, or is unknown (exceptions aside).

    The resources are judged in Python (they are few); the posts are counted by the database.
    """
    judged: dict[str, list[int]] = {"commercial": [], "unknown": []}
    for resource in session.scalars(select(Resource).where(Resource.kind.in_(LICENSED_KINDS))):
        problem = licence_problem(resource)
        if problem is not None and not exceptions.lists(resource):
            judged[problem].append(resource.id)

    def posts(resource_ids: list[int]) -> set[int]:
        found: set[int] = set()
        for start in range(0, len(resource_ids), 1000):
            query = (
                select(Post.id)
                .join(Image, Image.id == Post.image_id)
                .join(ImageResource, ImageResource.image_id == Image.id)
                .where(
                    Post.status == PostStatus.LIVE,
                    ImageResource.resource_id.in_(resource_ids[start : start + 1000]),
                    or_(Image.generator.is_(None), Image.generator.not_in(exceptions.generators)),
                )
                .distinct()
            )
            found.update(session.scalars(query))
        return found

    commercial = posts(judged["commercial"])
    return {"commercial": len(commercial), "unknown": len(posts(judged["unknown"]) - commercial)}


def image_licence_findings(image: Image, exceptions: Exceptions) -> list[dict[str, str]]:
    """The non-commercial rule on one image: a finding per model that breaks it (for show and the TUI)."""
    out = []
    for use in image.resources:
        resource = use.resource
        if exceptions.covers(resource, image.generator):
            continue
        problem = licence_problem(resource)
        name = resource.name or resource.hash or "an unnamed model"
        if problem == "commercial":
            out.append(
                {
                    "code": "COMMERCIAL_MODEL",
                    "severity": "problem",
                    "message": f"{resource.kind} {name}: its licence allows commercial use (your rule: non-commercial)",
                }
            )
        elif problem == "unknown":
            out.append(
                {
                    "code": "LICENCE_UNKNOWN",
                    "severity": "warning",
                    "message": f"{resource.kind} {name}: licence not recorded "
                    "(tracker resource set, or tracker resource lookup)",
                }
            )
    return out
