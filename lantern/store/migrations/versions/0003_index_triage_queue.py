"""index the triage queue: concerns by organisation and date, amendments, assessment rank

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 00:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("concern", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_concern_amends_id"), ["amends_id"], unique=False)
        batch_op.create_index(
            "ix_concern_organisation_recorded", ["organisation_id", "recorded_at"], unique=False
        )

    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessment_concern_rank", ["concern_id", "rank", "level"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_concern_rank")

    with op.batch_alter_table("concern", schema=None) as batch_op:
        batch_op.drop_index("ix_concern_organisation_recorded")
        batch_op.drop_index(batch_op.f("ix_concern_amends_id"))
