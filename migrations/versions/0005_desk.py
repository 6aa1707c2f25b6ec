"""The complaint desk: handlers, sessions, events on complaints and their delivery, audit log, handoffs, notices.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The complaint row gets the dates of the organisation's events (acknowledged_on, answered_on, closed_on) and the
answer's outcome; existing complaints keep "recorded" and no date. Table by table, see recours/store/desk_tables.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from schema_helpers import create_index, create_table, delivery_state, foreign_key, one_of, unique

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("acknowledged_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("answered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))

    create_table(
        "desk_users",
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        unique("desk_users", "login"),
        one_of("desk_users", "role", ("handler", "supervisor")),
    )
    create_table(
        "desk_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        unique("desk_sessions", "token_hash"),
        foreign_key("desk_sessions", "user_id", "desk_users.id", ondelete="CASCADE"),
    )
    create_index("desk_sessions", "user_id")
    create_index("desk_sessions", "last_seen_at")
    create_table(
        "desk_login_failures",
        sa.Column("login_hash", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    create_index("desk_login_failures", "login_hash")
    create_index("desk_login_failures", "failed_at")

    create_table(
        "complaint_events",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        unique("complaint_events", "event_id"),
        foreign_key("complaint_events", "complaint_id", "complaints.id", ondelete="CASCADE"),
        one_of("complaint_events", "status", ("acknowledged", "answered", "closed")),
        one_of("complaint_events", "source", ("desk", "backoffice")),
        one_of("complaint_events", "outcome", ("upheld", "partly_upheld", "rejected")),
    )
    create_index("complaint_events", "complaint_id")
    create_table(
        "event_outbox",
        sa.Column("event_row_id", sa.Integer(), nullable=False),
        *delivery_state(),
        unique("event_outbox", "event_row_id"),
        foreign_key("event_outbox", "event_row_id", "complaint_events.id", ondelete="CASCADE"),
        one_of("event_outbox", "status", ("pending", "delivered", "failed", "local")),
    )
    create_index("event_outbox", "status", "next_attempt_at")

    create_table(
        "desk_audit_log",
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
    )
    create_index("desk_audit_log", "at")
    create_index("desk_audit_log", "reference")

    create_table(
        "handoffs",
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("conversation_key", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("complaint_reference", sa.String(length=32), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("taken_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        unique("handoffs", "public_id"),
        foreign_key("handoffs", "taken_by", "desk_users.id", ondelete="SET NULL"),
        one_of("handoffs", "status", ("waiting", "active", "closed", "expired")),
    )
    create_index("handoffs", "conversation_key")
    create_index("handoffs", "status")

    create_table(
        "member_notices",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        unique("member_notices", "complaint_id", "kind"),
        foreign_key("member_notices", "complaint_id", "complaints.id", ondelete="CASCADE"),
        one_of("member_notices", "kind", ("mediation_open",)),
        one_of("member_notices", "status", ("pending", "sent", "failed", "no_address", "cancelled")),
    )
    create_index("member_notices", "status", "next_attempt_at")


def downgrade() -> None:
    for table in ("member_notices", "handoffs", "desk_audit_log", "event_outbox", "complaint_events",
                  "desk_login_failures", "desk_sessions", "desk_users"):
        op.drop_table(table)
    with op.batch_alter_table("complaints") as batch:
        for column in ("closed_on", "outcome", "answered_on", "acknowledged_on"):
            batch.drop_column(column)
