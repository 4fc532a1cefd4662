"""image inputs: the file behind each image-input technique (img2img, ControlNet, IP-Adapter, ...)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "image_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("technique_id", sa.Integer(), nullable=True),
        sa.Column("input_image_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "own_generation",
                "own_asset",
                "commissioned",
                "licensed",
                "generic",
                name="input_kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("licence", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_id"], ["image.id"], name=op.f("fk_image_input_image_id_image"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["input_image_id"], ["image.id"], name=op.f("fk_image_input_input_image_id_image"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["technique_id"], ["technique.id"], name=op.f("fk_image_input_technique_id_technique"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image_input")),
        sa.UniqueConstraint("image_id", "technique_id", "input_image_id", name="uq_image_input_use"),
    )
    with op.batch_alter_table("image_input") as batch:
        batch.create_index(batch.f("ix_image_input_image_id"), ["image_id"])
        batch.create_index(batch.f("ix_image_input_technique_id"), ["technique_id"])
        batch.create_index(batch.f("ix_image_input_input_image_id"), ["input_image_id"])


def downgrade() -> None:
    op.drop_table("image_input")
