"""audit events naming several young people: an index of whom each concerns

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 02:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_event_young_person",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["audit_event.id"]),
        sa.PrimaryKeyConstraint("event_id", "young_person_id"),
    )
    with op.batch_alter_table("audit_event_young_person", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_event_young_person_young_person_id"),
            ["young_person_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_event_young_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_young_person_young_person_id"))
    op.drop_table("audit_event_young_person")
