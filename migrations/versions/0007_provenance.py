"""provenance: what is known of each model's licence (and the CivitAI look-up), and requests with permission

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("resource") as batch:
        batch.add_column(sa.Column("commercial", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("lookup_status", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("looked_up_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("lookup", sa.JSON(), nullable=True))
    with op.batch_alter_table("post") as batch:
        batch.add_column(sa.Column("requested_by", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("permission_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("permission_ref", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("post") as batch:
        batch.drop_column("permission_ref")
        batch.drop_column("permission_at")
        batch.drop_column("requested_by")
    with op.batch_alter_table("resource") as batch:
        batch.drop_column("lookup")
        batch.drop_column("looked_up_at")
        batch.drop_column("lookup_status")
        batch.drop_column("commercial")
