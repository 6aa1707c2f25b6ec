"""Forwarding recorded complaints to the back-office, exactly once, whatever fails in between.

The outbox row is written in the transaction that records the complaint (recours.store.record_complaint), so a
complaint never exists without its delivery nor the reverse. A worker then sends due rows one by one:

- Claim before sending: ``UPDATE ... SET claim_token, claimed_until WHERE id = ? AND status = 'pending' AND
  next_attempt_at <= now AND (claimed_until IS NULL OR claimed_until < now)``. Only one of several workers (action
  server replicas, an operator's ``python -m ops outbox retry``) gets ``rowcount = 1``; the others skip the row.
  Portable (SQLite serialises writers; PostgreSQL re-checks the WHERE after a concurrent update), so no
  ``SELECT ... FOR UPDATE SKIP LOCKED`` is needed. The claim is a lease: a worker that dies mid-send leaves the
  row to be claimed again once ``claimed_until`` has passed.
- Mark delivered only after a 2xx; retry on 5xx/429/timeouts with exponential backoff and jitter, at least the
  back-office's ``Retry-After`` (recours/retry.py; state in the row: attempts, next_attempt_at, last_error), so
  retries survive restarts; mark ``failed`` on another 4xx, for an operator. A crash between the 2xx and the mark
  re-sends the complaint later with the same ``Idempotency-Key``: at-least-once sending plus the key gives
  exactly-once at the back-office.

No Rasa import: the action server runs :class:`DeliveryWorker` in its event loop (actions/server.py) and
operators run one pass with ``python -m ops outbox retry``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from recours.backoffice import DELIVERED, REFUSED, BackofficeClient, DeliveryResult, complaint_payload, idempotency_key
from recours.retry import RetryPolicy
from recours.store import (
    OUTBOX_DELIVERED,
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    ComplaintStore,
    OutboxRow,
    StoreError,
    normalise_reference,
)

log = logging.getLogger(__name__)

RETRY_CAP_SECONDS = 3600.0
BATCH = 20


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


class Outbox:
    """The outbox table of a complaint store, and delivery through ``client`` (None: nothing can be sent)."""

    def __init__(
        self,
        store: ComplaintStore,
        client: BackofficeClient | None,
        *,
        retry_base: float = 30.0,
        retry_cap: float = RETRY_CAP_SECONDS,
        clock: Callable[[], datetime] = _utcnow,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.store = store
        self.client = client
        self.retry = RetryPolicy(retry_base, retry_cap, rng)
        self._clock = clock
        self._sessions = sessionmaker(store.engine, future=True, expire_on_commit=False)
        # A claim outlives the longest possible attempt (connect + read timeouts) with a wide margin.
        timeout = sum(client.timeout) if client is not None else 20.0
        self.lease = timedelta(seconds=2 * timeout + 30)

    # -- delivery --------------------------------------------------------------------------------------------

    def deliver_due(self, limit: int = BATCH) -> list[Attempt]:
        """Send the rows that are due (oldest first), each claimed first; returns what happened to each."""
        if self.client is None:
            return []
        attempts = []
        for row_id in self._due_ids(limit):
            token = self._claim(row_id)
            if token is None:
                continue  # another worker has it
            attempt = self._attempt(row_id, token)
            if attempt is not None:
                attempts.append(attempt)
        return attempts

    def _due_ids(self, limit: int) -> list[int]:
        now = self._clock()
        with self._sessions() as session:
            return list(
                session.execute(
                    select(OutboxRow.id)
                    .where(OutboxRow.status == OUTBOX_PENDING, OutboxRow.next_attempt_at <= now, _unclaimed(now))
                    .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
                    .limit(limit)
                ).scalars()
            )

    def _claim(self, row_id: int) -> str | None:
        now = self._clock()
        token = secrets.token_hex(16)
        with self._sessions() as session, session.begin():
            claimed = session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == row_id,
                    OutboxRow.status == OUTBOX_PENDING,
                    OutboxRow.next_attempt_at <= now,
                    _unclaimed(now),
                )
                .values(claim_token=token, claimed_until=now + self.lease)
                .execution_options(synchronize_session=False)
            ).rowcount
        return token if claimed == 1 else None

    def _attempt(self, row_id: int, token: str) -> Attempt | None:
        assert self.client is not None
        with self._sessions() as session:
            reference = session.execute(select(OutboxRow.reference).where(OutboxRow.id == row_id)).scalar_one()
        try:
            complaint = self.store.get_complaint(reference)
        except StoreError as exc:  # a key that cannot decrypt, a database gone: try again later
            result = DeliveryResult("retry", None, f"complaint unreadable ({type(exc).__name__})")
            log.error("Back-office delivery of %s: the complaint cannot be read (%s)", reference, type(exc).__name__)
            return self._finish(row_id, token, reference, result)
        if complaint is None:  # cannot happen with the foreign key; keep it visible rather than loop
            result = DeliveryResult(REFUSED, None, "complaint not found in the store")
            return self._finish(row_id, token, reference, result)
        result = self.client.send(complaint_payload(complaint), idempotency_key(reference))
        return self._finish(row_id, token, reference, result)

    def _finish(self, row_id: int, token: str, reference: str, result: DeliveryResult) -> Attempt:
        now = self._clock()
        common = {
            "attempts": OutboxRow.attempts + 1,
            "last_attempt_at": now,
            "last_status": result.status,
            "claim_token": None,
            "claimed_until": None,
        }
        next_at = None
        with self._sessions() as session, session.begin():
            if result.outcome == DELIVERED:
                # Whoever holds the claim now: the back-office has it, so it is delivered.
                session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id == row_id, OutboxRow.status == OUTBOX_PENDING)
                    .values(status=OUTBOX_DELIVERED, delivered_at=now, last_error=None, **common)
                    .execution_options(synchronize_session=False)
                )
            else:
                failures = session.execute(select(OutboxRow.attempts).where(OutboxRow.id == row_id)).scalar_one() + 1
                values = dict(common, last_error=result.reason)
                if result.outcome == REFUSED:
                    values["status"] = OUTBOX_FAILED
                else:
                    next_at = now + timedelta(seconds=self.retry.delay(failures, result.retry_after))
                    values["next_attempt_at"] = next_at
                session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id == row_id, OutboxRow.claim_token == token)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
        if result.outcome == DELIVERED:
            log.info("Complaint %s delivered to the back-office (%s)", reference, result.reason)
        elif result.outcome == REFUSED:
            log.error("Complaint %s refused by the back-office, kept for an operator: %s", reference, result.reason)
        else:
            log.error("Complaint %s not delivered to the back-office (%s), next attempt at %s", reference,
                      result.reason, next_at.isoformat(timespec="seconds") if next_at else "?")
        return Attempt(reference, result, next_at)

    # -- operators ---------------------------------------------------------------------------------------------

    def entries(self, statuses: Iterable[str] | None = None, reference: str | None = None) -> list[OutboxEntry]:
        with self._sessions() as session:
            query = select(OutboxRow).order_by(OutboxRow.created_at, OutboxRow.id)
            if statuses is not None:
                query = query.where(OutboxRow.status.in_(list(statuses)))
            if reference:
                query = query.where(OutboxRow.reference == normalise_reference(reference))
            rows = session.execute(query).scalars().all()
        return [
            OutboxEntry(
                reference=row.reference, status=row.status, attempts=row.attempts, created_at=row.created_at,
                next_attempt_at=row.next_attempt_at if row.status == OUTBOX_PENDING else None,
                last_attempt_at=row.last_attempt_at, last_status=row.last_status, last_error=row.last_error,
                delivered_at=row.delivered_at,
            )
            for row in rows
        ]

    def requeue(self, reference: str | None = None, *, include_failed: bool = False) -> int:
        """Make deliveries due now: one reference (pending, failed or local), or every pending one (and every
        failed one with ``include_failed``). Delivered rows are never sent again. Returns how many rows."""
        now = self._clock()
        with self._sessions() as session, session.begin():
            statement = update(OutboxRow).values(
                status=OUTBOX_PENDING, next_attempt_at=now, claim_token=None, claimed_until=None
            )
            if reference:
                statement = statement.where(
                    OutboxRow.reference == normalise_reference(reference), OutboxRow.status != OUTBOX_DELIVERED,
                    _unclaimed(now),
                )
            else:
                statuses = [OUTBOX_PENDING] + ([OUTBOX_FAILED] if include_failed else [])
                statement = statement.where(OutboxRow.status.in_(statuses), _unclaimed(now))
            return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0

    def backlog(self) -> Backlog:
        with self._sessions() as session:
            pending, oldest = session.execute(
                select(func.count(), func.min(OutboxRow.created_at)).where(OutboxRow.status == OUTBOX_PENDING)
            ).one()
            failed = session.execute(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.status == OUTBOX_FAILED)
            ).scalar_one()
        if oldest is not None and oldest.tzinfo is None:  # aggregate results bypass the column type on SQLite
            oldest = oldest.replace(tzinfo=timezone.utc)
        if isinstance(oldest, str):  # pragma: no cover - SQLite returns MIN() of a DATETIME column as text
            oldest = datetime.fromisoformat(oldest).replace(tzinfo=timezone.utc)
        return Backlog(pending=pending, failed=failed, oldest_pending_at=oldest)


def _unclaimed(now: datetime):
    return or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now)


class DeliveryWorker:
    """Runs :meth:`Outbox.deliver_due` in a thread, in a loop, from an asyncio event loop (the action server).

    Sleeps ``poll`` seconds between passes, or less when :meth:`wake` is called (a complaint was just recorded).
    Errors (database unavailable...) are logged and the loop goes on: nothing is lost, rows stay pending.
    """

    def __init__(self, outbox: Outbox, poll: float = 5.0) -> None:
        self.outbox = outbox
        self.poll = poll
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._stopping = False
        self.passes = 0

    def start(self) -> asyncio.Task:
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="backoffice-delivery")
        return self._task

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def stop(self, grace: float = 5.0) -> None:
        """Stop after the current pass (an attempt in flight ends in its thread; its claim expires if cut)."""
        self._stopping = True
        self.wake()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=grace)
            except asyncio.TimeoutError:
                self._task.cancel()

    async def _run(self) -> None:
        assert self._wake is not None
        failing = False
        while not self._stopping:
            self._wake.clear()
            try:
                attempts = await asyncio.to_thread(self.outbox.deliver_due)
                failing = False
            except (SQLAlchemyError, StoreError) as exc:
                attempts = []
                if not failing:  # once per outage, not at every poll
                    log.error("Back-office delivery paused: the complaint store is unavailable (%s)",
                              type(exc).__name__)
                failing = True
            except Exception:  # noqa: BLE001 - the loop must survive anything and say so
                attempts = []
                log.exception("Back-office delivery pass failed")
            self.passes += 1
            if attempts and len(attempts) >= BATCH:
                continue  # more may be due
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll)
            except asyncio.TimeoutError:
                pass
