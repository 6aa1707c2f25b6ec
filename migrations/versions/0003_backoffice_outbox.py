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

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "backoffice_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=64), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_backoffice_outbox"),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name="fk_backoffice_outbox_complaint_id", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("complaint_id", name="uq_backoffice_outbox_complaint_id"),
        sa.UniqueConstraint("reference", name="uq_backoffice_outbox_reference"),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'failed', 'local')", name="ck_backoffice_outbox_status"
        ),
    )
    op.create_index(
        "ix_backoffice_outbox_status_next_attempt_at", "backoffice_outbox", ["status", "next_attempt_at"]
    )
    # Complaints recorded before the outbox existed: kept local (see the docstring).
    op.execute(
        "INSERT INTO backoffice_outbox (complaint_id, reference, status, attempts, created_at, next_attempt_at) "
        "SELECT id, reference, 'local', 0, created_at, created_at FROM complaints"
    )


def downgrade() -> None:
    op.drop_index("ix_backoffice_outbox_status_next_attempt_at", table_name="backoffice_outbox")
    op.drop_table("backoffice_outbox")
