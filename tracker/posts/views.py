"""Posts as plain data: the stable `--json` form and the source of the human report.

The dicts built here are the documented JSON output of `tracker posts --json`,
`tracker show --json` and `tracker log --json` (see README, "JSON output"); the CLI's text
output is drawn from them, so both always say the same thing. An image's generation summary is
the accountability report (`accountability.build_report`) rebuilt from what was stored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tracker.accountability.report import ReportContext, build_report
from tracker.db.models import Event, Image, Post
from tracker.metadata.info import info_from_dict
from tracker.posts.inputs import inputs_dict
from tracker.resources.licences import Exceptions, licence_findings
from tracker.support.dates import iso
from tracker.support.settings import Settings


def image_dict(image: Image, ctx: ReportContext, full: bool = False) -> dict[str, Any]:
    """An image: storage facts plus its accountability report; `full` adds the raw metadata."""
    raw = image.raw_metadata or {}
    stealth = raw.get("stealth") if isinstance(raw, dict) else None
    report = build_report(
        info_from_dict(image.generation) if image.generation else None,
        ctx,
        problems=raw.get("problems", []) if isinstance(raw, dict) else [],
        hidden_signature=stealth.get("signature") if isinstance(stealth, dict) else None,
    )
    report["generation_width"] = report.pop("width")
    report["generation_height"] = report.pop("height")
    out: dict[str, Any] = {
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
    if full:
        out["generation"] = image.generation
        out["raw_metadata"] = image.raw_metadata
    return out


def event_dict(event: Event) -> dict[str, Any]:
    """One audit entry."""
    return {
        "id": event.id,
        "at": iso(event.at),
        "entity": event.entity,
        "entity_id": event.entity_id,
        "action": event.action,
        "changes": event.changes,
        "command": event.command,
    }


def post_dict(post: Post, ctx: ReportContext, full: bool = False, events: list[Event] | None = None) -> dict[str, Any]:
    """A post, its account, persona and image; `full` adds raw metadata and the audit trail."""
    out: dict[str, Any] = {
        "id": post.id,
        "url": post.url,
        "platform": post.platform,
        "platform_post_id": post.platform_post_id,
        "title": post.title,
        "posted_at": iso(post.posted_at),
        "status": post.status.value,
        "status_changed_at": iso(post.status_changed_at),
        "logged_at": iso(post.logged_at),
        "persona": post.account.persona.name,
        "account": {
            "id": post.account.id,
            "platform": post.account.platform,
            "handle": post.account.handle,
            "profile_url": post.account.profile_url,
        },
        "image": image_dict(post.image, ctx, full=full),
        "request": {
            "requested_by": post.requested_by,
            "permission_at": iso(post.permission_at),
            "permission_ref": post.permission_ref,
        }
        if post.requested_by
        else None,
    }
    if events is not None:
        out["events"] = [event_dict(e) for e in events]
    return out


def image_provenance(session: Session, image: Image, settings: Settings) -> dict[str, Any]:
    """One image's inputs and the non-commercial rule on its models (`show --json`'s `provenance`, the TUI)."""
    exceptions = Exceptions.load(settings.data_dir)
    return {
        "inputs": inputs_dict(session, image, settings),
        "licence_findings": licence_findings((use.resource for use in image.resources), image.generator, exceptions),
    }
