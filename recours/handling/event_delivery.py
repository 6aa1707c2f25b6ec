"""Forwarding the desk's events to the back-office (``BACKOFFICE_URL``), exactly once, like complaints.

Each event recorded in the desk gets its ``event_outbox`` row in the same transaction (recours/store/
complaint_events.py); events the back-office sent itself are not sent back to it. Delivery follows
recours/outbox.py's rules — claim a row before sending (one worker wins), mark it delivered only after a 2xx,
retry 5xx/429/timeouts with the one retry policy (recours/retry.py), keep other 4xx for an operator — through
the same client and to the same URL as complaints, as a document of schema ``recours.complaint_event.v1``::

    {"schema": "recours.complaint_event.v1", "event_id": "…", "reference": "REC-2026-7K4F9Q",
     "organisation": "cpms", "status": "answered", "on": "2026-11-23", "outcome": "rejected",
     "note": "…", "recorded_at": "2026-11-23T09:15:02Z", "recorded_by": "login"}

``Idempotency-Key`` is the event id (a UUID), so a repeated attempt creates nothing twice at the back-office.
The desk runs :class:`EventDelivery` in recours.outbox's ``DeliveryWorker`` (desk/server.py).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from sqlalchemy import or_, select, update
from sqlalchemy.orm import sessionmaker

from recours.backoffice import DELIVERED, REFUSED, BackofficeClient, DeliveryResult
from recours.outbox import RETRY_CAP_SECONDS
from recours.retry import RetryPolicy
from recours.store import OUTBOX_DELIVERED, OUTBOX_FAILED, OUTBOX_PENDING, ComplaintStore, EventRecord
from recours.store.desk_tables import EventOutboxRow

log = logging.getLogger(__name__)

SCHEMA = "recours.complaint_event.v1"
BATCH = 20


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def event_payload(event: EventRecord, reference: str, organisation: str) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "event_id": event.event_id,
        "reference": reference,
        "organisation": organisation,
        "status": event.status,
        "on": _iso(event.on),
        "outcome": event.outcome,
        "note": event.note,
        "recorded_at": _iso(event.recorded_at),
        "recorded_by": event.actor,
    }


class EventDelivery:
    """The event outbox of a store, sent through ``client`` (None: local mode, nothing is sent)."""

    def __init__(self, store: ComplaintStore, client: BackofficeClient | None, *, retry_base: float = 30.0,
                 clock: Callable[[], datetime] = _utcnow) -> None:
        self.store = store
        self.client = client
        self.retry = RetryPolicy(retry_base, RETRY_CAP_SECONDS)
        self._clock = clock
        self._sessions = sessionmaker(store.engine, future=True, expire_on_commit=False)
        self.lease = timedelta(seconds=2 * (sum(client.timeout) if client is not None else 20.0) + 30)

    def deliver_due(self, limit: int = BATCH) -> list[tuple[str, DeliveryResult]]:
        """Send the due rows, oldest first, each claimed first; (event id, result) for each attempt made."""
        if self.client is None:
            return []
        now = self._clock()
        with self._sessions() as session:
            due = list(session.execute(
                select(EventOutboxRow.id).where(self._due(now))
                .order_by(EventOutboxRow.next_attempt_at, EventOutboxRow.id).limit(limit)
            ).scalars())
        return [attempt for row_id in due if (attempt := self._send_one(row_id)) is not None]

    def _due(self, now: datetime):
        return (
            (EventOutboxRow.status == OUTBOX_PENDING)
            & (EventOutboxRow.next_attempt_at <= now)
            & or_(EventOutboxRow.claimed_until.is_(None), EventOutboxRow.claimed_until < now)
        )

    def _send_one(self, row_id: int) -> tuple[str, DeliveryResult] | None:
        assert self.client is not None
        now, token = self._clock(), secrets.token_hex(16)
        with self._sessions() as session, session.begin():
            won = session.execute(
                update(EventOutboxRow).where(EventOutboxRow.id == row_id, self._due(now))
                .values(claim_token=token, claimed_until=now + self.lease)
                .execution_options(synchronize_session=False)
            ).rowcount
            if won != 1:
                return None  # another worker has it
        event, reference, organisation = self.store.outbox_event(row_id)
        result = self.client.send(event_payload(event, reference, organisation), event.event_id)
        self._finish(row_id, token, result)
        level = logging.INFO if result.outcome == DELIVERED else logging.ERROR
        log.log(level, "Event %s of %s to the back-office: %s (%s)", event.status, reference, result.outcome,
                result.reason)
        return event.event_id, result

    def _finish(self, row_id: int, token: str, result: DeliveryResult) -> None:
        now = self._clock()
        values: dict[str, Any] = {
            "attempts": EventOutboxRow.attempts + 1, "last_attempt_at": now, "last_status": result.status,
            "claim_token": None, "claimed_until": None,
        }
        with self._sessions() as session, session.begin():
            if result.outcome == DELIVERED:
                values.update(status=OUTBOX_DELIVERED, delivered_at=now, last_error=None)
            elif result.outcome == REFUSED:
                values.update(status=OUTBOX_FAILED, last_error=result.reason)
            else:
                failures = session.execute(
                    select(EventOutboxRow.attempts).where(EventOutboxRow.id == row_id)
                ).scalar_one() + 1
                delay = self.retry.delay(failures, result.retry_after)
                values.update(next_attempt_at=now + timedelta(seconds=delay), last_error=result.reason)
            session.execute(
                update(EventOutboxRow).where(EventOutboxRow.id == row_id, EventOutboxRow.claim_token == token)
                .values(**values).execution_options(synchronize_session=False)
            )

    def pending(self) -> int:
        with self._sessions() as session:
            return len(session.execute(
                select(EventOutboxRow.id).where(EventOutboxRow.status == OUTBOX_PENDING)
            ).all())
