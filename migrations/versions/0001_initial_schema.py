"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("command", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_at"), ["at"], unique=False)
        batch_op.create_index("ix_event_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=1024), nullable=False),
        sa.Column("archive_path", sa.String(length=1024), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("raw_metadata", sa.JSON(), nullable=False),
        sa.Column("generation", sa.JSON(), nullable=True),
        sa.Column("generator", sa.String(length=32), nullable=True),
        sa.Column("phash", sa.LargeBinary(length=8), nullable=False),
        sa.Column("dhash", sa.LargeBinary(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image")),
        sa.UniqueConstraint("sha256", name=op.f("uq_image_sha256")),
    )
    with op.batch_alter_table("image", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_image_generator"), ["generator"], unique=False)

    op.create_table(
        "persona",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persona")),
        sa.UniqueConstraint("name", name=op.f("uq_persona_name")),
    )
    op.create_table(
        "resource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=1024), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=True),
        sa.Column("hash_kind", sa.String(length=16), nullable=True),
        sa.Column("creator", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.String(length=2048), nullable=True),
        sa.Column("licence_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource")),
    )
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resource_hash"), ["hash"], unique=False)
        batch_op.create_index("ix_resource_kind_name", ["kind", "name"], unique=False)

    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=False),
        sa.Column("handle", sa.String(length=300), nullable=True),
        sa.Column("profile_url", sa.String(length=2048), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["persona_id"], ["persona.id"], name=op.f("fk_account_persona_id_persona"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("platform", "handle", name="uq_account_platform_handle"),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_persona_id"), ["persona_id"], unique=False)

    op.create_table(
        "image_resource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["image_id"], ["image.id"], name=op.f("fk_image_resource_image_id_image"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["resource.id"], name=op.f("fk_image_resource_resource_id_resource"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image_resource")),
    )
    with op.batch_alter_table("image_resource", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_image_resource_image_id"), ["image_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_image_resource_resource_id"), ["resource_id"], unique=False)

    op.create_table(
        "technique",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.Integer(), nullable=True),
        sa.Column("module", sa.String(length=300), nullable=True),
        sa.Column("model", sa.String(length=1024), nullable=True),
        sa.Column("model_hash", sa.String(length=64), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("risk_class", sa.String(length=32), nullable=False),
        sa.Column("risk_note", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_id"], ["image.id"], name=op.f("fk_technique_image_id_image"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_technique")),
    )
    with op.batch_alter_table("technique", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_technique_image_id"), ["image_id"], unique=False)

    op.create_table(
        "post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=False),
        sa.Column("platform_post_id", sa.String(length=300), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("posted_at", sa.DateTime(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "live",
                "taken_down",
                "deleted",
                name="post_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("status_changed_at", sa.DateTime(), nullable=False),
        sa.Column("logged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_post_account_id_account"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(["image_id"], ["image.id"], name=op.f("fk_post_image_id_image"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post")),
        sa.UniqueConstraint("url", name=op.f("uq_post_url")),
    )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_image_id"), ["image_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_platform"), ["platform"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_platform"))
        batch_op.drop_index(batch_op.f("ix_post_image_id"))
        batch_op.drop_index(batch_op.f("ix_post_account_id"))

    op.drop_table("post")
    with op.batch_alter_table("technique", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_technique_image_id"))

    op.drop_table("technique")
    with op.batch_alter_table("image_resource", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_image_resource_resource_id"))
        batch_op.drop_index(batch_op.f("ix_image_resource_image_id"))

    op.drop_table("image_resource")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_persona_id"))

    op.drop_table("account")
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.drop_index("ix_resource_kind_name")
        batch_op.drop_index(batch_op.f("ix_resource_hash"))

    op.drop_table("resource")
    op.drop_table("persona")
    with op.batch_alter_table("image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_image_generator"))

    op.drop_table("image")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_entity")
        batch_op.drop_index(batch_op.f("ix_event_at"))

    op.drop_table("event")
