"""young person merges: confirmed merges of duplicate records, kept so they can be undone

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 01:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "young_person_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("duplicate_ids", sa.JSON(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undo_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["young_person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("young_person_merge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_young_person_merge_lead_id"), ["lead_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("young_person_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_young_person_merge_lead_id"))
    op.drop_table("young_person_merge")
