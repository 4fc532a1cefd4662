"""purge: the purge run of a persona, the owner's marks on its checklist, and the scrub's file queue

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purge_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["persona_id"], ["persona.id"], name=op.f("fk_purge_run_persona_id_persona"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purge_run")),
        sa.UniqueConstraint("persona_id", name=op.f("uq_purge_run_persona_id")),
    )

    op.create_table(
        "purge_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=200), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "done",
                "skipped",
                "failed",
                name="purge_item_state",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("post_status_before", sa.String(length=16), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["purge_run.id"], name=op.f("fk_purge_item_run_id_purge_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purge_item")),
        sa.UniqueConstraint("run_id", "item_key", name="uq_purge_item_run_key"),
    )

    op.create_table(
        "purge_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archive_path", sa.String(length=1024), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purge_file")),
        sa.UniqueConstraint("archive_path", name=op.f("uq_purge_file_archive_path")),
    )


def downgrade() -> None:
    op.drop_table("purge_file")
    op.drop_table("purge_item")
    op.drop_table("purge_run")
