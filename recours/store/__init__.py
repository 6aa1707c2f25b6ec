"""The complaint store: recorded complaints and the identifier vault, encrypted field by field.

Everything that identifies the member or may reveal health data is encrypted with :class:`FieldCipher`
(Fernet); identifiers also get a keyed hash so a row can be found by NIR, e-mail or conversation without
decrypting the table. The schema is created by Alembic only (``migrations/``, :func:`migrate`).

| Module | What it holds |
|---|---|
| ``tables.py`` | the four tables: complaints, identifier vault, failed status checks, back-office outbox |
| ``desk_tables.py`` | the complaint desk's: accounts, sessions, events and their outbox, audit log, handoffs, notices |
| ``records.py``, ``desk_records.py`` | the values exchanged with callers (a draft, what may be read back of a complaint) |
| ``errors.py`` | the store's exceptions and the translation of driver errors |
| ``engine.py``, ``migrations.py`` | the engine (SQLite pragmas, PostgreSQL timeouts), ``alembic upgrade head`` |
| ``references.py`` | complaint references |
| ``connection.py`` | engine, sessions, cipher and key check shared by the repositories below |
| ``vault.py``, ``complaints.py``, ``status_checks.py``, ``retention.py`` | one repository a job |
| ``complaint_events.py``, ``desk_accounts.py``, ``audit.py``, ``handoffs.py``, ``notices.py`` | the desk's |
| ``complaint_store.py`` | :class:`ComplaintStore`, all of them on one database |

Database errors surface as :class:`StoreUnavailable` (the database cannot be reached: tell the member to retry)
or :class:`RecordingFailed`; a key that cannot read the existing rows raises :class:`KeyMismatch` at start.
"""

from recours.store.complaint_store import ComplaintStore
from recours.store.complaints import new_outbox_row
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
    ComplaintDraft,
    ComplaintStatus,
    ComplaintView,
    OwnershipProof,
    PurgeCounts,
    RecordedComplaint,
)
from recours.store.references import REFERENCE_ALPHABET, REFERENCE_RE, new_reference, normalise_reference
from recours.store.tables import (
    IDENTIFIER_KINDS,
    OUTBOX_DELIVERED,
    OUTBOX_FAILED,
    OUTBOX_LOCAL,
    OUTBOX_PENDING,
    OUTBOX_STATUSES,
    STATUS_RECORDED,
    Base,
    ComplaintRow,
    OutboxRow,
    StatusAttemptRow,
    UtcDateTime,
    VaultRow,
    metadata,
)

__all__ = [
    "ALEMBIC_INI",
    "AuditEntry",
    "ClaimedNotice",
    "DeskSession",
    "DeskUser",
    "EventRecord",
    "EventResult",
    "HANDOFF_ACTIVE",
    "HANDOFF_CLOSED",
    "HANDOFF_EXPIRED",
    "HANDOFF_WAITING",
    "Handoff",
    "HandoffConflict",
    "NOTICE_MEDIATION_OPEN",
    "ROLES",
    "UnknownComplaint",
    "IDENTIFIER_KINDS",
    "MIGRATIONS_DIR",
    "OUTBOX_DELIVERED",
    "OUTBOX_FAILED",
    "OUTBOX_LOCAL",
    "OUTBOX_PENDING",
    "OUTBOX_STATUSES",
    "REFERENCE_ALPHABET",
    "REFERENCE_RE",
    "STATUS_RECORDED",
    "Base",
    "ComplaintDraft",
    "ComplaintRow",
    "ComplaintStatus",
    "ComplaintStore",
    "ComplaintView",
    "KeyMismatch",
    "OutboxRow",
    "OwnershipProof",
    "PurgeCounts",
    "RecordedComplaint",
    "RecordingFailed",
    "StatusAttemptRow",
    "StoreError",
    "StoreUnavailable",
    "UtcDateTime",
    "VaultRow",
    "create_store_engine",
    "metadata",
    "migrate",
    "new_outbox_row",
    "new_reference",
    "normalise_reference",
    "prepare_sqlite",
    "secure_delete",
]
