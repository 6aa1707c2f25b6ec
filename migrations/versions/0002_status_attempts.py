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
from schema_helpers import create_index, create_table, drop_index

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    create_table(
        "status_attempts",
        sa.Column("conversation_key", sa.String(length=64), nullable=False),
        sa.Column("reference_hash", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
    )
    for column in ("conversation_key", "reference_hash", "attempted_at"):
        create_index("status_attempts", column)
    # The retention purge deletes identifiers typed in conversations that never became a complaint by age.
    create_index("identifier_vault", "updated_at")


def downgrade() -> None:
    drop_index("identifier_vault", "updated_at")
    for column in ("conversation_key", "reference_hash", "attempted_at"):
        drop_index("status_attempts", column)
    op.drop_table("status_attempts")
