"""similarity hashes: mirror and region hashes, hash version, image persona

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Rows made before this revision keep their old pHash/dHash with hash_version NULL; the tracker
re-hashes them from their archived copies the next time the similarity index is opened.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs, no batch table rebuild: on SQLite a rebuild of `image` would have to drop a
    # table that `post` references, which foreign-key enforcement refuses.
    op.add_column("image", sa.Column("phash_mirror", sa.LargeBinary(length=8), nullable=True))
    op.add_column("image", sa.Column("dhash_mirror", sa.LargeBinary(length=8), nullable=True))
    op.add_column("image", sa.Column("region_hashes", sa.LargeBinary(), nullable=True))
    op.add_column("image", sa.Column("region_mask", sa.Integer(), nullable=True))
    op.add_column("image", sa.Column("hash_version", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with a REFERENCES clause in place; alembic only offers a table rebuild.
        op.execute(
            "ALTER TABLE image ADD COLUMN persona_id INTEGER "
            "CONSTRAINT fk_image_persona_id_persona REFERENCES persona (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("image", sa.Column("persona_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_image_persona_id_persona"), "image", "persona", ["persona_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index(op.f("ix_image_hash_version"), "image", ["hash_version"], unique=False)
    op.create_index(op.f("ix_image_persona_id"), "image", ["persona_id"], unique=False)
    # Images already posted belong to their first post's persona.
    op.execute(
        sa.text(
            "UPDATE image SET persona_id = (SELECT account.persona_id FROM post JOIN account "
            "ON account.id = post.account_id WHERE post.image_id = image.id ORDER BY post.id LIMIT 1)"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("image", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_image_persona_id_persona"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_image_persona_id"))
        batch_op.drop_index(batch_op.f("ix_image_hash_version"))
        batch_op.drop_column("persona_id")
        batch_op.drop_column("hash_version")
        batch_op.drop_column("region_mask")
        batch_op.drop_column("region_hashes")
        batch_op.drop_column("dhash_mirror")
        batch_op.drop_column("phash_mirror")
