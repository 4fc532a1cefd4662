"""Posts as plain data: the stable `--json` form and the source of the human report.

The dicts built here are the documented JSON output of `tracker posts --json`,
`tracker show --json` and `tracker log --json` (see README, "JSON output"); the CLI's text
output is drawn from them, so both always say the same thing. An image's generation summary is
the accountability report (`accountability.build_report`) rebuilt from what was stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tracker.accountability.report import ReportContext, build_report
from tracker.db.enums import PostStatus
from tracker.metadata.info import info_from_dict
from tracker.posts.events import StoredEvent, event_dict
from tracker.resources.licences import Exceptions, LicensedResource, licence_findings
from tracker.support.dates import iso
from tracker.support.settings import Settings

if TYPE_CHECKING:  # the ORM only for its callers: `tracker show` builds these dicts from SQL rows (`posts.record`)
    from sqlalchemy.orm import Session

    from tracker.db.models import Image, Post


class StoredImage(Protocol):
    """What `ImageRow.of` reads of an image: an ORM `Image`, or a row `posts.record` read."""

    @property
    def id(self) -> int: ...
    @property
    def sha256(self) -> str: ...
    @property
    def original_name(self) -> str: ...
    @property
    def archive_path(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def size_bytes(self) -> int: ...
    @property
    def phash(self) -> bytes: ...
    @property
    def dhash(self) -> bytes: ...
    @property
    def generation(self) -> dict[str, Any] | None: ...
    @property
    def raw_metadata(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class ImageRow:
    """What a listing shows of an image: its stored columns, without the (large) raw metadata."""

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
    problems: list[str]
    """The reader's problems, from the raw metadata."""
    hidden_signature: str | None
    """The hidden pixel metadata's signature, from the raw metadata."""

    @classmethod
    def of(cls, image: StoredImage) -> ImageRow:
        raw = image.raw_metadata if isinstance(image.raw_metadata, dict) else {}
        stealth = raw.get("stealth")
        return cls(
            id=image.id,
            sha256=image.sha256,
            original_name=image.original_name,
            archive_path=image.archive_path,
            format=image.format,
            width=image.width,
            height=image.height,
            size_bytes=image.size_bytes,
            phash=image.phash,
            dhash=image.dhash,
            generation=image.generation,
            problems=raw.get("problems") or [],
            hidden_signature=stealth.get("signature") if isinstance(stealth, dict) else None,
        )


@dataclass(frozen=True, slots=True)
class PostRow:
    """What a listing shows of a post: its image's columns, its own, its account's and persona's."""

    image: ImageRow
    id: int
    url: str
    platform: str
    platform_post_id: str | None
    title: str | None
    posted_at: datetime | None
    status: PostStatus
    status_changed_at: datetime | None
    logged_at: datetime | None
    persona: str
    account_id: int
    account_platform: str
    handle: str | None
    profile_url: str | None
    requested_by: str | None
    permission_at: datetime | None
    permission_ref: str | None

    @classmethod
    def of(cls, post: Post) -> PostRow:
        return cls(
            id=post.id,
            url=post.url,
            platform=post.platform,
            platform_post_id=post.platform_post_id,
            title=post.title,
            posted_at=post.posted_at,
            status=post.status,
            status_changed_at=post.status_changed_at,
            logged_at=post.logged_at,
            persona=post.account.persona.name,
            account_id=post.account.id,
            account_platform=post.account.platform,
            handle=post.account.handle,
            profile_url=post.account.profile_url,
            requested_by=post.requested_by,
            permission_at=post.permission_at,
            permission_ref=post.permission_ref,
            image=ImageRow.of(post.image),
        )


def image_report(
    generation: dict[str, Any] | None, problems: list[str], hidden_signature: str | None, ctx: ReportContext
) -> dict[str, Any]:
    """An image's accountability report, rebuilt from what was stored (its size as `generation_*`)."""
    report = build_report(
        info_from_dict(generation) if generation else None,
        ctx,
        problems=problems,
        hidden_signature=hidden_signature,
    )
    report["generation_width"] = report.pop("width")
    report["generation_height"] = report.pop("height")
    return report


def image_row_dict(image: ImageRow, ctx: ReportContext) -> dict[str, Any]:
    """An image: storage facts plus its accountability report, rebuilt from what was stored."""
    report = image_report(image.generation, image.problems, image.hidden_signature, ctx)
    return {
        "id": image.id,
        "sha256": image.sha256,
        "original_name": image.original_name,
        "archive_path": image.archive_path,
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "size_bytes": image.size_bytes,
        "phash": image.phash.hex(),
        "dhash": image.dhash.hex(),
        **report,
    }


_TURNS = frozenset("2345678")


def exif_orientation(raw_metadata: Any) -> int:
    """The EXIF orientation the stored picture is shown (and hashed) turned by: 2-8, or 1 for none.

    Read back from the EXIF entries of the raw metadata, the value `metadata.decoding.exif_orientation`
    turned the pixels by when the image was hashed: a number Pillow read (stored as `repr`), not text."""
    entries = raw_metadata.get("entries") if isinstance(raw_metadata, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and (entry.get("container"), entry.get("key")) == ("exif:IFD0", "Orientation"):
            value = entry.get("value")
            return int(value) if entry.get("encoding") == "repr" and isinstance(value, str) and value in _TURNS else 1
    return 1


def image_dict(image: StoredImage, ctx: ReportContext, full: bool = False) -> dict[str, Any]:
    """An image: storage facts plus its accountability report and EXIF orientation; `full` adds the raw metadata."""
    out = image_row_dict(ImageRow.of(image), ctx)
    out["orientation"] = exif_orientation(image.raw_metadata)
    if full:
        out["generation"] = image.generation
        out["raw_metadata"] = image.raw_metadata
    return out


def post_row_dict(post: PostRow, ctx: ReportContext, image: dict[str, Any] | None = None) -> dict[str, Any]:
    """A post, its account, persona and image (`image`: the image's dict when already built)."""
    return {
        "id": post.id,
        "url": post.url,
        "platform": post.platform,
        "platform_post_id": post.platform_post_id,
        "title": post.title,
        "posted_at": iso(post.posted_at),
        "status": post.status.value,
        "status_changed_at": iso(post.status_changed_at),
        "logged_at": iso(post.logged_at),
        "persona": post.persona,
        "account": {
            "id": post.account_id,
            "platform": post.account_platform,
            "handle": post.handle,
            "profile_url": post.profile_url,
        },
        "image": image if image is not None else image_row_dict(post.image, ctx),
        "request": {
            "requested_by": post.requested_by,
            "permission_at": iso(post.permission_at),
            "permission_ref": post.permission_ref,
        }
        if post.requested_by
        else None,
    }


def post_dict(
    post: Post, ctx: ReportContext, full: bool = False, events: Sequence[StoredEvent] | None = None
) -> dict[str, Any]:
    """A post, its account, persona and image; `full` adds raw metadata and the audit trail."""
    return shown_post_dict(PostRow.of(post), post.image, ctx, full, events)


def shown_post_dict(
    post: PostRow,
    image: StoredImage,
    ctx: ReportContext,
    full: bool = False,
    events: Sequence[StoredEvent] | None = None,
) -> dict[str, Any]:
    """`post_dict` of a post's row and its image (an ORM `Image` or a row), however they were read."""
    out = post_row_dict(post, ctx, image_dict(image, ctx, full=full))
    if events is not None:
        out["events"] = [event_dict(e) for e in events]
    return out


class StoredPage(Protocol):
    """What `page_dict` reads of a further page of a post (`record.PageRow`)."""

    @property
    def page(self) -> int | None: ...
    @property
    def image_id(self) -> int: ...
    @property
    def sha256(self) -> str: ...
    @property
    def original_name(self) -> str: ...
    @property
    def archive_path(self) -> str: ...


def page_dict(page: StoredPage, archive_dir: Path) -> dict[str, Any]:
    """A further page of a post (`show --json`'s `pages`): its number (null when the import could not tell),
    its image, the name it was archived under and the archived file (what a scrub deletes)."""
    return {
        "page": page.page,
        "image_id": page.image_id,
        "sha256": page.sha256,
        "file": page.original_name,
        "archive_path": page.archive_path,
        "archived": str(archive_dir / page.archive_path),
    }


def image_provenance(session: Session, image: Image, settings: Settings) -> dict[str, Any]:
    """One image's inputs and the non-commercial rule on its models (`show --json`'s `provenance`, the TUI)."""
    from tracker.posts.inputs import inputs_dict

    resources = (use.resource for use in image.resources)
    return provenance_dict(inputs_dict(session, image, settings), resources, image.generator, settings)


def provenance_dict(
    inputs: list[dict[str, Any]], resources: Iterable[LicensedResource], generator: str | None, settings: Settings
) -> dict[str, Any]:
    """`image_provenance` from its parts, however they were read: the inputs (`inputs.inputs_dict`), and
    the image's models in their order, judged by the non-commercial rule."""
    exceptions = Exceptions.load(settings.data_dir)
    return {"inputs": inputs, "licence_findings": licence_findings(resources, generator, exceptions)}
