"""The complaint store: recorded complaints and the identifier vault, encrypted field by field.

Everything that identifies the member or may reveal health data is encrypted with :class:`FieldCipher`
(Fernet); identifiers also get a keyed hash so a row can be found by NIR, e-mail or conversation without
decrypting the table. The schema is created by Alembic only (``migrations/``, :func:`migrate`).

| Module | What it holds |
|---|---|
| ``tables.py`` | the tables: complaints, identifier vault, failed status checks, two outboxes, call-backs |
| ``desk_tables.py`` | the complaint desk's: accounts, sessions, events and their outbox, audit log, handoffs, notices |
| ``records.py``, ``desk_records.py`` | the values exchanged with callers (a draft, what may be read back of a complaint) |
| ``errors.py`` | the store's exceptions and the translation of driver errors |
| ``engine.py``, ``migrations.py`` | the engine (SQLite pragmas, PostgreSQL timeouts), ``alembic upgrade head`` |
| ``references.py`` | complaint references |
| ``connection.py`` | engine, sessions, cipher and key check shared by the repositories below |
| ``vault.py``, ``complaints.py``, ``callbacks.py``, ``status_checks.py``, ``retention.py`` | one repository a job |
| ``complaint_events.py``, ``desk_accounts.py``, ``audit.py``, ``handoffs.py``, ``notices.py`` | the desk's |
| ``complaint_store.py`` | :class:`ComplaintStore`, all of them on one database |

Database errors surface as :class:`StoreUnavailable` (the database cannot be reached: tell the member to retry)
or :class:`RecordingFailed`; a key that cannot read the existing rows raises :class:`KeyMismatch` at start.
"""

from recours.store.complaint_store import ComplaintStore
from recours.store.complaints import new_message_row, new_outbox_row
from recours.store.engine import create_store_engine, prepare_sqlite, secure_delete
from recours.store.desk_records import (
    AuditEntry,
    ClaimedNotice,
    DeskSession,
    DeskUser,
    EventRecord,
    EventResult,
    Handoff,
)
from recours.store.desk_tables import (
    HANDOFF_ACTIVE,
    HANDOFF_CLOSED,
    HANDOFF_EXPIRED,
    HANDOFF_WAITING,
    NOTICE_MEDIATION_OPEN,
    ROLES,
)
from recours.store.errors import KeyMismatch, RecordingFailed, StoreError, StoreUnavailable, UnknownComplaint
from recours.store.handoffs import HandoffConflict
from recours.store.migrations import ALEMBIC_INI, MIGRATIONS_DIR, migrate
from recours.store.records import (
    CallbackView,
    ComplaintDraft,
    ComplaintStatus,
    ComplaintView,
    OwnershipProof,
    PurgeCounts,
    RecordedCallback,
    RecordedComplaint,
)
from recours.store.references import (
    CALLBACK_PREFIX,
    REFERENCE_ALPHABET,
    REFERENCE_RE,
    new_reference,
    normalise_reference,
)
from recours.store.tables import (
    CALLBACK_DRAFT,
    CALLBACK_REASONS,
    CALLBACK_RECORDED,
    IDENTIFIER_KINDS,
    MESSAGE_CALLBACK,
    MESSAGE_CALLBACK_UPDATE,
    MESSAGE_COMPLAINT_UPDATE,
    MESSAGE_KINDS,
    MESSAGE_RECEIPT,
    OUTBOX_DELIVERED,
    OUTBOX_FAILED,
    OUTBOX_LOCAL,
    OUTBOX_PENDING,
    OUTBOX_STATUSES,
    STATUS_RECORDED,
    Base,
    CallbackRow,
    ComplaintRow,
    MessageOutboxRow,
    OutboxRow,
    StatusAttemptRow,
    UtcDateTime,
    VaultRow,
    metadata,
)

__all__ = [
    "ALEMBIC_INI",
    "CALLBACK_DRAFT",
    "CALLBACK_PREFIX",
    "CALLBACK_REASONS",
    "CALLBACK_RECORDED",
    "HANDOFF_ACTIVE",
    "HANDOFF_CLOSED",
    "HANDOFF_EXPIRED",
    "HANDOFF_WAITING",
    "IDENTIFIER_KINDS",
    "MESSAGE_CALLBACK",
    "MESSAGE_CALLBACK_UPDATE",
    "MESSAGE_COMPLAINT_UPDATE",
    "MESSAGE_KINDS",
    "MESSAGE_RECEIPT",
    "MIGRATIONS_DIR",
    "NOTICE_MEDIATION_OPEN",
    "OUTBOX_DELIVERED",
    "OUTBOX_FAILED",
    "OUTBOX_LOCAL",
    "OUTBOX_PENDING",
    "OUTBOX_STATUSES",
    "REFERENCE_ALPHABET",
    "REFERENCE_RE",
    "ROLES",
    "STATUS_RECORDED",
    "AuditEntry",
    "Base",
    "CallbackRow",
    "CallbackView",
    "ClaimedNotice",
    "ComplaintDraft",
    "ComplaintRow",
    "ComplaintStatus",
    "ComplaintStore",
    "ComplaintView",
    "DeskSession",
    "DeskUser",
    "EventRecord",
    "EventResult",
    "Handoff",
    "HandoffConflict",
    "KeyMismatch",
    "MessageOutboxRow",
    "OutboxRow",
    "OwnershipProof",
    "PurgeCounts",
    "RecordedCallback",
    "RecordedComplaint",
    "RecordingFailed",
    "StatusAttemptRow",
    "StoreError",
    "StoreUnavailable",
    "UnknownComplaint",
    "UtcDateTime",
    "VaultRow",
    "create_store_engine",
    "metadata",
    "migrate",
    "new_message_row",
    "new_outbox_row",
    "new_reference",
    "normalise_reference",
    "prepare_sqlite",
    "secure_delete",
]
