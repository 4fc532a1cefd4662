"""complaint_image.plain_colour and .frames: what `complaint show` says of a complainant's picture, read once

Whether the picture is one plain colour (a blacked-out screenshot: nothing in it to compare, ask for it again) and
how many frames it holds (an animated GIF, PNG or WebP: only its first is searched), as `matching.limits` tells them,
recorded when the picture is kept (`complaint add`, the intake form), so `complaint show` says both without loading
Pillow and numpy and decoding the file on every run. Both NULL for a picture kept by an older tracker: `complaint
show` then reads the archived file as it did. Added in place (plain columns: no table copy on SQLite).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_image") as batch:
        batch.add_column(sa.Column("plain_colour", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("frames", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint_image") as batch:
        batch.drop_column("frames")
        batch.drop_column("plain_colour")
