"""post checks: whether a platform still shows a post (`tracker check`)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "post_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name="fk_post_check_post_id_post", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_post_check"),
    )
    op.create_index("ix_post_check_post_id", "post_check", ["post_id"])


def downgrade() -> None:
    op.drop_index("ix_post_check_post_id", table_name="post_check")
    op.drop_table("post_check")
