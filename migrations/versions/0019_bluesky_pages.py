"""Bluesky pages imported before: linked to their post, and numbered, from gallery-dl's file name

0018 linked the further pages of pixiv and X posts imported before it from their file names; a Bluesky post's second
image stayed "archived, not posted" until imported again, and one imported again since was linked without its page
(the sidecar's `num` was not read for Bluesky). gallery-dl names a Bluesky image `{createdAt[:19]}_{post_id}_{num}`
(`{indexedAt[:19]}_...` before 1.28; the time's `:` made `_` on Windows), `post_id` being the post's record key
(rkey: no `_` in it, so the name splits one way only) and `num` counting from 1. An image so named is linked as page
`num` of the Bluesky post with that rkey that the same persona logged, unless it is that post's own image; a link
already there without a page gets its number. Any other image stays as it was.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BLUESKY_IMAGE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}[:_][0-9]{2}[:_][0-9]{2}_([A-Za-z0-9.~-]{1,512})_([0-9]{1,4})\.[A-Za-z0-9]{1,8}"
)
"""gallery-dl's Bluesky file name: `{createdAt[:19]}_{post_id}_{num}.{extension}`, num from 1."""

_NAMED = """
SELECT DISTINCT n.image_id, n.name, n.persona_id FROM image_name AS n
UNION
SELECT i.id, i.original_name, i.persona_id FROM image AS i WHERE i.persona_id IS NOT NULL
"""
_POSTS = """
SELECT p.id, p.image_id, p.platform_post_id, a.persona_id
FROM post AS p JOIN account AS a ON a.id = p.account_id
WHERE p.platform = 'bluesky' AND p.platform_post_id IS NOT NULL
"""
_LINKED = """
SELECT pp.post_id, pp.image_id, pp.page FROM post_page AS pp JOIN post AS p ON p.id = pp.post_id
WHERE p.platform = 'bluesky'
"""


def upgrade() -> None:
    bind = op.get_bind()
    posts = {(rkey, persona): (number, first) for number, first, rkey, persona in bind.execute(sa.text(_POSTS))}
    if not posts:
        return
    pages: dict[tuple[int, int], int] = {}
    for image_id, name, persona in bind.execute(sa.text(_NAMED)):
        found = _BLUESKY_IMAGE.fullmatch(name or "")
        post = posts.get((found.group(1), persona)) if found else None
        if found and post is not None and post[1] != image_id and int(found.group(2)) >= 1:
            pages.setdefault((post[0], image_id), int(found.group(2)))
    linked = {(int(post), int(image)): page for post, image, page in bind.execute(sa.text(_LINKED))}
    for (post_id, image_id), page in sorted(pages.items()):
        values = {"post": post_id, "image": image_id, "page": page}
        if (post_id, image_id) not in linked:
            bind.execute(
                sa.text("INSERT INTO post_page (post_id, image_id, page) VALUES (:post, :image, :page)"), values
            )
        elif linked[(post_id, image_id)] is None:
            bind.execute(
                sa.text("UPDATE post_page SET page = :page WHERE post_id = :post AND image_id = :image"), values
            )


def downgrade() -> None:
    """Nothing to undo in the schema: the links stay (0018's downgrade drops them all with the table)."""
