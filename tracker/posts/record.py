"""One logged post as `tracker show` reads it: found by number or URL, with its image, history and inputs
(an image's techniques and inputs alone are what `tracker inputs` reads).

Read as SQL text (`db.plain`), so `tracker show` on a SQLite file at this tracker's revision reads
through the standard library's driver (`db.quick`) and loads no SQLAlchemy (a quarter of a second,
longer than the reading); on any other database the same SQL runs on the engine's connection. The
rows become small dataclasses with the attributes the views read of the ORM's objects
(`views.StoredImage`, `events.StoredEvent`, `inputs.InputTechnique`, `inputs.RecordedInput`), so
the dicts are built by the same code either way (`views.shown_post_dict`, `inputs.technique_dicts`,
`views.provenance_dict`); the post is found as `find_post` finds it (`by_key.post_number`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tracker.db.enums import InputKind, PostStatus
from tracker.db.plain import Readable, Row, fetch_all, fetch_one, stored_json, stored_moment, stored_time
from tracker.errors import NotFoundError
from tracker.posts.events import EVENT_COLUMNS, EventRow, event_row

if TYPE_CHECKING:
    from tracker.posts.views import PostRow


@dataclass(frozen=True)
class ImageColumns:
    """An image's row (`views.StoredImage`), with the raw metadata and the parsed generation."""

    id: int
    sha256: str
    original_name: str
    archive_path: str
    format: str
    width: int
    height: int
    size_bytes: int
    phash: bytes
    dhash: bytes
    generation: dict[str, Any] | None
    raw_metadata: dict[str, Any]
    generator: str | None


@dataclass
class ResourceRow:
    """What the non-commercial rule reads of a model the image used (`licences.LicensedResource`)."""

    kind: str
    name: str | None
    hash: str | None
    commercial: str | None


@dataclass(frozen=True)
class TechniqueRow:
    """An image-input technique of the image (`inputs.InputTechnique`)."""

    id: int
    position: int
    kind: str
    module: str | None
    model: str | None
    risk_class: str
    details: dict[str, Any]


@dataclass(frozen=True)
class InputImage:
    """The stored image an input was (`inputs.InputFile`)."""

    original_name: str
    sha256: str
    archive_path: str


@dataclass(frozen=True)
class InputRow:
    """An input recorded for a technique (`inputs.RecordedInput`)."""

    id: int
    technique_id: int | None
    kind: InputKind
    licence: str | None
    note: str | None
    created_at: datetime
    input_image: InputImage


@dataclass(frozen=True)
class PageRow:
    """A further page of the post (`post_page`: pixiv's `_p1`), its image's name and archived file."""

    page: int | None
    """As the platform numbers it, from 1; None when the import could not tell."""
    image_id: int
    sha256: str
    original_name: str
    archive_path: str


@dataclass(frozen=True)
class PostRecord:
    """Everything `tracker show` reads of a post, before it becomes its dict."""

    post: PostRow
    image: ImageColumns
    events: list[EventRow]
    resources: list[ResourceRow]
    techniques: list[TechniqueRow]
    inputs: list[InputRow]
    pages: list[PageRow]
    """The post's further pages, by page (those without a number last)."""


_POST_SQL = """
SELECT p.id, p.url, p.platform, p.platform_post_id, p.title, p.posted_at, p.status, p.status_changed_at,
       p.logged_at, pe.name, a.id, a.platform, a.handle, a.profile_url, p.requested_by, p.permission_at,
       p.permission_ref, i.id, i.sha256, i.original_name, i.archive_path, i.format, i.width, i.height,
       i.size_bytes, i.phash, i.dhash, i.generation, i.raw_metadata, i.generator
FROM post AS p
JOIN account AS a ON a.id = p.account_id
JOIN persona AS pe ON pe.id = a.persona_id
JOIN image AS i ON i.id = p.image_id
WHERE p.id = :id
"""


def read_post(db: Readable, number: int) -> PostRecord:
    """Post `number` (`by_key.post_number` found it), its image, audit trail, models and inputs."""
    row = fetch_one(db, _POST_SQL, {"id": number})
    if row is None:
        raise NotFoundError(f"no post {str(number)!r}")
    image = _image(row[17:])
    return PostRecord(
        post=_post(row, image),
        image=image,
        events=post_event_rows(db, number),
        resources=_resources(db, image.id),
        techniques=image_techniques(db, image.id),
        inputs=image_inputs(db, image.id),
        pages=post_pages(db, number),
    )


def _image(row: Row) -> ImageColumns:
    raw = stored_json(row[11])
    return ImageColumns(
        id=row[0],
        sha256=row[1],
        original_name=row[2],
        archive_path=row[3],
        format=row[4],
        width=row[5],
        height=row[6],
        size_bytes=row[7],
        phash=bytes(row[8]),
        dhash=bytes(row[9]),
        generation=stored_json(row[10]),
        raw_metadata=raw if raw is not None else {},
        generator=row[12],
    )


def _post(row: Row, image: ImageColumns) -> PostRow:
    from tracker.posts.views import ImageRow, PostRow

    return PostRow(
        image=ImageRow.of(image),
        id=row[0],
        url=row[1],
        platform=row[2],
        platform_post_id=row[3],
        title=row[4],
        posted_at=stored_time(row[5]),
        status=PostStatus(row[6]),
        status_changed_at=stored_time(row[7]),
        logged_at=stored_time(row[8]),
        persona=row[9],
        account_id=row[10],
        account_platform=row[11],
        handle=row[12],
        profile_url=row[13],
        requested_by=row[14],
        permission_at=stored_time(row[15]),
        permission_ref=row[16],
    )


def post_pages(db: Readable, post_id: int) -> list[PageRow]:
    """A post's further pages in page order, those without a number last (`post_page`)."""
    rows = fetch_all(
        db,
        "SELECT g.page, i.id, i.sha256, i.original_name, i.archive_path FROM post_page AS g"
        " JOIN image AS i ON i.id = g.image_id WHERE g.post_id = :id"
        " ORDER BY CASE WHEN g.page IS NULL THEN 1 ELSE 0 END, g.page, g.id",
        {"id": post_id},
    )
    return [PageRow(*row) for row in rows]


def post_event_rows(db: Readable, post_id: int) -> list[EventRow]:
    """The audit trail of a post, oldest first."""
    sql = f"SELECT {EVENT_COLUMNS} FROM event WHERE entity = 'post' AND entity_id = :id ORDER BY id"
    return [event_row(row) for row in fetch_all(db, sql, {"id": post_id})]


def _resources(db: Readable, image_id: int) -> list[ResourceRow]:
    """The models the image used, in their order (`Image.resources`)."""
    rows = fetch_all(
        db,
        "SELECT r.kind, r.name, r.hash, r.commercial FROM image_resource AS u"
        " JOIN resource AS r ON r.id = u.resource_id WHERE u.image_id = :id ORDER BY u.position, u.id",
        {"id": image_id},
    )
    return [ResourceRow(*row) for row in rows]


def image_techniques(db: Readable, image_id: int) -> list[TechniqueRow]:
    """An image's image-input techniques, in their order (`Image.techniques`)."""
    rows = fetch_all(
        db,
        "SELECT id, position, kind, module, model, risk_class, details FROM technique"
        " WHERE image_id = :id ORDER BY position, id",
        {"id": image_id},
    )
    return [
        TechniqueRow(n, position, kind, module, model, risk, stored_json(details) or {})
        for n, position, kind, module, model, risk, details in rows
    ]


def image_inputs(db: Readable, image_id: int) -> list[InputRow]:
    """The inputs recorded for an image's techniques, in the order they were recorded."""
    rows = fetch_all(
        db,
        "SELECT u.id, u.technique_id, u.kind, u.licence, u.note, u.created_at, f.original_name, f.sha256,"
        " f.archive_path FROM image_input AS u JOIN image AS f ON f.id = u.input_image_id"
        " WHERE u.image_id = :id ORDER BY u.id",
        {"id": image_id},
    )
    return [
        InputRow(n, technique, InputKind(kind), licence, note, stored_moment(created), InputImage(name, sha, path))
        for n, technique, kind, licence, note, created, name, sha, path in rows
    ]
