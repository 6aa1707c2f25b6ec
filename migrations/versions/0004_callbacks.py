"""Call-back requests, and the outbox of call-backs and e-mail receipts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

``callbacks``: a member's request to be called back (issue 13) — a draft holding the phone number (encrypted)
while the time is chosen, then the request with its reference and window. ``message_outbox``: the deliveries that
are not a complaint's — a call-back to the back-office, a complaint's e-mail receipt to the member — with the same
delivery state as ``backoffice_outbox`` (recours/outbox.py). Complaints recorded before this revision get no
receipt: none was promised to them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from schema_helpers import create_index, create_table, delivery_state, drop_index, foreign_key, one_of, unique

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    create_table(
        "callbacks",
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("organisation", sa.String(length=64), nullable=False),
        sa.Column("conversation_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("complaint_reference", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("idempotency_key", sa.String(length=128), nullable=True),
        unique("callbacks", "reference"),
        unique("callbacks", "idempotency_key"),
        one_of("callbacks", "status", ("draft", "recorded")),
        one_of(
            "callbacks",
            "reason",
            ("asked", "misunderstood", "coverage_terminated", "hospitalisation", "tiers_payant_refused"),
        ),
    )
    for column in ("conversation_key", "created_at", "phone_hash"):
        create_index("callbacks", column)
    create_table(
        "message_outbox",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("callback_id", sa.Integer(), nullable=True),
        *delivery_state(),
        foreign_key("message_outbox", "complaint_id", "complaints.id", ondelete="CASCADE"),
        foreign_key("message_outbox", "callback_id", "callbacks.id", ondelete="CASCADE"),
        unique("message_outbox", "kind", "reference"),
        one_of("message_outbox", "kind", ("callback", "receipt")),
        one_of("message_outbox", "status", ("pending", "delivered", "failed", "local")),
    )
    create_index("message_outbox", "status", "next_attempt_at")
    create_index("message_outbox", "complaint_id")
    create_index("message_outbox", "callback_id")


def downgrade() -> None:
    drop_index("message_outbox", "callback_id")
    drop_index("message_outbox", "complaint_id")
    drop_index("message_outbox", "status", "next_attempt_at")
    op.drop_table("message_outbox")
    for column in ("conversation_key", "created_at", "phone_hash"):
        drop_index("callbacks", column)
    op.drop_table("callbacks")
