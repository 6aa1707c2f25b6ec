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

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _delivery_state() -> list[sa.Column]:
    return [
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
    ]


def upgrade() -> None:
    op.create_table(
        "callbacks",
        sa.Column("id", sa.Integer(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name="pk_callbacks"),
        sa.UniqueConstraint("reference", name="uq_callbacks_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_callbacks_idempotency_key"),
        sa.CheckConstraint("status IN ('draft', 'recorded')", name="ck_callbacks_status"),
        sa.CheckConstraint(
            "reason IN ('asked', 'misunderstood', 'coverage_terminated', 'hospitalisation', 'tiers_payant_refused')",
            name="ck_callbacks_reason",
        ),
    )
    for column in ("conversation_key", "created_at", "phone_hash"):
        op.create_index(f"ix_callbacks_{column}", "callbacks", [column])
    op.create_table(
        "message_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("callback_id", sa.Integer(), nullable=True),
        *_delivery_state(),
        sa.PrimaryKeyConstraint("id", name="pk_message_outbox"),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name="fk_message_outbox_complaint_id", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["callback_id"], ["callbacks.id"], name="fk_message_outbox_callback_id", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("kind", "reference", name="uq_message_outbox_kind_reference"),
        sa.CheckConstraint("kind IN ('callback', 'receipt')", name="ck_message_outbox_kind"),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'failed', 'local')", name="ck_message_outbox_status"
        ),
    )
    op.create_index("ix_message_outbox_status_next_attempt_at", "message_outbox", ["status", "next_attempt_at"])
    op.create_index("ix_message_outbox_complaint_id", "message_outbox", ["complaint_id"])
    op.create_index("ix_message_outbox_callback_id", "message_outbox", ["callback_id"])


def downgrade() -> None:
    for name in ("callback_id", "complaint_id", "status_next_attempt_at"):
        op.drop_index(f"ix_message_outbox_{name}", table_name="message_outbox")
    op.drop_table("message_outbox")
    for column in ("conversation_key", "created_at", "phone_hash"):
        op.drop_index(f"ix_callbacks_{column}", table_name="callbacks")
    op.drop_table("callbacks")
