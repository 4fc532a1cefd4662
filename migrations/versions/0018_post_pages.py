"""post_page: the further pages of a post that shows several images (pixiv's `_p1`, an X post's second photo)

Until now an import archived such a page for the persona and counted it as "a page of a post", but nothing
linked it to the post: a match on it said "archived, not posted". The pages imported before are linked here
when the file name they were imported from says which post and page they are (gallery-dl's `{id}_p{num}`
for pixiv, `{tweet_id}_{num}` for X) and the same persona logged that post; any other image stays as it was
(re-running its import links it).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PIXIV_PAGE = re.compile(r"([1-9][0-9]{0,19})_p([0-9]{1,4})\.[A-Za-z0-9]{1,8}")
"""gallery-dl's pixiv file name: `{id}_p{num}.{extension}`, num from 0 (page num + 1)."""
_X_PHOTO = re.compile(r"([1-9][0-9]{0,19})_([0-9]{1,4})\.[A-Za-z0-9]{1,8}")
"""gallery-dl's X file name: `{tweet_id}_{num}.{extension}`, num from 1."""

_NAMED = """
SELECT DISTINCT n.image_id, n.name, n.persona_id FROM image_name AS n
UNION
SELECT i.id, i.original_name, i.persona_id FROM image AS i WHERE i.persona_id IS NOT NULL
"""
_POSTS = """
SELECT p.id, p.image_id, p.platform, p.platform_post_id, a.persona_id
FROM post AS p JOIN account AS a ON a.id = p.account_id
WHERE p.platform IN ('pixiv', 'x') AND p.platform_post_id IS NOT NULL
"""


def upgrade() -> None:
    op.create_table(
        "post_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name=op.f("fk_post_page_post_id_post"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["image_id"], ["image.id"], name=op.f("fk_post_page_image_id_image"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_page")),
        sa.UniqueConstraint("post_id", "image_id", name="uq_post_page_post_id_image_id"),
    )
    with op.batch_alter_table("post_page") as batch:
        batch.create_index(batch.f("ix_post_page_post_id"), ["post_id"])
        batch.create_index(batch.f("ix_post_page_image_id"), ["image_id"])
    _link_earlier_pages()


def _link_earlier_pages() -> None:
    """Link each image imported as a further page of a post that the same persona logged (see the docstring)."""
    bind = op.get_bind()
    posts = {
        (platform, post_id, persona): (number, first)
        for number, first, platform, post_id, persona in bind.execute(sa.text(_POSTS))
    }
    if not posts:
        return
    links: dict[tuple[int, int], int] = {}
    for image_id, name, persona in bind.execute(sa.text(_NAMED)):
        for platform, pattern, first_page in (("pixiv", _PIXIV_PAGE, 1), ("x", _X_PHOTO, 0)):
            found = pattern.fullmatch(name or "")
            post = posts.get((platform, found.group(1), persona)) if found else None
            if found and post is not None and post[1] != image_id:
                links.setdefault((post[0], image_id), int(found.group(2)) + first_page)
    for (post_id, image_id), page in sorted(links.items()):
        bind.execute(
            sa.text("INSERT INTO post_page (post_id, image_id, page) VALUES (:post, :image, :page)"),
            {"post": post_id, "image": image_id, "page": page},
        )


def downgrade() -> None:
    op.drop_table("post_page")
