"""A call-back request can be cancelled by the member (issue 11: « annulez le rappel, j'appellerai moi-même »).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

``callbacks.status`` accepts "cancelled"; ``cancelled_at`` says when. Existing rows keep their status.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    with op.batch_alter_table("callbacks") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint("ck_callbacks_status", type_="check")
        batch.create_check_constraint("ck_callbacks_status", "status IN ('draft', 'recorded', 'cancelled')")


def downgrade() -> None:
    op.execute("UPDATE callbacks SET status = 'recorded' WHERE status = 'cancelled'")
    with op.batch_alter_table("callbacks") as batch:
        batch.drop_constraint("ck_callbacks_status", type_="check")
        batch.create_check_constraint("ck_callbacks_status", "status IN ('draft', 'recorded')")
        batch.drop_column("cancelled_at")
