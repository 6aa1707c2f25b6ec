"""What the member changes after recording reaches the back-office too (issue 11: « mon numéro a changé »,
« annulez le rappel »).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

``message_outbox`` delivers two more kinds: ``complaint_update`` (a complaint's contact changed) and
``callback_update`` (a call-back's number changed, or the call-back cancelled). A reference can have several
changes: ``revision`` numbers them (0 for the first delivery of a call-back or a receipt, 1, 2… for the changes),
and the unique constraint becomes (kind, reference, revision). Existing rows get revision 0.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("message_outbox") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        batch.drop_constraint("uq_message_outbox_kind_reference", type_="unique")
        batch.create_unique_constraint("uq_message_outbox_kind_reference_revision", ["kind", "reference", "revision"])
        batch.drop_constraint("ck_message_outbox_kind", type_="check")
        batch.create_check_constraint(
            "ck_message_outbox_kind", "kind IN ('callback', 'receipt', 'complaint_update', 'callback_update')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM message_outbox WHERE kind IN ('complaint_update', 'callback_update')")
    with op.batch_alter_table("message_outbox") as batch:
        batch.drop_constraint("ck_message_outbox_kind", type_="check")
        batch.create_check_constraint("ck_message_outbox_kind", "kind IN ('callback', 'receipt')")
        batch.drop_constraint("uq_message_outbox_kind_reference_revision", type_="unique")
        batch.create_unique_constraint("uq_message_outbox_kind_reference", ["kind", "reference"])
        batch.drop_column("revision")
