"""image reports and the listing order: what `tracker posts` needs to stream 100,000 posts fast

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "image_report",
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("context", sa.String(length=64), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["image_id"], ["image.id"], name="fk_image_report_image_id_image", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("image_id", name="pk_image_report"),
    )
    op.create_index("ix_post_logged_at_id", "post", ["logged_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_post_logged_at_id", table_name="post")
    op.drop_table("image_report")
