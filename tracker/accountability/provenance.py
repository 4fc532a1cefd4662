"""Where the owner's provenance rules stand across the archive: the counts `tracker status` shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.models import Image, Post, PostStatus
from tracker.posts.inputs import inputs_dict, posts_missing_inputs
from tracker.resources.catalog import Exceptions, image_licence_findings, posts_breaking_the_licence_rule
from tracker.support.settings import Settings


def requests_without_permission(session: Session) -> int:
    """Live posts made for someone else with no permission date on record."""
    query = select(func.count(Post.id)).where(
        Post.status == PostStatus.LIVE, Post.requested_by.is_not(None), Post.permission_at.is_(None)
    )
    return int(session.scalar(query) or 0)


def provenance_counts(session: Session, settings: Settings) -> dict[str, int]:
    """Counts of live posts that break (or cannot yet show they keep) the owner's provenance rules."""
    licence = posts_breaking_the_licence_rule(session, Exceptions.load(settings.data_dir))
    return {
        "posts_with_unrecorded_inputs": posts_missing_inputs(session),
        "posts_with_commercial_models": licence["commercial"],
        "posts_with_unknown_licence_models": licence["unknown"],
        "requests_without_permission": requests_without_permission(session),
    }


def provenance_line(counts: dict[str, int]) -> str | None:
    """One line for `tracker status`, or None when every rule is kept."""
    parts = []
    if counts["posts_with_unrecorded_inputs"]:
        parts.append(f"{counts['posts_with_unrecorded_inputs']} with image inputs not recorded (tracker inputs POST)")
    if counts["posts_with_commercial_models"]:
        parts.append(f"{counts['posts_with_commercial_models']} made with a model licensed for commercial use")
    if counts["posts_with_unknown_licence_models"]:
        parts.append(
            f"{counts['posts_with_unknown_licence_models']} made with a model of unknown licence (tracker resources)"
        )
    if counts["requests_without_permission"]:
        parts.append(f"{counts['requests_without_permission']} made for someone with no permission on record")
    return "Provenance: live posts " + "; ".join(parts) + "." if parts else None


def image_provenance(session: Session, image: Image, settings: Settings) -> dict[str, Any]:
    """One image's inputs and the non-commercial rule on its models (for `tracker show` and the TUI)."""
    return {
        "inputs": inputs_dict(session, image, settings),
        "licence_findings": image_licence_findings(image, Exceptions.load(settings.data_dir)),
    }
