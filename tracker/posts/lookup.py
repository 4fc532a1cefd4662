"""Finding a logged post by number or URL in an ORM session, for the commands that change it (`tracker show`
reads one as SQL text with `posts.record`; both find it with `by_key.post_number`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.db.models import Account, Image, ImageResource, Post
from tracker.errors import NotFoundError
from tracker.platforms.urls import Platform
from tracker.posts.by_key import post_number


def _post_query() -> Any:
    return select(Post).options(
        selectinload(Post.account).selectinload(Account.persona),
        selectinload(Post.image).selectinload(Image.resources).selectinload(ImageResource.resource),
        selectinload(Post.image).selectinload(Image.techniques),
    )


def find_post(session: Session, key: str, platforms: Mapping[str, Platform]) -> Post:
    """A post by its number or by its URL (any spelling the platform patterns recognise; on any site, the
    host in any case, with or without a trailing slash or a fragment: `by_key.post_number`)."""
    post = session.scalar(_post_query().where(Post.id == post_number(session, key, platforms)))
    if post is None:  # removed since it was found
        raise NotFoundError(f"no post {key.strip()!r}")
    return post
