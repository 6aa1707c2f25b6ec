"""The values the store exchanges with its callers: a complaint to record, and what they may read back of one.

Each record is read from a :class:`ComplaintRow` by field name (:func:`clear_fields`): only the columns kept in
clear are copied as they are; encrypted ones are decrypted by the repository, for the records that may show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Mapping

from recours.store.tables import ENCRYPTED_COLUMNS, IDENTIFIER_KINDS, ComplaintRow


@dataclass(frozen=True)
class ComplaintDraft:
    """Everything a complaint needs except the identifiers, which come from the vault of ``conversation_key``.

    ``identifiers`` (kind -> clear value) is for callers without a vault (imports, tests); a value given here
    replaces the vault's value of the same kind. Deadlines are computed by the caller (recours.deadlines).
    """

    organisation: str
    conversation_key: str
    member_name: str
    description: str
    nature: str
    sent_on: date
    acknowledge_by: date | None = None
    answer_by: date | None = None
    request_kind: str = "complaint"
    concerned_body: str = "insurer"
    contract_holder: str | None = None
    contested_decision: str | None = None
    first_complaint_date: date | None = None
    answer_received: bool | None = None
    court_action: bool | None = None
    channel: str | None = None
    identifiers: Mapping[str, str] = field(default_factory=dict)
    # The member has neither a NIR nor a member number at hand (no Vitale card, no member card): the organisation
    # identifies them by name and contact; only then may a complaint be recorded without an identifier.
    identifier_withheld: bool = False

    def __post_init__(self) -> None:
        for name in ("organisation", "conversation_key", "member_name", "description", "nature"):
            if not str(getattr(self, name) or "").strip():
                raise ValueError(f"ComplaintDraft.{name} is required")
        unknown = set(self.identifiers) - set(IDENTIFIER_KINDS)
        if unknown:
            raise ValueError(f"unknown identifier kinds: {sorted(unknown)}")


@dataclass(frozen=True)
class RecordedComplaint:
    reference: str
    created_at: datetime
    sent_on: date
    acknowledge_by: date | None
    answer_by: date | None
    status: str
    newly_recorded: bool  # False: this idempotency key had already been recorded, nothing new was written
    email_masked: str | None
    phone_masked: str | None


@dataclass(frozen=True)
class _ComplaintHeading:
    """What every reading of a recorded complaint starts with: whose, when, and where it stands."""

    reference: str
    organisation: str
    created_at: datetime
    sent_on: date
    acknowledge_by: date | None
    answer_by: date | None
    status: str


@dataclass(frozen=True)
class ComplaintView(_ComplaintHeading):
    """A complaint decrypted, for an operator (never for a member who has not proved who they are)."""

    request_kind: str
    concerned_body: str
    nature: str
    contract_holder: str | None
    member_name: str
    nir: str | None
    member_number: str | None
    email: str | None
    phone: str | None
    description: str
    contested_decision: str | None
    first_complaint_date: date | None
    answer_received: bool | None
    court_action: bool | None
    conversation_key: str
    channel: str | None
    acknowledged_on: date | None = None
    answered_on: date | None = None
    outcome: str | None = None
    closed_on: date | None = None


@dataclass(frozen=True)
class ComplaintStatus(_ComplaintHeading):
    """What a member who proved a complaint is theirs may read about it: no identifier, no free text. Also what
    the complaint desk lists, and the register's rows."""

    nature: str
    first_complaint_date: date | None
    answer_received: bool | None
    court_action: bool | None
    # What the organisation recorded (recours/handling/lifecycle.py), and where the complaint came from.
    acknowledged_on: date | None = None
    answered_on: date | None = None
    outcome: str | None = None
    closed_on: date | None = None
    channel: str | None = None


@dataclass(frozen=True)
class OwnershipProof:
    """What the member answers to "is it yours?": the last characters of the NIR or member number (``last4``),
    or the e-mail address or phone number (E.164) given in the complaint. Parsed by recours.privacy."""

    kind: str  # "last4", "email" or "phone"
    value: str


@dataclass(frozen=True)
class PurgeCounts:
    vault_rows: int
    status_attempts: int
    callback_drafts: int = 0  # phone numbers given for a call-back that was never requested


@dataclass(frozen=True)
class RecordedCallback:
    """A call-back request once recorded: what the member is told (the phone number masked)."""

    reference: str
    window_start: datetime
    window_end: datetime
    phone_masked: str
    complaint_reference: str | None
    newly_recorded: bool
    cancelled: bool = False


@dataclass(frozen=True)
class CallbackView:
    """A call-back request decrypted, for its delivery to the back-office."""

    reference: str
    organisation: str
    recorded_at: datetime
    window_start: datetime
    window_end: datetime
    phone: str
    complaint_reference: str | None
    reason: str
    channel: str | None
    status: str = "recorded"  # or "cancelled" by the member
    cancelled_at: datetime | None = None


def clear_fields(row: ComplaintRow, record: type) -> dict[str, Any]:
    """The fields of the dataclass ``record`` that are columns of ``row`` kept in clear, by name."""
    columns = ComplaintRow.__table__.columns
    return {
        name: getattr(row, name)
        for name in (f.name for f in fields(record))
        if name in columns and name not in ENCRYPTED_COLUMNS
    }


def complaint_status(row: ComplaintRow) -> ComplaintStatus:
    return ComplaintStatus(**clear_fields(row, ComplaintStatus))
