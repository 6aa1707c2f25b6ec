"""The complaint desk's tables (issue 14), on the store's metadata; created by migrations/versions/0005_desk.py.

- ``desk_users``, ``desk_sessions``, ``desk_login_failures``: handlers and supervisors (argon2id hashes, never
  a password), their sessions (a SHA-256 of the cookie's token, never the token) and failed sign-ins (a keyed
  hash of the login tried, for the lock-out).
- ``complaint_events``: what the organisation did with a complaint (acknowledged, answered, closed), from the
  desk or from its own system; the note is encrypted. ``event_outbox`` holds each desk event's delivery to the
  back-office, written in the event's transaction (as ``backoffice_outbox`` is for complaints).
- ``desk_audit_log``: who did what, when (sign-in, « Révéler », events, exports, handoffs), never a value.
- ``handoffs``: conversations waiting for, or taken over by, a person. The Rasa sender id is encrypted and is
  erased when the conversation is handed back.
- ``member_notices``: what the member must be told without asking — for now, that the answer deadline passed
  with no answer, so the mediator can be referred to (the e-mail is built when it is sent; no address here).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint

from recours.handling.lifecycle import EVENT_STATUSES, OUTCOMES
from recours.store.tables import Base, DeliveryState, UtcDateTime, _one_of, delivery_table_args

ROLES = ("handler", "supervisor")
EVENT_SOURCES = ("desk", "backoffice")
HANDOFF_WAITING, HANDOFF_ACTIVE, HANDOFF_CLOSED, HANDOFF_EXPIRED = "waiting", "active", "closed", "expired"
HANDOFF_STATUSES = (HANDOFF_WAITING, HANDOFF_ACTIVE, HANDOFF_CLOSED, HANDOFF_EXPIRED)
NOTICE_MEDIATION_OPEN = "mediation_open"
NOTICE_KINDS = (NOTICE_MEDIATION_OPEN,)
# "no_address": the member gave no e-mail address (the status check still tells them); "cancelled": the answer
# was recorded before the notice went out.
NOTICE_PENDING, NOTICE_SENT, NOTICE_FAILED = "pending", "sent", "failed"
NOTICE_NO_ADDRESS, NOTICE_CANCELLED = "no_address", "cancelled"
NOTICE_STATUSES = (NOTICE_PENDING, NOTICE_SENT, NOTICE_FAILED, NOTICE_NO_ADDRESS, NOTICE_CANCELLED)


def _fk(target: str, table: str, column: str, ondelete: str = "CASCADE") -> ForeignKey:
    return ForeignKey(target, name=f"fk_{table}_{column}", ondelete=ondelete)


class DeskUserRow(Base):
    __tablename__ = "desk_users"
    __table_args__ = (_one_of("role", ROLES),)

    id = Column(Integer, primary_key=True)
    login = Column(String(64), nullable=False, unique=True)
    password_hash = Column(Text, nullable=False)  # argon2id, with its own salt and parameters
    role = Column(String(16), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UtcDateTime, nullable=False)
    password_changed_at = Column(UtcDateTime, nullable=False)


class DeskSessionRow(Base):
    __tablename__ = "desk_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, _fk("desk_users.id", "desk_sessions", "user_id"), nullable=False, index=True)
    created_at = Column(UtcDateTime, nullable=False)
    last_seen_at = Column(UtcDateTime, nullable=False, index=True)  # the handler's last action (idle expiry)
    available = Column(Boolean, nullable=False, default=False)  # takes live conversations


class LoginFailureRow(Base):
    __tablename__ = "desk_login_failures"

    id = Column(Integer, primary_key=True)
    login_hash = Column(String(64), nullable=False, index=True)
    failed_at = Column(UtcDateTime, nullable=False, index=True)


class ComplaintEventRow(Base):
    __tablename__ = "complaint_events"
    __table_args__ = (
        _one_of("status", EVENT_STATUSES),
        _one_of("source", EVENT_SOURCES),
        _one_of("outcome", OUTCOMES),
    )

    id = Column(Integer, primary_key=True)
    complaint_id = Column(Integer, _fk("complaints.id", "complaint_events", "complaint_id"), nullable=False, index=True)
    event_id = Column(String(64), nullable=False, unique=True)  # idempotency: the back-office's, or a UUID
    status = Column(String(16), nullable=False)
    on_date = Column(Date, nullable=False)
    outcome = Column(String(16))
    note = Column(Text)  # encrypted (Fernet): free text
    actor = Column(String(64), nullable=False)  # the handler's login, or "backoffice"
    source = Column(String(16), nullable=False)
    recorded_at = Column(UtcDateTime, nullable=False)


class EventOutboxRow(DeliveryState, Base):
    """One desk event to forward to the back-office (recours/handling/event_delivery.py)."""

    __tablename__ = "event_outbox"
    __table_args__ = delivery_table_args(__tablename__)

    id = Column(Integer, primary_key=True)
    event_row_id = Column(
        Integer, _fk("complaint_events.id", "event_outbox", "event_row_id"), nullable=False, unique=True
    )


class AuditRow(Base):
    __tablename__ = "desk_audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(UtcDateTime, nullable=False, index=True)
    actor = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    reference = Column(String(32), index=True)
    detail = Column(String(200))  # what, never a value: "acknowledged 2026-11-23", "role=handler"


class HandoffRow(Base):
    __tablename__ = "handoffs"
    __table_args__ = (_one_of("status", HANDOFF_STATUSES),)

    id = Column(Integer, primary_key=True)
    public_id = Column(String(32), nullable=False, unique=True)  # random: the desk's URLs
    conversation_key = Column(String(64), nullable=False, index=True)
    sender = Column(Text)  # encrypted Rasa sender id, erased when the conversation is handed back
    channel = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, index=True)
    complaint_reference = Column(String(32))
    requested_at = Column(UtcDateTime, nullable=False)
    taken_at = Column(UtcDateTime)
    taken_by = Column(Integer, _fk("desk_users.id", "handoffs", "taken_by", ondelete="SET NULL"))
    closed_at = Column(UtcDateTime)


class MemberNoticeRow(Base):
    __tablename__ = "member_notices"
    __table_args__ = (
        UniqueConstraint("complaint_id", "kind", name="uq_member_notices_complaint_id_kind"),
        _one_of("kind", NOTICE_KINDS),
        _one_of("status", NOTICE_STATUSES),
        Index("ix_member_notices_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id = Column(Integer, primary_key=True)
    complaint_id = Column(Integer, _fk("complaints.id", "member_notices", "complaint_id"), nullable=False)
    reference = Column(String(32), nullable=False)
    kind = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False)
    created_at = Column(UtcDateTime, nullable=False)
    next_attempt_at = Column(UtcDateTime, nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    claimed_until = Column(UtcDateTime)
    claim_token = Column(String(64))
    sent_at = Column(UtcDateTime)
    last_error = Column(Text)  # short reason, never an address
