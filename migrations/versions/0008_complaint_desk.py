"""complaint desk: persona sign-off, reply language and reply note, confirmed take-downs

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("persona") as batch:
        batch.add_column(sa.Column("display_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("contact", sa.Text(), nullable=True))
    with op.batch_alter_table("complaint") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("decision") as batch:
        batch.add_column(sa.Column("reply_note", sa.Text(), nullable=True))
    op.create_table(
        "takedown",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.Column("status_before", sa.String(length=16), nullable=False),
        sa.Column("restored_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name="fk_takedown_decision_id_decision", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name="fk_takedown_post_id_post", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_takedown"),
        sa.UniqueConstraint("decision_id", "post_id", name="uq_takedown_decision_post"),
    )
    op.create_index("ix_takedown_decision_id", "takedown", ["decision_id"])
    op.create_index("ix_takedown_post_id", "takedown", ["post_id"])
    # Take-downs decided before this revision marked their posts at once: record those as confirmed,
    # so a later revision can give the posts their status back.
    bind = op.get_bind()
    decision = sa.table(
        "decision",
        sa.column("id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("post_ids", sa.JSON),
        sa.column("supersedes_id", sa.Integer),
        sa.column("decided_at", sa.DateTime),
    )
    post = sa.table("post", sa.column("id", sa.Integer), sa.column("status", sa.String))
    takedown = sa.table(
        "takedown",
        sa.column("decision_id", sa.Integer),
        sa.column("post_id", sa.Integer),
        sa.column("confirmed_at", sa.DateTime),
        sa.column("status_before", sa.String),
    )
    superseded = {row[0] for row in bind.execute(sa.select(decision.c.supersedes_id)) if row[0] is not None}
    rows = bind.execute(
        sa.select(decision.c.id, decision.c.post_ids, decision.c.decided_at).where(decision.c.action == "take_down")
    ).all()
    for decision_id, post_ids, decided_at in rows:
        if decision_id in superseded or not post_ids:
            continue
        taken = bind.execute(
            sa.select(post.c.id).where(post.c.id.in_(list(post_ids)), post.c.status == "taken_down")
        ).scalars()
        for post_id in taken:
            bind.execute(
                sa.insert(takedown).values(
                    decision_id=decision_id, post_id=post_id, confirmed_at=decided_at, status_before="live"
                )
            )


def downgrade() -> None:
    op.drop_index("ix_takedown_post_id", table_name="takedown")
    op.drop_index("ix_takedown_decision_id", table_name="takedown")
    op.drop_table("takedown")
    with op.batch_alter_table("decision") as batch:
        batch.drop_column("reply_note")
    with op.batch_alter_table("complaint") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("persona") as batch:
        batch.drop_column("contact")
        batch.drop_column("display_name")
