"""complaints: complaint, its images, the posts it names, and its decisions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str, length: int = 24) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column(
            "channel", _enum("complaint_channel", "platform_form", "email", "dm", "letter", "other"), nullable=False
        ),
        sa.Column(
            "legal_basis", _enum("complaint_legal_basis", "dmca", "dsa", "jp", "platform_rules", "none"), nullable=False
        ),
        sa.Column("platform", sa.String(length=64), nullable=True),
        sa.Column("ticket_id", sa.String(length=300), nullable=True),
        sa.Column("complainant_name", sa.String(length=500), nullable=True),
        sa.Column("complainant_org", sa.String(length=500), nullable=True),
        sa.Column("complainant_role", sa.String(length=200), nullable=True),
        sa.Column("complainant_contact", sa.Text(), nullable=True),
        sa.Column("claimed_title", sa.String(length=1000), nullable=True),
        sa.Column("claimed_description", sa.Text(), nullable=True),
        sa.Column("claimed_urls", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("completeness", sa.JSON(), nullable=False),
        sa.Column("deadline_at", sa.DateTime(), nullable=True),
        sa.Column("status", _enum("complaint_status", "open", "decided", "answered", "closed"), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("persona_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["persona_id"], ["persona.id"], name=op.f("fk_complaint_persona_id_persona"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    )
    op.create_index(op.f("ix_complaint_persona_id"), "complaint", ["persona_id"], unique=False)
    op.create_index(op.f("ix_complaint_received_at"), "complaint", ["received_at"], unique=False)
    op.create_index("ix_complaint_status_deadline", "complaint", ["status", "deadline_at"], unique=False)

    op.create_table(
        "complaint_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("archive_path", sa.String(length=1024), nullable=False),
        sa.Column("original_name", sa.String(length=1024), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_image_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_image")),
        sa.UniqueConstraint("complaint_id", "sha256", name="uq_complaint_image_complaint_sha256"),
    )
    op.create_index(op.f("ix_complaint_image_complaint_id"), "complaint_image", ["complaint_id"], unique=False)
    op.create_index(op.f("ix_complaint_image_sha256"), "complaint_image", ["sha256"], unique=False)

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            _enum("decision_action", "take_down", "dispute", "ask_info", "invalid", "withdrawn"),
            nullable=False,
        ),
        sa.Column(
            "reason",
            _enum(
                "decision_reason",
                "slight_resemblance",
                "small_part",
                "independent_creation",
                "licensed_input",
                "not_my_post",
                "other",
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("post_ids", sa.JSON(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_decision_complaint_id_complaint"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["decision.id"], name=op.f("fk_decision_supersedes_id_decision"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    op.create_index(op.f("ix_decision_complaint_id"), "decision", ["complaint_id"], unique=False)

    op.create_table(
        "complaint_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=2048), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_post_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_complaint_post_post_id_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_post")),
        sa.UniqueConstraint("complaint_id", "post_id", name="uq_complaint_post_complaint_post"),
    )
    op.create_index(op.f("ix_complaint_post_complaint_id"), "complaint_post", ["complaint_id"], unique=False)
    op.create_index(op.f("ix_complaint_post_post_id"), "complaint_post", ["post_id"], unique=False)


def downgrade() -> None:
    op.drop_table("complaint_post")
    op.drop_table("decision")
    op.drop_table("complaint_image")
    op.drop_table("complaint")
