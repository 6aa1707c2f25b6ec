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

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_DELIVERY_COLUMNS = (
    ("status", sa.String(length=16), False),
    ("attempts", sa.Integer(), False),
    ("created_at", sa.DateTime(timezone=True), False),
    ("next_attempt_at", sa.DateTime(timezone=True), False),
    ("claimed_until", sa.DateTime(timezone=True), True),
    ("claim_token", sa.String(length=64), True),
    ("last_attempt_at", sa.DateTime(timezone=True), True),
    ("last_status", sa.Integer(), True),
    ("last_error", sa.Text(), True),
    ("delivered_at", sa.DateTime(timezone=True), True),
)


def _check(table: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=f"ck_{table}_{column}")


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("acknowledged_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("answered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))

    op.create_table(
        "desk_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_desk_users"),
        sa.UniqueConstraint("login", name="uq_desk_users_login"),
        _check("desk_users", "role", ("handler", "supervisor")),
    )
    op.create_table(
        "desk_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_desk_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_desk_sessions_token_hash"),
        sa.ForeignKeyConstraint(["user_id"], ["desk_users.id"], name="fk_desk_sessions_user_id", ondelete="CASCADE"),
    )
    op.create_index("ix_desk_sessions_user_id", "desk_sessions", ["user_id"])
    op.create_index("ix_desk_sessions_last_seen_at", "desk_sessions", ["last_seen_at"])
    op.create_table(
        "desk_login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login_hash", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_desk_login_failures"),
    )
    op.create_index("ix_desk_login_failures_login_hash", "desk_login_failures", ["login_hash"])
    op.create_index("ix_desk_login_failures_failed_at", "desk_login_failures", ["failed_at"])

    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_complaint_events"),
        sa.UniqueConstraint("event_id", name="uq_complaint_events_event_id"),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name="fk_complaint_events_complaint_id", ondelete="CASCADE"
        ),
        _check("complaint_events", "status", ("acknowledged", "answered", "closed")),
        _check("complaint_events", "source", ("desk", "backoffice")),
        _check("complaint_events", "outcome", ("upheld", "partly_upheld", "rejected")),
    )
    op.create_index("ix_complaint_events_complaint_id", "complaint_events", ["complaint_id"])
    op.create_table(
        "event_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_row_id", sa.Integer(), nullable=False),
        *(sa.Column(name, kind, nullable=nullable) for name, kind, nullable in _DELIVERY_COLUMNS),
        sa.PrimaryKeyConstraint("id", name="pk_event_outbox"),
        sa.UniqueConstraint("event_row_id", name="uq_event_outbox_event_row_id"),
        sa.ForeignKeyConstraint(
            ["event_row_id"], ["complaint_events.id"], name="fk_event_outbox_event_row_id", ondelete="CASCADE"
        ),
        _check("event_outbox", "status", ("pending", "delivered", "failed", "local")),
    )
    op.create_index("ix_event_outbox_status_next_attempt_at", "event_outbox", ["status", "next_attempt_at"])

    op.create_table(
        "desk_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_desk_audit_log"),
    )
    op.create_index("ix_desk_audit_log_at", "desk_audit_log", ["at"])
    op.create_index("ix_desk_audit_log_reference", "desk_audit_log", ["reference"])

    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
        sa.UniqueConstraint("public_id", name="uq_handoffs_public_id"),
        sa.ForeignKeyConstraint(["taken_by"], ["desk_users.id"], name="fk_handoffs_taken_by", ondelete="SET NULL"),
        _check("handoffs", "status", ("waiting", "active", "closed", "expired")),
    )
    op.create_index("ix_handoffs_conversation_key", "handoffs", ["conversation_key"])
    op.create_index("ix_handoffs_status", "handoffs", ["status"])

    op.create_table(
        "member_notices",
        sa.Column("id", sa.Integer(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name="pk_member_notices"),
        sa.UniqueConstraint("complaint_id", "kind", name="uq_member_notices_complaint_id_kind"),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name="fk_member_notices_complaint_id", ondelete="CASCADE"
        ),
        _check("member_notices", "kind", ("mediation_open",)),
        _check("member_notices", "status", ("pending", "sent", "failed", "no_address", "cancelled")),
    )
    op.create_index("ix_member_notices_status_next_attempt_at", "member_notices", ["status", "next_attempt_at"])


def downgrade() -> None:
    for table in ("member_notices", "handoffs", "desk_audit_log", "event_outbox", "complaint_events",
                  "desk_login_failures", "desk_sessions", "desk_users"):
        op.drop_table(table)
    with op.batch_alter_table("complaints") as batch:
        for column in ("closed_on", "outcome", "answered_on", "acknowledged_on"):
            batch.drop_column(column)
