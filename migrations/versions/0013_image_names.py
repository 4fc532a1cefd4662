"""image_name: every file name an image was logged or imported from, per persona (the first stays image.original_name)

Filled from each image's original_name, for the persona that holds the image or, for an image held
by none (older archives), the persona of its first post.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "image_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=1024), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_id"], ["image.id"], name=op.f("fk_image_name_image_id_image"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"], ["persona.id"], name=op.f("fk_image_name_persona_id_persona"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image_name")),
    )
    with op.batch_alter_table("image_name") as batch:
        batch.create_index(batch.f("ix_image_name_image_id"), ["image_id"])
        batch.create_index(batch.f("ix_image_name_persona_id"), ["persona_id"])
    op.execute(
        "INSERT INTO image_name (image_id, persona_id, name) "
        "SELECT held.id, held.persona, held.original_name FROM ("
        "SELECT i.id, i.original_name, coalesce(i.persona_id, ("
        "SELECT a.persona_id FROM post p JOIN account a ON a.id = p.account_id "
        "WHERE p.image_id = i.id ORDER BY p.id LIMIT 1)) AS persona FROM image i"
        ") held WHERE held.persona IS NOT NULL ORDER BY held.id"
    )


def downgrade() -> None:
    op.drop_table("image_name")
