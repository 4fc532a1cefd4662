"""complaint.follow_ups: the later messages of a complaint's sender, each with the date it arrived

A JSON list of {"received_at", "message"} beside the message the complaint was logged with, which is
never overwritten. Added in place (a plain column: no table copy on SQLite).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        batch.add_column(sa.Column("follow_ups", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        batch.drop_column("follow_ups")
