"""Failed attempts at checking a complaint's status.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

One row per failed ownership check ("Où en est ma réclamation ?"), so that the limit on attempts survives a
restart of the action server and holds across conversations. Nothing in clear: the conversation and the
reference typed are keyed hashes (recours.crypto), the time is what the limit counts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_key", sa.String(length=64), nullable=False),
        sa.Column("reference_hash", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_status_attempts"),
    )
    for column in ("conversation_key", "reference_hash", "attempted_at"):
        op.create_index(f"ix_status_attempts_{column}", "status_attempts", [column])
    # The retention purge deletes identifiers typed in conversations that never became a complaint by age.
    op.create_index("ix_identifier_vault_updated_at", "identifier_vault", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_identifier_vault_updated_at", table_name="identifier_vault")
    for column in ("conversation_key", "reference_hash", "attempted_at"):
        op.drop_index(f"ix_status_attempts_{column}", table_name="status_attempts")
    op.drop_table("status_attempts")
