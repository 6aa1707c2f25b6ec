"""The complaint store: recorded complaints and the identifier vault, encrypted field by field.

Two tables. ``identifier_vault`` holds, per conversation, the identifiers the member typed during the form (NIR,
member number, e-mail, phone), encrypted, so that the clear value never has to live in a Rasa slot.
``complaints`` holds recorded complaints; recording copies the vault's ciphertexts into the new row and empties
the vault in the same transaction, so an identifier is always in exactly one place. A third, ``status_attempts``,
counts failed ownership checks of "Où en est ma réclamation ?" (keyed hashes and times only), so that the limit
on attempts holds across restarts and conversations.
A fourth, ``backoffice_outbox``, holds each complaint's delivery to the insurer's back-office, written in the
recording transaction (delivered by recours/outbox.py).

Everything that identifies the member or may reveal health data is encrypted with :class:`FieldCipher`
(Fernet); identifiers also get a keyed hash so a row can be found by NIR, e-mail or conversation without
decrypting the table. The schema is created by Alembic only (``migrations/``, :func:`migrate`).

Database errors surface as :class:`StoreUnavailable` (the database cannot be reached: tell the member to retry)
or :class:`RecordingFailed`; a key that cannot read the existing rows raises :class:`KeyMismatch` at start.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping

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
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import (
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, declarative_base, sessionmaker
from sqlalchemy.types import TypeDecorator

from recours.contact import mask_email, mask_phone
from recours.crypto import DecryptionError, FieldCipher
from recours.settings import PROJECT_ROOT, get_settings

log = logging.getLogger(__name__)

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"

IDENTIFIER_KINDS = ("nir", "member_number", "email", "phone")
STATUS_RECORDED = "recorded"

# No 0/O, 1/I/L, U: a member reading a reference over the phone cannot confuse two characters.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RE = re.compile(rf"^REC-\d{{4}}-[{REFERENCE_ALPHABET}]{{6}}$")
_REFERENCE_ATTEMPTS = 8


# -- errors ---------------------------------------------------------------------------------------------------


class StoreError(Exception):
    """Base class: anything the complaint store cannot do."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (or its schema is missing): nothing was written, retry later."""


class RecordingFailed(StoreError):
    """The complaint could not be recorded; nothing was written and the vault is unchanged."""


class KeyMismatch(StoreError):
    """The configured key cannot decrypt the stored data: the service must not start with it."""


# -- schema ---------------------------------------------------------------------------------------------------

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


class VaultRow(Base):
    __tablename__ = "identifier_vault"
    __table_args__ = (
        UniqueConstraint("conversation_key", "kind", name="uq_identifier_vault_conversation_key_kind"),
        CheckConstraint("kind IN ('nir', 'member_number', 'email', 'phone')", name="kind"),
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


# Delivery states of a complaint to the insurer's back-office (recours/outbox.py). "local": recorded while
# BACKOFFICE_URL was unset, never sent unless an operator asks; "failed": refused by the back-office (4xx), kept
# for an operator with the reason.
OUTBOX_PENDING, OUTBOX_DELIVERED, OUTBOX_FAILED, OUTBOX_LOCAL = "pending", "delivered", "failed", "local"
OUTBOX_STATUSES = (OUTBOX_PENDING, OUTBOX_DELIVERED, OUTBOX_FAILED, OUTBOX_LOCAL)


class OutboxRow(Base):
    """One complaint to forward to the back-office, written in the transaction that records the complaint.

    No personal data: the payload is built from the complaint row at delivery time. The delivery worker's state
    (attempts, next attempt, claim, last error) lives here so that retries survive restarts.
    """

    __tablename__ = "backoffice_outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed', 'local')", name="status"),
        Index("ix_backoffice_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id = Column(Integer, primary_key=True)
    complaint_id = Column(
        Integer, ForeignKey("complaints.id", name="fk_backoffice_outbox_complaint_id", ondelete="CASCADE"),
        nullable=False, unique=True,
    )
    reference = Column(String(32), nullable=False, unique=True)
    status = Column(String(16), nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(UtcDateTime, nullable=False)
    next_attempt_at = Column(UtcDateTime, nullable=False)
    claimed_until = Column(UtcDateTime)
    claim_token = Column(String(64))
    last_attempt_at = Column(UtcDateTime)
    last_status = Column(Integer)  # HTTP status of the last attempt, None for a timeout or connection error
    last_error = Column(Text)  # short reason, never the payload
    delivered_at = Column(UtcDateTime)


def new_outbox_row(complaint: "ComplaintRow") -> OutboxRow:
    """The delivery to create with a newly recorded complaint: pending when BACKOFFICE_URL is set, else local."""
    now = _utcnow()
    return OutboxRow(
        complaint_id=complaint.id,
        reference=complaint.reference,
        status=OUTBOX_PENDING if get_settings().backoffice_url else OUTBOX_LOCAL,
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )


# -- values exchanged with callers --------------------------------------------------------------------------------


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
class ComplaintView:
    """A complaint decrypted, for an operator (never for a member who has not proved who they are)."""

    reference: str
    organisation: str
    created_at: datetime
    sent_on: date
    acknowledge_by: date | None
    answer_by: date | None
    status: str
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


@dataclass(frozen=True)
class ComplaintStatus:
    """What a member who proved a complaint is theirs may read about it: no identifier, no free text."""

    reference: str
    organisation: str
    created_at: datetime
    sent_on: date
    acknowledge_by: date | None
    answer_by: date | None
    status: str
    nature: str
    first_complaint_date: date | None
    answer_received: bool | None
    court_action: bool | None


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


# -- engine and migrations ------------------------------------------------------------------------------------


def _prepare_sqlite(database_url: str) -> None:
    """SQLite files live under var/, which may not exist yet on a fresh checkout."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def create_store_engine(database_url: str) -> Engine:
    _prepare_sqlite(database_url)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # The action server runs store calls in worker threads; wait for a writer rather than fail at once.
        engine = create_engine(url, future=True, connect_args={"timeout": 30, "check_same_thread": False})
        _serialise_sqlite_transactions(engine)
        event.listen(engine, "connect", secure_delete)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True, connect_args=_connect_timeout(url))


def _serialise_sqlite_transactions(engine: Engine) -> None:
    """Real SQLite transactions: ``BEGIN IMMEDIATE`` when the session begins, not before the first write.

    pysqlite only opens a transaction before an INSERT/UPDATE/DELETE, so the vault read of
    :meth:`ComplaintStore.record_complaint` would happen outside it, and a read-then-write transaction could
    fail with "database is locked" instead of waiting. Taking the write lock at BEGIN (SQLAlchemy's documented
    recipe) makes recording serialisable; the volume of complaints makes the lost read concurrency irrelevant.
    """

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def secure_delete(dbapi_connection: Any, _record: Any = None) -> None:
    """SQLite overwrites deleted rows with zeros: a cleared vault row or an erased conversation does not linger in
    the file's free pages (PostgreSQL's dead rows are reclaimed by VACUUM and are never readable through SQL)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()


def _connect_timeout(url: Any) -> dict[str, Any]:
    return {"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {}


def migrate(database_url: str | None = None) -> None:
    """``alembic upgrade head`` on ``database_url`` (default: the configured DATABASE_URL); idempotent."""
    from alembic import command
    from alembic.config import Config

    url = database_url or get_settings().database_url
    _prepare_sqlite(url)
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    # Passed as an attribute, not an ini option: no configparser interpolation of "%" in passwords.
    config.attributes["database_url"] = url
    config.attributes["configure_logging"] = False  # keep the host process's logging (Rasa's) untouched
    try:
        command.upgrade(config, "head")
    except (OperationalError, InterfaceError) as exc:
        raise StoreUnavailable(f"cannot migrate the complaint store: {_describe(exc)}") from exc


def new_reference(year: int) -> str:
    """``REC-2026-7K4F9Q``: 30^6 (7e8) possibilities per year, from ``secrets`` (not guessable)."""
    return f"REC-{year:04d}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def normalise_reference(raw: str) -> str:
    return re.sub(r"\s+", "", raw or "").upper()


def _describe(exc: BaseException) -> str:
    """The error's class and first line, without SQL parameters (they would be ciphertexts or hashes)."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def _is_missing_schema(exc: SQLAlchemyError) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _status(row: ComplaintRow) -> ComplaintStatus:
    return ComplaintStatus(
        reference=row.reference,
        organisation=row.organisation,
        created_at=row.created_at,
        sent_on=row.sent_on,
        acknowledge_by=row.acknowledge_by,
        answer_by=row.answer_by,
        status=row.status,
        nature=row.nature,
        first_complaint_date=row.first_complaint_date,
        answer_received=row.answer_received,
        court_action=row.court_action,
    )


# -- the store --------------------------------------------------------------------------------------------------


class ComplaintStore:
    """Complaints and the identifier vault in one database (SQLite by default, PostgreSQL by URL).

    The constructor checks that ``cipher`` can read the existing rows (:class:`KeyMismatch` otherwise). It does
    not create the schema: call :func:`migrate` first, or use :meth:`open`, which does both.
    """

    def __init__(self, database_url: str, cipher: FieldCipher, *, verify_key: bool = True) -> None:
        self._cipher = cipher
        self._engine = create_store_engine(database_url)
        self._sessions = sessionmaker(self._engine, future=True, expire_on_commit=False)
        if verify_key:
            self.verify_key()

    @classmethod
    def open(cls, database_url: str, cipher: FieldCipher) -> "ComplaintStore":
        """Migrate the schema, then open the store (the action server's start-up)."""
        migrate(database_url)
        return cls(database_url, cipher)

    @property
    def engine(self) -> Engine:
        return self._engine

    def dispose(self) -> None:
        self._engine.dispose()

    # -- start-up check -------------------------------------------------------------------------------------

    def verify_key(self) -> None:
        """Decrypt the newest complaint (or vault row): one indexed read, enough to detect a wrong key."""
        with self._errors():
            with self._engine.connect() as connection:
                token = connection.execute(
                    select(ComplaintRow.member_name).order_by(ComplaintRow.id.desc()).limit(1)
                ).scalar()
                if token is None:
                    token = connection.execute(
                        select(VaultRow.ciphertext).order_by(VaultRow.id.desc()).limit(1)
                    ).scalar()
        if token is not None:
            try:
                self._cipher.decrypt(token)
            except DecryptionError:
                raise KeyMismatch(
                    "the encryption key cannot decrypt the complaint store: check RECOURS_ENCRYPTION_KEY / the "
                    "key file (the service refuses to start rather than write rows nobody could read)"
                ) from None

    # -- identifier vault ----------------------------------------------------------------------------------

    def put_identifier(self, conversation_key: str, kind: str, value: str) -> None:
        """Store (or replace) the conversation's identifier of this kind, encrypted."""
        if kind not in IDENTIFIER_KINDS:
            raise ValueError(f"unknown identifier kind {kind!r}")
        if not conversation_key or not value:
            raise ValueError("conversation_key and value are required")
        values = {
            "conversation_key": conversation_key,
            "kind": kind,
            "ciphertext": self._cipher.encrypt(value),
            "value_hash": self._cipher.keyed_hash(value),
            "updated_at": _utcnow(),
        }
        changes = {k: values[k] for k in ("ciphertext", "value_hash", "updated_at")}
        dialect = self._engine.dialect.name
        with self._errors(), self._sessions() as session, session.begin():
            if dialect in ("postgresql", "sqlite"):
                if dialect == "postgresql":
                    from sqlalchemy.dialects.postgresql import insert
                else:
                    from sqlalchemy.dialects.sqlite import insert
                statement = insert(VaultRow.__table__).values(**values)
                session.execute(
                    statement.on_conflict_do_update(index_elements=["conversation_key", "kind"], set_=changes)
                )
            else:  # pragma: no cover - other backends: not atomic against a concurrent insert, good enough
                updated = session.execute(
                    update(VaultRow)
                    .where(VaultRow.conversation_key == conversation_key, VaultRow.kind == kind)
                    .values(**changes)
                )
                if not updated.rowcount:
                    session.add(VaultRow(**values))

    def get_identifiers(self, conversation_key: str) -> dict[str, str]:
        """The conversation's identifiers in clear, by kind (empty when none or already recorded)."""
        with self._errors(), self._sessions() as session:
            rows = session.execute(
                select(VaultRow.kind, VaultRow.ciphertext).where(VaultRow.conversation_key == conversation_key)
            ).all()
        return {kind: self._decrypt(token) for kind, token in rows}

    def clear_identifiers(self, conversation_key: str, kinds: tuple[str, ...] | None = None) -> int:
        """Forget the conversation's identifiers (all, or only ``kinds``); returns how many were deleted."""
        with self._errors(), self._sessions() as session, session.begin():
            statement = delete(VaultRow).where(VaultRow.conversation_key == conversation_key)
            if kinds is not None:
                statement = statement.where(VaultRow.kind.in_(kinds))
            return session.execute(statement).rowcount or 0

    # -- complaints --------------------------------------------------------------------------------------------

    def record_complaint(self, draft: ComplaintDraft, idempotency_key: str) -> RecordedComplaint:
        """Insert the complaint with the vault's identifiers and empty the vault, in one transaction.

        Recording the same ``idempotency_key`` again returns the complaint recorded the first time (a double
        click, a retried action) with ``newly_recorded=False``. On failure nothing is written.
        """
        if not idempotency_key or len(idempotency_key) > 128:
            raise ValueError("idempotency_key must be 1-128 characters")
        with self._errors(recording=True):
            existing = self._find_by_idempotency_key(idempotency_key)
            if existing is not None:
                return self._recorded(existing, newly_recorded=False)
            for _ in range(_REFERENCE_ATTEMPTS):
                reference = new_reference(draft.sent_on.year)
                try:
                    with self._sessions() as session, session.begin():
                        row = self._new_row(session, draft, idempotency_key, reference)
                        session.add(row)
                        session.flush()
                        self._delete_vault_rows(session, draft.conversation_key)
                        session.add(new_outbox_row(row))  # same transaction: never one without the other
                except (IntegrityError, RecordingFailed) as exc:
                    # The same submission may have been recorded concurrently (unique idempotency key, or the
                    # vault already emptied by it); otherwise an IntegrityError is a reference collision.
                    existing = self._find_by_idempotency_key(idempotency_key)
                    if existing is not None:
                        return self._recorded(existing, newly_recorded=False)
                    if isinstance(exc, IntegrityError) and self._reference_exists(reference):
                        log.info("complaint reference collision, drawing another one")
                        continue
                    raise
                return self._recorded(row, newly_recorded=True)
            raise RecordingFailed("could not draw an unused complaint reference")

    def get_complaint(self, reference: str) -> ComplaintView | None:
        """The complaint decrypted, or None. For operators: no proof of identity is checked here."""
        with self._errors(), self._sessions() as session:
            row = session.execute(
                select(ComplaintRow).where(ComplaintRow.reference == normalise_reference(reference))
            ).scalar_one_or_none()
        return None if row is None else self._view(row)

    def count_complaints(self) -> int:
        with self._errors(), self._sessions() as session:
            return session.execute(select(func.count()).select_from(ComplaintRow)).scalar_one()

    # -- members' rights: status, export, retention --------------------------------------------------------------

    def find_owned_complaint(
        self, reference: str, proof: OwnershipProof, organisation: str
    ) -> ComplaintStatus | None:
        """The complaint ``reference`` of ``organisation`` if ``proof`` matches what it holds, else None.

        An unknown reference, another organisation's complaint and a proof that does not match all give None:
        the caller must answer them alike, so that nobody learns which references exist. Only the field the
        proof is compared with is decrypted; comparisons are constant-time.
        """
        with self._errors(), self._sessions() as session:
            row = session.execute(
                select(ComplaintRow).where(
                    ComplaintRow.reference == normalise_reference(reference),
                    ComplaintRow.organisation == organisation,
                )
            ).scalar_one_or_none()
        if row is None or not self._proof_matches(row, proof):
            return None
        return _status(row)

    def failed_status_attempts(self, conversation_key: str, reference: str | None, since: datetime) -> tuple[int, int]:
        """Failed ownership checks since ``since``: (by this conversation, on this reference from anywhere)."""
        with self._errors(), self._sessions() as session:
            recent = select(func.count()).select_from(StatusAttemptRow).where(StatusAttemptRow.attempted_at >= since)
            by_conversation = session.execute(
                recent.where(StatusAttemptRow.conversation_key == conversation_key)
            ).scalar_one()
            by_reference = 0
            if reference:
                by_reference = session.execute(
                    recent.where(StatusAttemptRow.reference_hash == self._reference_hash(reference))
                ).scalar_one()
        return by_conversation, by_reference

    def record_failed_status_attempt(self, conversation_key: str, reference: str) -> None:
        with self._errors(), self._sessions() as session, session.begin():
            session.add(
                StatusAttemptRow(
                    conversation_key=conversation_key,
                    reference_hash=self._reference_hash(reference),
                    attempted_at=_utcnow(),
                )
            )

    def complaints_of_conversation(self, conversation_key: str) -> list[ComplaintStatus]:
        """Complaints recorded from this conversation (any session), oldest first: for export and erasure."""
        with self._errors(), self._sessions() as session:
            rows = session.execute(
                select(ComplaintRow)
                .where(ComplaintRow.conversation_key == conversation_key)
                .order_by(ComplaintRow.created_at, ComplaintRow.id)
            ).scalars().all()
        return [_status(row) for row in rows]

    def purge(self, *, vault_before: datetime, attempts_before: datetime) -> PurgeCounts:
        """Delete identifiers typed in conversations that never became a complaint, last touched before
        ``vault_before``, and failed status checks older than ``attempts_before``. Complaints are never purged
        here: their retention is the organisation's legal obligation, not the conversation's."""
        with self._errors(), self._sessions() as session, session.begin():
            vault = session.execute(delete(VaultRow).where(VaultRow.updated_at < vault_before)).rowcount or 0
            attempts = session.execute(
                delete(StatusAttemptRow).where(StatusAttemptRow.attempted_at < attempts_before)
            ).rowcount or 0
        return PurgeCounts(vault_rows=vault, status_attempts=attempts)

    def _proof_matches(self, row: ComplaintRow, proof: OwnershipProof) -> bool:
        if proof.kind == "last4":
            # NIR and member number are stored compact and upper-case (the form normalises them).
            candidate = proof.value.upper().encode("utf-8")
            held = [self._decrypt(row.nir), self._decrypt(row.member_number)]
            matches = [
                hmac.compare_digest(value[-4:].upper().encode("utf-8"), candidate)
                for value in held
                if value and len(value) >= 4
            ]
            return any(matches)
        if proof.kind == "email":
            held_email = self._decrypt(row.email)
            return bool(held_email) and hmac.compare_digest(
                held_email.casefold().encode("utf-8"), proof.value.casefold().encode("utf-8")
            )
        if proof.kind == "phone":
            # Phones are stored in E.164, so the keyed hash compares without decrypting.
            return bool(row.phone_hash) and hmac.compare_digest(row.phone_hash, self._cipher.keyed_hash(proof.value))
        raise ValueError(f"unknown proof kind {proof.kind!r}")

    def _reference_hash(self, reference: str) -> str:
        return self._cipher.keyed_hash("reference:" + normalise_reference(reference))

    # -- internals ------------------------------------------------------------------------------------------

    def _new_row(self, session: Session, draft: ComplaintDraft, idempotency_key: str, reference: str) -> ComplaintRow:
        vault = {
            kind: (token, value_hash)
            for kind, token, value_hash in session.execute(
                select(VaultRow.kind, VaultRow.ciphertext, VaultRow.value_hash).where(
                    VaultRow.conversation_key == draft.conversation_key
                )
            )
        }
        for kind, value in draft.identifiers.items():
            if value:
                vault[kind] = (self._cipher.encrypt(value), self._cipher.keyed_hash(value))
        if "email" not in vault and "phone" not in vault:
            raise RecordingFailed("no e-mail address or phone number for this complaint")
        if "nir" not in vault and "member_number" not in vault:
            raise RecordingFailed("no NIR or member number for this complaint")
        token = lambda kind: vault.get(kind, (None, None))[0]  # noqa: E731
        digest = lambda kind: vault.get(kind, (None, None))[1]  # noqa: E731
        return ComplaintRow(
            reference=reference,
            organisation=draft.organisation,
            created_at=_utcnow(),
            sent_on=draft.sent_on,
            acknowledge_by=draft.acknowledge_by,
            answer_by=draft.answer_by,
            status=STATUS_RECORDED,
            request_kind=draft.request_kind,
            concerned_body=draft.concerned_body,
            nature=draft.nature,
            contract_holder=self._encrypt_optional(draft.contract_holder),
            member_name=self._cipher.encrypt(draft.member_name),
            nir=token("nir"),
            nir_hash=digest("nir"),
            member_number=token("member_number"),
            member_number_hash=digest("member_number"),
            email=token("email"),
            email_hash=digest("email"),
            phone=token("phone"),
            phone_hash=digest("phone"),
            description=self._cipher.encrypt(draft.description),
            contested_decision=self._encrypt_optional(draft.contested_decision),
            first_complaint_date=draft.first_complaint_date,
            answer_received=draft.answer_received,
            court_action=draft.court_action,
            conversation_key=draft.conversation_key,
            idempotency_key=idempotency_key,
            channel=draft.channel,
        )

    def _delete_vault_rows(self, session: Session, conversation_key: str) -> None:
        session.execute(delete(VaultRow).where(VaultRow.conversation_key == conversation_key))

    def _find_by_idempotency_key(self, idempotency_key: str) -> ComplaintRow | None:
        with self._sessions() as session:
            return session.execute(
                select(ComplaintRow).where(ComplaintRow.idempotency_key == idempotency_key)
            ).scalar_one_or_none()

    def _reference_exists(self, reference: str) -> bool:
        with self._sessions() as session:
            found = session.execute(select(ComplaintRow.id).where(ComplaintRow.reference == reference)).first()
        return found is not None

    def _encrypt_optional(self, value: str | None) -> str | None:
        return None if value is None else self._cipher.encrypt(value)

    def _decrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return self._cipher.decrypt(token)
        except DecryptionError:
            raise KeyMismatch("a stored value cannot be decrypted with the configured key") from None

    def _recorded(self, row: ComplaintRow, *, newly_recorded: bool) -> RecordedComplaint:
        email, phone = self._decrypt(row.email), self._decrypt(row.phone)
        return RecordedComplaint(
            reference=row.reference,
            created_at=row.created_at,
            sent_on=row.sent_on,
            acknowledge_by=row.acknowledge_by,
            answer_by=row.answer_by,
            status=row.status,
            newly_recorded=newly_recorded,
            email_masked=mask_email(email) if email else None,
            phone_masked=mask_phone(phone) if phone else None,
        )

    def _view(self, row: ComplaintRow) -> ComplaintView:
        return ComplaintView(
            reference=row.reference,
            organisation=row.organisation,
            created_at=row.created_at,
            sent_on=row.sent_on,
            acknowledge_by=row.acknowledge_by,
            answer_by=row.answer_by,
            status=row.status,
            request_kind=row.request_kind,
            concerned_body=row.concerned_body,
            nature=row.nature,
            contract_holder=self._decrypt(row.contract_holder),
            member_name=self._decrypt(row.member_name) or "",
            nir=self._decrypt(row.nir),
            member_number=self._decrypt(row.member_number),
            email=self._decrypt(row.email),
            phone=self._decrypt(row.phone),
            description=self._decrypt(row.description) or "",
            contested_decision=self._decrypt(row.contested_decision),
            first_complaint_date=row.first_complaint_date,
            answer_received=row.answer_received,
            court_action=row.court_action,
            conversation_key=row.conversation_key,
            channel=row.channel,
        )

    @contextmanager
    def _errors(self, *, recording: bool = False) -> Iterator[None]:
        """Translate driver errors into the store's exceptions (messages without SQL parameters)."""
        try:
            yield
        except StoreError:
            raise
        except (OperationalError, InterfaceError, ProgrammingError, PoolTimeout) as exc:
            if _is_missing_schema(exc):
                raise StoreUnavailable("the complaint store has no schema: run recours.store.migrate()") from exc
            if isinstance(exc, ProgrammingError):
                raise (RecordingFailed if recording else StoreError)(_describe(exc)) from exc
            raise StoreUnavailable(f"complaint store unreachable: {_describe(exc)}") from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StoreUnavailable(f"complaint store unreachable: {_describe(exc)}") from exc
            raise (RecordingFailed if recording else StoreError)(_describe(exc)) from exc
        except SQLAlchemyError as exc:
            raise (RecordingFailed if recording else StoreError)(_describe(exc)) from exc
        except Exception as exc:
            if not recording:
                raise
            raise RecordingFailed(f"{type(exc).__name__}: {exc}") from exc
