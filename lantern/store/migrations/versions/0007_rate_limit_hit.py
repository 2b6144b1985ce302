"""rate limit hits: attempts counted in the database, so every server process shares a limit

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 02:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rate_limit_hit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_limit_hit_at"), ["at"], unique=False)
        batch_op.create_index(
            "ix_rate_limit_hit_scope_key_at", ["scope", "key_hash", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rate_limit_hit", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_limit_hit_scope_key_at")
        batch_op.drop_index(batch_op.f("ix_rate_limit_hit_at"))
    op.drop_table("rate_limit_hit")
