"""findings and model files

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "model_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=4096), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("autov1", sa.String(length=8), nullable=True),
        sa.Column("autov2", sa.String(length=10), nullable=False),
        sa.Column("addnet", sa.String(length=64), nullable=True),
        sa.Column("safetensors_metadata", sa.JSON(), nullable=True),
        sa.Column("scanned_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_file")),
        sa.UniqueConstraint("path", name=op.f("uq_model_file_path")),
    )
    with op.batch_alter_table("model_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_model_file_addnet"), ["addnet"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_file_autov1"), ["autov1"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_file_autov2"), ["autov2"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_file_sha256"), ["sha256"], unique=False)

    with op.batch_alter_table("image", schema=None) as batch_op:
        batch_op.add_column(sa.Column("findings", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("image", schema=None) as batch_op:
        batch_op.drop_column("findings")

    with op.batch_alter_table("model_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_file_sha256"))
        batch_op.drop_index(batch_op.f("ix_model_file_autov2"))
        batch_op.drop_index(batch_op.f("ix_model_file_autov1"))
        batch_op.drop_index(batch_op.f("ix_model_file_addnet"))

    op.drop_table("model_file")
