"""region_mask as a 64-bit integer: 34 stored regions and the whole-picture bit no longer fit in 32 bits

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite() -> bool:
    # SQLite stores every integer in up to 8 bytes whatever the column says, and changing a
    # column's type there means copying the image table under live foreign keys: nothing to do.
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _sqlite():
        op.alter_column(
            "image", "region_mask", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True
        )


def downgrade() -> None:
    # Masks of hash version 3 do not fit in 32 bits: they are dropped, and the rows re-hashed on next use.
    op.execute(sa.text("UPDATE image SET region_mask = NULL, hash_version = 0 WHERE region_mask > 2147483647"))
    if not _sqlite():
        op.alter_column(
            "image", "region_mask", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True
        )
