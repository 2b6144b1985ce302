"""assessment queue key: the concern's organisation and time on its assessment, indexed in
queue order, so a lead's triage queue is read from one index instead of sorted each time

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 02:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("concern_recorded_at", sa.DateTime(timezone=True), nullable=True)
        )
    # Existing assessments take their concern's values (neither ever changes).
    op.execute(
        "UPDATE assessment SET "
        "organisation_id = (SELECT concern.organisation_id FROM concern "
        "WHERE concern.id = assessment.concern_id), "
        "concern_recorded_at = (SELECT concern.recorded_at FROM concern "
        "WHERE concern.id = assessment.concern_id) "
        "WHERE concern_id IS NOT NULL"
    )
    op.create_index(
        "ix_assessment_queue",
        "assessment",
        ["organisation_id", sa.text("rank DESC"), "concern_recorded_at", "concern_id", "level"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_assessment_queue", table_name="assessment")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("concern_recorded_at")
        batch_op.drop_column("organisation_id")
