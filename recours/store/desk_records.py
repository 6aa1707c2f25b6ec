"""The values the complaint desk's repositories exchange with their callers (no row objects leave the store)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from recours.store.records import ComplaintStatus


@dataclass(frozen=True)
class DeskUser:
    id: int
    login: str
    role: str  # "handler" or "supervisor"
    active: bool


@dataclass(frozen=True)
class DeskSession:
    id: int
    user: DeskUser
    created_at: datetime
    last_seen_at: datetime
    available: bool


@dataclass(frozen=True)
class EventRecord:
    """One event on a complaint, note decrypted (for the desk's history)."""

    event_id: str
    status: str
    on: date
    outcome: str | None
    note: str | None
    actor: str
    source: str
    recorded_at: datetime


@dataclass(frozen=True)
class EventResult:
    """What recording an event did: the complaint afterwards, the event, and whether it was already recorded
    under this event id (nothing new written)."""

    complaint: ComplaintStatus
    event: EventRecord
    reference: str
    duplicate: bool


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    reference: str | None
    detail: str | None


@dataclass(frozen=True)
class Handoff:
    """A conversation waiting for a person, or taken over by one. ``sender`` (the Rasa sender id, decrypted) is
    only filled where the caller needs to reach the conversation."""

    public_id: str
    channel: str
    status: str
    complaint_reference: str | None
    requested_at: datetime
    taken_at: datetime | None
    taken_by: str | None  # the handler's login
    closed_at: datetime | None
    conversation_key: str
    sender: str | None = None


@dataclass(frozen=True)
class ClaimedNotice:
    """A notice claimed for sending: its row, the claim's token, and the complaint it is about."""

    notice_id: int
    token: str
    kind: str
    attempts: int
    complaint: ComplaintStatus
    email: str | None
