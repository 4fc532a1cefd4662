"""complaint.attachments_not_kept: what arrived attached to a complaint's message and was not kept

A JSON list of short texts, each an attachment's name and why it was left out
(`evidence.png (damaged or truncated image)`, `notice.pdf (not an image)`), so the record says that
something arrived that the owner has to save by hand. Added in place (a plain column: no table copy on
SQLite).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        batch.add_column(sa.Column("attachments_not_kept", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        batch.drop_column("attachments_not_kept")
