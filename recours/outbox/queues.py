"""The outbox's queues: its rows' kinds, the claim, the send and the marks (see recours/outbox/__init__.py)."""


from __future__ import annotations

import logging
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sqlalchemy import func, or_, select, true, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from recours.backoffice import (
    DELIVERED,
    REFUSED,
    BackofficeClient,
    DeliveryResult,
    callback_idempotency_key,
    callback_payload,
    callback_update_payload,
    complaint_payload,
    complaint_update_payload,
    idempotency_key,
    update_idempotency_key,
)
from recours.mailer import Mailer
from recours.retry import RetryPolicy
from recours.settings import today as settings_today
from recours.store import (
    MESSAGE_CALLBACK,
    MESSAGE_CALLBACK_UPDATE,
    MESSAGE_COMPLAINT_UPDATE,
    MESSAGE_RECEIPT,
    OUTBOX_DELIVERED,
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    ComplaintStore,
    MessageOutboxRow,
    OutboxRow,
    StoreError,
    normalise_reference,
)

if TYPE_CHECKING:
    from recours.organisations import Organisation

log = logging.getLogger("recours.outbox")  # one logger name for the whole outbox

RETRY_CAP_SECONDS = 3600.0
BATCH = 20
COMPLAINT = "complaint"
KINDS = (COMPLAINT, MESSAGE_CALLBACK, MESSAGE_COMPLAINT_UPDATE, MESSAGE_CALLBACK_UPDATE, MESSAGE_RECEIPT)
NOTICE = "notice"  # the desk's notices: not rows of these tables (recours/handling/notices.py)
# How each queue names its deliveries in the logs (no personal data: the reference only).
_LABELS = {COMPLAINT: "Complaint %s", MESSAGE_CALLBACK: "Call-back %s", MESSAGE_RECEIPT: "Receipt of %s",
           MESSAGE_COMPLAINT_UPDATE: "Change of complaint %s", MESSAGE_CALLBACK_UPDATE: "Change of call-back %s",
           NOTICE: "Deadline-passed notice of %s"}
_DESTINATIONS = {COMPLAINT: "the back-office", MESSAGE_CALLBACK: "the back-office", MESSAGE_RECEIPT: "the member",
                 MESSAGE_COMPLAINT_UPDATE: "the back-office", MESSAGE_CALLBACK_UPDATE: "the back-office",
                 NOTICE: "the member"}


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class OutboxEntry:
    """One delivery as an operator sees it: no personal data."""

    reference: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    delivered_at: datetime | None
    kind: str = COMPLAINT


@dataclass(frozen=True)
class Backlog:
    pending: int
    failed: int
    oldest_pending_at: datetime | None

    def oldest_pending_age(self, now: datetime | None = None) -> float | None:
        if self.oldest_pending_at is None:
            return None
        return max(0.0, ((now or _utcnow()) - self.oldest_pending_at).total_seconds())


@dataclass(frozen=True)
class Attempt:
    reference: str
    result: DeliveryResult
    next_attempt_at: datetime | None  # when retried
    kind: str = COMPLAINT


@dataclass(frozen=True)
class Queue:
    """One kind of delivery: the table holding its rows, and how one attempt is made for a row (read, detached:
    its reference, and for a change its revision and time)."""

    kind: str
    table: type
    send: Callable[[Any], DeliveryResult]

    def rows(self):
        """The WHERE clause that selects this queue's rows in its table."""
        return MessageOutboxRow.kind == self.kind if self.table is MessageOutboxRow else true()


def _tables(kinds: Iterable[str] | None) -> list[tuple[type, list]]:
    """(table, extra WHERE clauses) for the kinds asked (all by default)."""
    kinds = set(KINDS if kinds is None else kinds)
    tables: list[tuple[type, list]] = []
    if COMPLAINT in kinds:
        tables.append((OutboxRow, []))
    messages = sorted(kinds - {COMPLAINT})
    if messages:
        tables.append((MessageOutboxRow, [MessageOutboxRow.kind.in_(messages)]))
    return tables


class Outbox:
    """The outboxes of a complaint store, and delivery through ``client`` (complaints and call-backs to the
    back-office) and ``mailer`` (receipts, and the desk's notices when ``organisation`` is given: their text is
    the organisation's, on ``today``); without one, its queues are not delivered."""

    def __init__(
        self,
        store: ComplaintStore,
        client: BackofficeClient | None,
        *,
        mailer: Mailer | None = None,
        retry_base: float = 30.0,
        retry_cap: float = RETRY_CAP_SECONDS,
        clock: Callable[[], datetime] = _utcnow,
        rng: Callable[[], float] = random.random,
        organisation: Organisation | None = None,
        today: Callable[[], date] = settings_today,
    ) -> None:
        self.store = store
        self.client = client
        self.mailer = mailer
        self.organisation = organisation
        self._today = today
        self.retry = RetryPolicy(retry_base, retry_cap, rng)
        self._clock = clock
        self._sessions = sessionmaker(store.engine, future=True, expire_on_commit=False)
        self.queues: list[Queue] = []
        if client is not None:
            self.queues += [Queue(COMPLAINT, OutboxRow, self._send_complaint),
                            Queue(MESSAGE_CALLBACK, MessageOutboxRow, self._send_callback),
                            Queue(MESSAGE_COMPLAINT_UPDATE, MessageOutboxRow, self._send_complaint_update),
                            Queue(MESSAGE_CALLBACK_UPDATE, MessageOutboxRow, self._send_callback_update)]
        if mailer is not None:
            self.queues.append(Queue(MESSAGE_RECEIPT, MessageOutboxRow, self._send_receipt))
        # A claim outlives the longest possible attempt (connect + read timeouts) with a wide margin.
        timeout = max(sum(client.timeout) if client is not None else 20.0,
                      2 * mailer.timeout_seconds if mailer is not None else 0.0)
        self.lease = timedelta(seconds=2 * timeout + 30)

    # -- delivery --------------------------------------------------------------------------------------------

    def deliver_due(self, limit: int = BATCH) -> list[Attempt]:
        """Send the rows that are due (oldest first, queue by queue), each claimed first; what happened to each."""
        attempts = []
        for queue in self.queues:
            for row_id in self._due_ids(queue, limit):
                token = self._claim(queue, row_id)
                if token is None:
                    continue  # another worker has it
                attempts.append(self._attempt(queue, row_id, token))
        if self.mailer is not None and self.organisation is not None:
            attempts += self._deliver_notices(limit)
        return attempts

    def _deliver_notices(self, limit: int) -> list[Attempt]:
        """The desk's notices due (claimed by recours.handling.notices), one e-mail each, retried like receipts."""
        from recours.handling.notices import notice_failed, notice_message, notice_sent, notices_to_send

        assert self.mailer is not None and self.organisation is not None
        attempts = []
        for notice in notices_to_send(self.store, self.organisation, self._today(), limit, self._clock()):
            now = self._clock()
            result = self.mailer.send(notice_message(notice, sent_at=now))
            next_at = None
            if result.outcome == DELIVERED:
                notice_sent(self.store, notice)
            else:
                if result.outcome != REFUSED:
                    failures = notice.claim.attempts + 1
                    next_at = now + timedelta(seconds=self.retry.delay(failures, result.retry_after))
                notice_failed(self.store, notice, result.reason, retry_at=next_at)  # None: kept for an operator
            _log(NOTICE, notice.reference, result, next_at)
            attempts.append(Attempt(notice.reference, result, next_at, NOTICE))
        return attempts

    def _due_ids(self, queue: Queue, limit: int) -> list[int]:
        now = self._clock()
        table = queue.table
        with self._sessions() as session:
            return list(
                session.execute(
                    select(table.id)
                    .where(queue.rows(), table.status == OUTBOX_PENDING, table.next_attempt_at <= now,
                           _unclaimed(table, now))
                    .order_by(table.next_attempt_at, table.id)
                    .limit(limit)
                ).scalars()
            )

    def _claim(self, queue: Queue, row_id: int) -> str | None:
        now = self._clock()
        token = secrets.token_hex(16)
        table = queue.table
        with self._sessions() as session, session.begin():
            claimed = session.execute(
                update(table)
                .where(
                    table.id == row_id,
                    table.status == OUTBOX_PENDING,
                    table.next_attempt_at <= now,
                    _unclaimed(table, now),
                )
                .values(claim_token=token, claimed_until=now + self.lease)
                .execution_options(synchronize_session=False)
            ).rowcount
        return token if claimed == 1 else None

    def _attempt(self, queue: Queue, row_id: int, token: str) -> Attempt:
        with self._sessions() as session:
            row = session.get(queue.table, row_id)
            reference = row.reference
        try:
            result = queue.send(row)
        except StoreError as exc:  # a key that cannot decrypt, a database gone: try again later
            result = DeliveryResult("retry", None, f"record unreadable ({type(exc).__name__})")
            log.error(_LABELS[queue.kind] + " cannot be read (%s)", reference, type(exc).__name__)
        return self._finish(queue, row_id, token, reference, result)

    def _send_complaint(self, row: OutboxRow) -> DeliveryResult:
        complaint = self.store.get_complaint(row.reference)
        return self._post(complaint and complaint_payload(complaint), idempotency_key(row.reference), "complaint")

    def _send_callback(self, row: MessageOutboxRow) -> DeliveryResult:
        callback = self.store.get_callback(row.reference)
        return self._post(callback and callback_payload(callback), callback_idempotency_key(row.reference),
                          "call-back")

    def _send_complaint_update(self, row: MessageOutboxRow) -> DeliveryResult:
        complaint = self.store.get_complaint(row.reference)
        return self._post(complaint and complaint_update_payload(complaint, row.revision, row.created_at),
                          update_idempotency_key(row.kind, row.reference, row.revision), "complaint")

    def _send_callback_update(self, row: MessageOutboxRow) -> DeliveryResult:
        callback = self.store.get_callback(row.reference)
        return self._post(callback and callback_update_payload(callback, row.revision, row.created_at),
                          update_idempotency_key(row.kind, row.reference, row.revision), "call-back")

    def _post(self, payload: dict | None, key: str, what: str) -> DeliveryResult:
        """One POST to the back-office; a record gone (impossible with the foreign keys) is refused, kept visible
        rather than retried forever."""
        assert self.client is not None
        if payload is None:
            return DeliveryResult(REFUSED, None, f"{what} not found in the store")
        return self.client.send(payload, key)

    def _send_receipt(self, row: MessageOutboxRow) -> DeliveryResult:
        from recours.organisations import load_organisation
        from recours.receipts import receipt_message

        assert self.mailer is not None
        reference = row.reference
        complaint = self.store.get_complaint(reference)
        if complaint is None or not complaint.email:
            return DeliveryResult(REFUSED, None, "complaint or its e-mail address not found in the store")
        message = receipt_message(complaint, load_organisation(complaint.organisation), sent_at=self._clock())
        return self.mailer.send(message)

    def _finish(self, queue: Queue, row_id: int, token: str, reference: str, result: DeliveryResult) -> Attempt:
        now = self._clock()
        table = queue.table
        common = {
            "attempts": table.attempts + 1,
            "last_attempt_at": now,
            "last_status": result.status,
            "claim_token": None,
            "claimed_until": None,
        }
        next_at = None
        with self._sessions() as session, session.begin():
            if result.outcome == DELIVERED:
                # Whoever holds the claim now: the other side has it, so it is delivered.
                session.execute(
                    update(table)
                    .where(table.id == row_id, table.status == OUTBOX_PENDING)
                    .values(status=OUTBOX_DELIVERED, delivered_at=now, last_error=None, **common)
                    .execution_options(synchronize_session=False)
                )
            else:
                failures = session.execute(select(table.attempts).where(table.id == row_id)).scalar_one() + 1
                values = dict(common, last_error=result.reason)
                if result.outcome == REFUSED:
                    values["status"] = OUTBOX_FAILED
                else:
                    next_at = now + timedelta(seconds=self.retry.delay(failures, result.retry_after))
                    values["next_attempt_at"] = next_at
                session.execute(
                    update(table)
                    .where(table.id == row_id, table.claim_token == token)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
        _log(queue.kind, reference, result, next_at)
        return Attempt(reference, result, next_at, queue.kind)

    # -- operators ---------------------------------------------------------------------------------------------

    def entries(self, statuses: Iterable[str] | None = None, reference: str | None = None,
                kinds: Iterable[str] | None = None) -> list[OutboxEntry]:
        """Deliveries as an operator sees them (complaints first, then call-backs and receipts), oldest first."""
        found: list[OutboxEntry] = []
        with self._sessions() as session:
            for table, clauses in _tables(kinds):
                query = select(table).where(*clauses).order_by(table.created_at, table.id)
                if statuses is not None:
                    query = query.where(table.status.in_(list(statuses)))
                if reference:
                    query = query.where(table.reference == normalise_reference(reference))
                found += [
                    OutboxEntry(
                        reference=row.reference, status=row.status, attempts=row.attempts, created_at=row.created_at,
                        next_attempt_at=row.next_attempt_at if row.status == OUTBOX_PENDING else None,
                        last_attempt_at=row.last_attempt_at, last_status=row.last_status, last_error=row.last_error,
                        delivered_at=row.delivered_at, kind=getattr(row, "kind", COMPLAINT),
                    )
                    for row in session.execute(query).scalars().all()
                ]
        return found

    def requeue(self, reference: str | None = None, *, include_failed: bool = False,
                kinds: Iterable[str] | None = None) -> int:
        """Make deliveries due now: one reference (pending, failed or local), or every pending one (and every
        failed one with ``include_failed``). Delivered rows are never sent again. Returns how many rows."""
        now = self._clock()
        count = 0
        with self._sessions() as session, session.begin():
            for table, clauses in _tables(kinds):
                statement = update(table).where(*clauses).values(
                    status=OUTBOX_PENDING, next_attempt_at=now, claim_token=None, claimed_until=None
                )
                if reference:
                    statement = statement.where(
                        table.reference == normalise_reference(reference), table.status != OUTBOX_DELIVERED,
                        _unclaimed(table, now),
                    )
                else:
                    statuses = [OUTBOX_PENDING] + ([OUTBOX_FAILED] if include_failed else [])
                    statement = statement.where(table.status.in_(statuses), _unclaimed(table, now))
                count += session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0
        return count

    def backlog(self, kinds: Iterable[str] | None = None) -> Backlog:
        pending = failed = 0
        oldest: datetime | None = None
        with self._sessions() as session:
            for table, clauses in _tables(kinds):
                count, first = session.execute(
                    select(func.count(), func.min(table.created_at)).where(*clauses, table.status == OUTBOX_PENDING)
                ).one()
                failed += session.execute(
                    select(func.count()).select_from(table).where(*clauses, table.status == OUTBOX_FAILED)
                ).scalar_one()
                pending += count
                first = _aware(first)
                if first is not None and (oldest is None or first < oldest):
                    oldest = first
        return Backlog(pending=pending, failed=failed, oldest_pending_at=oldest)


def _log(kind: str, reference: str, result: DeliveryResult, next_at: datetime | None) -> None:
    what, where = _LABELS[kind], _DESTINATIONS[kind]
    if result.outcome == DELIVERED:
        log.info(what + " delivered to %s (%s)", reference, where, result.reason)
    elif result.outcome == REFUSED:
        log.error(what + " refused by %s, kept for an operator: %s", reference, where, result.reason)
    else:
        log.error(what + " not delivered to %s (%s), next attempt at %s", reference, where, result.reason,
                  next_at.isoformat(timespec="seconds") if next_at else "?")


def _aware(value: datetime | str | None) -> datetime | None:
    """An aggregate's datetime: SQLite returns MIN() of a DATETIME column naive, or as text."""
    if isinstance(value, str):  # pragma: no cover - depends on the SQLite driver
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def _unclaimed(table: type, now: datetime):
    return or_(table.claimed_until.is_(None), table.claimed_until < now)
