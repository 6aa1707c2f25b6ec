"""Back-office outbox: one delivery per recorded complaint.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Written in the transaction that records the complaint (recours.store.record_complaint), read by the delivery
worker (recours/outbox.py). Complaints recorded before this revision get a "local" row: they were never meant to
be forwarded, and an operator can still send one with ``python -m ops outbox retry --reference R``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from schema_helpers import create_index, create_table, delivery_state, drop_index, foreign_key, one_of, unique

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    create_table(
        "backoffice_outbox",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        *delivery_state(),
        foreign_key("backoffice_outbox", "complaint_id", "complaints.id", ondelete="CASCADE"),
        unique("backoffice_outbox", "complaint_id"),
        unique("backoffice_outbox", "reference"),
        one_of("backoffice_outbox", "status", ("pending", "delivered", "failed", "local")),
    )
    create_index("backoffice_outbox", "status", "next_attempt_at")
    # Complaints recorded before the outbox existed: kept local (see the docstring).
    op.execute(
        "INSERT INTO backoffice_outbox (complaint_id, reference, status, attempts, created_at, next_attempt_at) "
        "SELECT id, reference, 'local', 0, created_at, created_at FROM complaints"
    )


def downgrade() -> None:
    drop_index("backoffice_outbox", "status", "next_attempt_at")
    op.drop_table("backoffice_outbox")
