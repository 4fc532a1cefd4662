"""Models, LoRAs, embeddings and ControlNet models named by the archive: who made them, on what licence.

The owner sends a complainant to the creator of the model or LoRA involved, and keeps to models
whose licence does not allow commercial use (NovelAI, a service, being their one exception).
Here a resource is found by its name or hash and what is known of it is recorded by hand
(`tracker resource set`); the opt-in CivitAI look-up (`resources.civitai`) records it too, and
`resources.listing` reads the list (`tracker resources`) without the ORM.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.db.models import Resource
from tracker.db.session import session_scope
from tracker.errors import NotFoundError, UsageError
from tracker.resources.licences import COMMERCIAL

__all__ = [
    "find_resource",
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
