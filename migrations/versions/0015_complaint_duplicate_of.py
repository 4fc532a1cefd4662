"""complaint.duplicate_of_id: a complaint closed as a duplicate of another (the same complaint logged twice)

On SQLite the column is added in place (ALTER TABLE ... ADD COLUMN, its foreign key inline): copying the
complaint table, as a batch operation does, would drop the old one under live foreign keys and take every
decision, named post and image of the complaints with it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_complaint_duplicate_of_id_complaint"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE complaint ADD COLUMN duplicate_of_id INTEGER "
            f"CONSTRAINT {FOREIGN_KEY} REFERENCES complaint (id) ON DELETE SET NULL"
        )
        return
    op.add_column("complaint", sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
    op.create_foreign_key(FOREIGN_KEY, "complaint", "complaint", ["duplicate_of_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        if op.get_bind().dialect.name != "sqlite":  # SQLite keeps an inline constraint unnamed: it goes with its column
            batch.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch.drop_column("duplicate_of_id")
