"""young person merges: "not the same person" findings, and an index for merge-aware scope

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "young_person_not_duplicate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("record_ids", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undo_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["lead_id"], ["young_person.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["undone_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("young_person_not_duplicate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_young_person_not_duplicate_lead_id"), ["lead_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_young_person_not_duplicate_undone_at"), ["undone_at"], unique=False
        )
    # An index, not a table change: created directly so SQLite does not copy the table.
    op.create_index(
        op.f("ix_young_person_merged_into_id"), "young_person", ["merged_into_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_young_person_merged_into_id"), table_name="young_person")
    with op.batch_alter_table("young_person_not_duplicate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_young_person_not_duplicate_undone_at"))
        batch_op.drop_index(batch_op.f("ix_young_person_not_duplicate_lead_id"))
    op.drop_table("young_person_not_duplicate")
