"""What `tracker resources` and `tracker models list` show: the models the archive names, the scanned files, and
the scanned file behind a hash that reports show (`local_lookup`).

Read as SQL text (`db.plain`), so on a SQLite file at this tracker's revision both commands read
through the standard library's driver (`db.quick`) and load no SQLAlchemy (a quarter of a second,
longer than the reading); on any other database the same SQL runs on the engine's connection. A
resource becomes the one dict every front end shows (`resource_dict`), from a row read here or
from the ORM's `Resource` (`tracker resource set` prints the one it changed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from tracker.db.enums import PostStatus
from tracker.db.plain import Readable, Row, fetch_all, stored_json, stored_time
from tracker.metadata.info import HASH_AUTOV1, HASH_AUTOV2, HASH_SHA256, HASH_SHORT12, ResourceRef
from tracker.resources.licences import licence_problem
from tracker.support.dates import iso


class StoredResource(Protocol):
    """What the resource's dict reads: an ORM `Resource`, or a `ResourceColumns` read here."""

    id: int
    kind: str
    name: str | None
    hash: str | None
    hash_kind: str | None
    creator: str | None
    source_url: str | None
    licence_note: str | None
    commercial: str | None
    lookup_status: str | None
    looked_up_at: datetime | None
    lookup: dict[str, Any] | None


@dataclass
class ResourceColumns:
    """A row of the `resource` table, under the ORM's attribute names (`StoredResource`)."""

    id: int
    kind: str
    name: str | None
    hash: str | None
    hash_kind: str | None
    creator: str | None
    source_url: str | None
    licence_note: str | None
    commercial: str | None
    lookup_status: str | None
    looked_up_at: datetime | None
    lookup: dict[str, Any] | None


def resource_dict(resource: StoredResource, images: int = 0, posts: int = 0) -> dict[str, Any]:
    """A resource as plain data (`tracker resources --json`), with the images and live posts that used it."""
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


_RESOURCE_SQL = (
    "SELECT id, kind, name, hash, hash_kind, creator, source_url, licence_note, commercial, lookup_status,"
    " looked_up_at, lookup FROM resource"
)

_USES_SQL = (
    "SELECT u.resource_id, count(DISTINCT u.image_id), count(DISTINCT p.id) FROM image_resource AS u"
    " JOIN resource AS r ON r.id = u.resource_id"
    " LEFT OUTER JOIN post AS p ON p.image_id = u.image_id AND p.status = :live"
)


def _resource(row: Row) -> ResourceColumns:
    """A row `_RESOURCE_SQL` read, its time and JSON as the ORM gives them (`stored_time`, `stored_json`)."""
    values = list(row)
    values[10] = stored_time(row[10])
    values[11] = stored_json(row[11])
    return ResourceColumns(*values)


def list_resources(db: Readable, kind: str | None = None) -> list[dict[str, Any]]:
    """Every resource (of one kind), most used first, with the images and live posts that used it."""
    where = " WHERE kind = :kind" if kind else ""
    params = {"kind": kind} if kind else {}
    rows = fetch_all(db, f"{_RESOURCE_SQL}{where} ORDER BY id", params)
    resources = [_resource(row) for row in rows]
    uses_where = " WHERE r.kind = :kind" if kind else ""
    uses = {
        rid: (images, posts)
        for rid, images, posts in fetch_all(
            db, f"{_USES_SQL}{uses_where} GROUP BY u.resource_id", {"live": PostStatus.LIVE.value, **params}
        )
    }
    out = [resource_dict(r, *uses.get(r.id, (0, 0))) for r in resources]
    out.sort(key=lambda d: (-d["live_posts"], -d["images"], d["kind"], (d["name"] or "").lower()))
    return out


def model_files(db: Readable) -> list[dict[str, Any]]:
    """Every scanned model file, by path, as plain data (`tracker models list --json`)."""
    rows = fetch_all(db, "SELECT path, size_bytes, sha256, autov1, autov2, addnet FROM model_file ORDER BY path")
    keys = ("path", "size_bytes", "sha256", "autov1", "autov2", "addnet")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def local_lookup(db: Readable) -> Callable[[ResourceRef], Path | None]:
    """A lookup from a resource's hash to the scanned local file (loaded once, in memory), read as SQL text: a
    report naming a scanned model (`tracker show`, a first `tracker posts`) loads no SQLAlchemy for it."""
    by_kind: dict[str, dict[str, str]] = {HASH_AUTOV1: {}, HASH_AUTOV2: {}, HASH_SHORT12: {}, HASH_SHA256: {}}
    for path, sha256, autov1, autov2, addnet in fetch_all(
        db, "SELECT path, sha256, autov1, autov2, addnet FROM model_file ORDER BY id"
    ):
        if autov1:
            by_kind[HASH_AUTOV1].setdefault(autov1, path)
        by_kind[HASH_AUTOV2].setdefault(autov2, path)
        by_kind[HASH_SHA256].setdefault(sha256, path)
        by_kind[HASH_SHORT12].setdefault(sha256[:12], path)
        if addnet:
            by_kind[HASH_SHORT12][addnet[:12]] = path
            by_kind[HASH_SHA256].setdefault(addnet, path)

    def lookup(ref: ResourceRef) -> Path | None:
        table = by_kind.get(ref.hash_kind or "")
        found = table.get(ref.hash) if table is not None and ref.hash else None
        return Path(found) if found else None

    return lookup
