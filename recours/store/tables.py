"""The complaint store's tables, as SQLAlchemy models; the schema itself is created by Alembic (migrations/).
The complaint desk's tables are in desk_tables.py, on the same metadata.

``identifier_vault`` holds, per conversation, the identifiers the member typed during the form, encrypted, so
that the clear value never has to live in a Rasa slot. ``complaints`` holds recorded complaints; recording moves
the vault's ciphertexts into the new row. ``status_attempts`` counts failed ownership checks (keyed hashes and
times only). ``backoffice_outbox`` holds each complaint's delivery to the insurer's back-office. ``callbacks`` holds
the call-back requests (a draft with the phone number while the member chooses the time, then the request), and
``message_outbox`` the other deliveries: call-backs to the back-office, e-mail receipts to members
(recours/outbox.py).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

IDENTIFIER_KINDS = ("nir", "member_number", "email", "phone")
STATUS_RECORDED = "recorded"

# Delivery states of a complaint to the insurer's back-office (recours/outbox.py). "local": recorded while
# BACKOFFICE_URL was unset, never sent unless an operator asks; "failed": refused by the back-office (4xx), kept
# for an operator with the reason.
OUTBOX_PENDING, OUTBOX_DELIVERED, OUTBOX_FAILED, OUTBOX_LOCAL = "pending", "delivered", "failed", "local"
OUTBOX_STATUSES = (OUTBOX_PENDING, OUTBOX_DELIVERED, OUTBOX_FAILED, OUTBOX_LOCAL)

# Call-back requests (recours/store/callbacks.py): a draft holds the phone number while the member chooses the time.
CALLBACK_DRAFT, CALLBACK_RECORDED, CALLBACK_CANCELLED = "draft", "recorded", "cancelled"
CALLBACK_STATUSES = (CALLBACK_DRAFT, CALLBACK_RECORDED, CALLBACK_CANCELLED)
# Why the call-back was offered: the member asked, was misunderstood twice, or described an urgency.
CALLBACK_REASONS = ("asked", "misunderstood", "coverage_terminated", "hospitalisation", "tiers_payant_refused")
# What the message outbox delivers: a call-back request to the back-office, an e-mail receipt to the member, and
# what the member changed afterwards, to the back-office (a complaint's contact; a call-back's number or its
# cancellation), numbered by ``revision``.
MESSAGE_CALLBACK, MESSAGE_RECEIPT = "callback", "receipt"
MESSAGE_COMPLAINT_UPDATE, MESSAGE_CALLBACK_UPDATE = "complaint_update", "callback_update"
MESSAGE_KINDS = (MESSAGE_CALLBACK, MESSAGE_RECEIPT, MESSAGE_COMPLAINT_UPDATE, MESSAGE_CALLBACK_UPDATE)

# Explicit constraint names, identical in the models and in migrations/versions, on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base = declarative_base(metadata=metadata)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _one_of(column: str, values: Iterable[str]) -> CheckConstraint:
    return CheckConstraint(f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")", name=column)


def delivery_table_args(table: str) -> tuple[CheckConstraint, Index]:
    """What every outbox table holds besides its columns: the status check, and the index of the delivery
    worker's query for the rows due (recours/outbox.py)."""
    return _one_of("status", OUTBOX_STATUSES), Index(f"ix_{table}_status_next_attempt_at", "status", "next_attempt_at")


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite has no time zones: store naive UTC, read back aware)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use datetime.now(timezone.utc)")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class ComplaintRow(Base):
    __tablename__ = "complaints"

    id = Column(Integer, primary_key=True)
    reference = Column(String(32), nullable=False, unique=True)
    organisation = Column(String(64), nullable=False)
    created_at = Column(UtcDateTime, nullable=False)
    sent_on = Column(Date, nullable=False)
    acknowledge_by = Column(Date)
    answer_by = Column(Date)
    status = Column(String(32), nullable=False, default=STATUS_RECORDED)
    request_kind = Column(String(32), nullable=False)
    concerned_body = Column(String(16), nullable=False)
    nature = Column(String(32), nullable=False)
    # Encrypted (Fernet tokens): anything that identifies the member or may reveal health data.
    contract_holder = Column(Text)  # the member themself for an individual contract
    member_name = Column(Text, nullable=False)
    nir = Column(Text)
    nir_hash = Column(String(64), index=True)
    member_number = Column(Text)
    member_number_hash = Column(String(64), index=True)
    email = Column(Text)
    email_hash = Column(String(64), index=True)
    phone = Column(Text)
    phone_hash = Column(String(64), index=True)
    description = Column(Text, nullable=False)
    contested_decision = Column(Text)
    # Clear: no identifying value.
    first_complaint_date = Column(Date)
    answer_received = Column(Boolean)
    court_action = Column(Boolean)
    conversation_key = Column(String(64), nullable=False, index=True)
    idempotency_key = Column(String(128), nullable=False, unique=True)
    channel = Column(String(32))
    # What the organisation did (complaint desk or its own system, recours/handling/lifecycle.py): the dates of
    # the latest acknowledged / answered / closed event and the answer's outcome; ``status`` follows them.
    acknowledged_on = Column(Date)
    answered_on = Column(Date)
    outcome = Column(String(16))
    closed_on = Column(Date)


# The columns of ComplaintRow holding Fernet tokens.
ENCRYPTED_COLUMNS = frozenset(
    {"contract_holder", "member_name", "nir", "member_number", "email", "phone", "description", "contested_decision"}
)


class VaultRow(Base):
    __tablename__ = "identifier_vault"
    __table_args__ = (
        UniqueConstraint("conversation_key", "kind", name="uq_identifier_vault_conversation_key_kind"),
        _one_of("kind", IDENTIFIER_KINDS),
    )

    id = Column(Integer, primary_key=True)
    conversation_key = Column(String(64), nullable=False)
    kind = Column(String(16), nullable=False)
    ciphertext = Column(Text, nullable=False)
    value_hash = Column(String(64), nullable=False)
    updated_at = Column(UtcDateTime, nullable=False, index=True)


class StatusAttemptRow(Base):
    """A failed "is this complaint yours?" check: keyed hashes of the conversation and of the reference typed."""

    __tablename__ = "status_attempts"

    id = Column(Integer, primary_key=True)
    conversation_key = Column(String(64), nullable=False, index=True)
    reference_hash = Column(String(64), nullable=False, index=True)
    attempted_at = Column(UtcDateTime, nullable=False, index=True)


class DeliveryState:
    """The delivery worker's state of one row of an outbox (attempts, next attempt, claim, last error), kept in the
    row so that retries survive restarts (recours/outbox.py)."""

    status = Column(String(16), nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(UtcDateTime, nullable=False)
    next_attempt_at = Column(UtcDateTime, nullable=False)
    claimed_until = Column(UtcDateTime)
    claim_token = Column(String(64))
    last_attempt_at = Column(UtcDateTime)
    last_status = Column(Integer)  # HTTP or SMTP code of the last attempt, None for a timeout or connection error
    last_error = Column(Text)  # short reason, never the payload
    delivered_at = Column(UtcDateTime)


class OutboxRow(DeliveryState, Base):
    """One complaint to forward to the back-office, written in the transaction that records the complaint.

    No personal data: the payload is built from the complaint row at delivery time.
    """

    __tablename__ = "backoffice_outbox"
    __table_args__ = delivery_table_args(__tablename__)

    id = Column(Integer, primary_key=True)
    complaint_id = Column(
        Integer, ForeignKey("complaints.id", name="fk_backoffice_outbox_complaint_id", ondelete="CASCADE"),
        nullable=False, unique=True,
    )
    reference = Column(String(32), nullable=False, unique=True)


class CallbackRow(Base):
    """A call-back request: a ``draft`` holds the phone number (encrypted) while the member chooses the time, then
    recording gives it a reference, its window and its delivery to the back-office, in one transaction."""

    __tablename__ = "callbacks"
    __table_args__ = (_one_of("status", CALLBACK_STATUSES), _one_of("reason", CALLBACK_REASONS))

    id = Column(Integer, primary_key=True)
    reference = Column(String(32), unique=True)  # RAP-2026-XXXXXX once recorded
    organisation = Column(String(64), nullable=False)
    conversation_key = Column(String(64), nullable=False, index=True)
    status = Column(String(16), nullable=False)
    created_at = Column(UtcDateTime, nullable=False, index=True)
    recorded_at = Column(UtcDateTime)
    window_start = Column(UtcDateTime)
    window_end = Column(UtcDateTime)
    phone = Column(Text, nullable=False)  # Fernet token
    phone_hash = Column(String(64), nullable=False, index=True)
    complaint_reference = Column(String(32))  # the complaint recorded in the conversation, if any
    reason = Column(String(32), nullable=False)
    channel = Column(String(32))
    idempotency_key = Column(String(128), unique=True)
    cancelled_at = Column(UtcDateTime)  # the member cancelled it (status "cancelled")


class MessageOutboxRow(DeliveryState, Base):
    """A delivery other than a complaint's: a call-back to the back-office, a complaint's e-mail receipt, or a
    change the member made afterwards (``revision`` 1, 2…: one row per change).

    Written in the transaction that records the call-back, the complaint or the change; no personal data (built at
    delivery time from the callbacks or complaints row).
    """

    __tablename__ = "message_outbox"
    __table_args__ = (
        _one_of("kind", MESSAGE_KINDS),
        UniqueConstraint("kind", "reference", "revision", name="uq_message_outbox_kind_reference_revision"),
        *delivery_table_args(__tablename__),
    )

    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False)
    reference = Column(String(32), nullable=False)  # the call-back's or the complaint's
    revision = Column(Integer, nullable=False, default=0, server_default="0")  # 0 first delivery, n the n-th change
    complaint_id = Column(
        Integer, ForeignKey("complaints.id", name="fk_message_outbox_complaint_id", ondelete="CASCADE"), index=True
    )
    callback_id = Column(
        Integer, ForeignKey("callbacks.id", name="fk_message_outbox_callback_id", ondelete="CASCADE"), index=True
    )
