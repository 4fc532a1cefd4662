"""Finding logged posts again: by number or URL, by filters, the newest ones, a post's history and complaints."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.db import schema
from tracker.db.models import Account, Event, Image, ImageResource, Post
from tracker.errors import NotFoundError
from tracker.platforms.urls import Platform, stored_spellings
from tracker.support.settings import Settings


def _post_query() -> Any:
    return select(Post).options(
        selectinload(Post.account).selectinload(Account.persona),
        selectinload(Post.image).selectinload(Image.resources).selectinload(ImageResource.resource),
        selectinload(Post.image).selectinload(Image.techniques),
    )


def find_post(session: Session, key: str, platforms: Mapping[str, Platform]) -> Post:
    """A post by its number or by its URL (any spelling the platform patterns recognise; on any site, the
    host in any case, with or without a trailing slash or a fragment)."""
    key = key.strip()
    post = None
    number = key.lstrip("#")
    if number.isascii() and number.isdigit():
        # Beyond 18 digits no row id exists (and the database's integer would overflow).
        post = session.scalar(_post_query().where(Post.id == int(number))) if len(number) <= 18 else None
    else:
        post = session.scalar(_post_query().where(Post.url == key))
        spellings = stored_spellings(key, platforms) if post is None else ()
        if spellings:  # the URL as it is stored (any site's: host case, trailing slash, fragment)
            post = session.scalar(_post_query().where(Post.url.in_(spellings)).order_by(Post.id).limit(1))
    if post is None:
        raise NotFoundError(f"no post {key!r}")
    return post


def post_events(session: Session, post: Post) -> list[Event]:
    """The audit trail of a post, oldest first."""
    query = select(Event).where(Event.entity == "post", Event.entity_id == post.id).order_by(Event.id)
    return list(session.scalars(query).all())


def archived_file(settings: Settings, image: Image) -> Path:
    """Absolute path of an image's archived copy."""
    return settings.archive_dir / image.archive_path


def recent_posts(db: Session, limit: int = 20) -> list[dict[str, Any]]:
    """The newest logged posts, as the dashboard lists them: id, when, persona, platform, status, URL."""
    query = (
        select(
            schema.post.c.id,
            schema.post.c.posted_at,
            schema.post.c.logged_at,
            schema.persona.c.name.label("persona"),
            schema.post.c.platform,
            schema.post.c.status,
            schema.post.c.url,
        )
        .join(schema.account, schema.account.c.id == schema.post.c.account_id)
        .join(schema.persona, schema.persona.c.id == schema.account.c.persona_id)
        .order_by(schema.post.c.id.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in db.execute(query)]


def complaints_naming(db: Session, post_id: int) -> list[dict[str, Any]]:
    """The complaints that name a post (the `complaint_post` links), oldest first: the complaint's
    number, status, legal basis, when it arrived, its deadline, and how it named the post."""
    c = schema.complaint.c
    link = schema.complaint_post.c
    query = (
        select(c.id, c.status, c.legal_basis, c.received_at, c.deadline_at, link.reference)
        .join(schema.complaint_post, link.complaint_id == c.id)
        .where(link.post_id == post_id)
        .order_by(c.received_at, c.id)
    )
    return [dict(row._mapping) for row in db.execute(query)]
