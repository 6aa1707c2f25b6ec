"""Events on complaints (acknowledged, answered, closed): recorded with the complaint's new status, its audit
entry and, for the desk's own events, its delivery to the back-office — all in one transaction.

The rules (which event may follow which, the dates) are recours/handling/lifecycle.py's; this module applies
them to the row read under a lock (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers), so two
handlers recording at once cannot both move the same complaint. An event id already recorded returns the first
recording (``duplicate=True``): a back-office retrying its call changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from recours.handling.lifecycle import ComplaintEvent, Progress, check_event, status_after
from recours.settings import get_settings
from recours.store.audit import audit_row
from recours.store.connection import StoreConnection
from recours.store.desk_records import EventRecord, EventResult
from recours.store.desk_tables import ComplaintEventRow, EventOutboxRow
from recours.store.errors import UnknownComplaint, store_errors
from recours.store.records import ComplaintStatus, complaint_status
from recours.store.references import normalise_reference
from recours.store.tables import OUTBOX_LOCAL, OUTBOX_PENDING, ComplaintRow, utcnow


class ComplaintEvents(StoreConnection):
    def record_event(
        self,
        reference: str,
        event: ComplaintEvent,
        *,
        organisation: str,
        actor: str,
        source: str,
        event_id: str,
        today: date,
        forward: bool,
    ) -> EventResult:
        """Apply ``event`` to the complaint (see the module docstring). Raises :class:`UnknownComplaint`, and the
        lifecycle's InvalidTransition / InvalidEvent, before anything is written. ``forward``: queue it for the
        back-office (the desk's events; not those the back-office sent itself)."""
        try:
            return self._record_event(reference, event, organisation, actor, source, event_id, today, forward)
        except IntegrityError:
            # The same event id recorded concurrently: the first one stands.
            duplicate = self._event_by_id(event_id)
            if duplicate is None:
                raise
            return duplicate

    def _record_event(self, reference: str, event: ComplaintEvent, organisation: str, actor: str, source: str,
                      event_id: str, today: date, forward: bool) -> EventResult:
        with store_errors(), self._sessions() as session, session.begin():
            existing = self._event_by_id(event_id, session)
            if existing is not None:
                return existing
            row = session.execute(
                select(ComplaintRow)
                .where(ComplaintRow.reference == normalise_reference(reference),
                       ComplaintRow.organisation == organisation)
                .with_for_update()
            ).scalar_one_or_none()
            if row is None:
                raise UnknownComplaint("no such complaint")
            check_event(event, Progress(row.status, row.sent_on, row.acknowledged_on, row.answered_on), today)
            for column, value in status_after(event).items():
                setattr(row, column, value)
            now = utcnow()
            stored = ComplaintEventRow(
                complaint_id=row.id, event_id=event_id, status=event.status, on_date=event.on, outcome=event.outcome,
                note=self._cipher.encrypt(event.note) if event.note else None, actor=actor, source=source,
                recorded_at=now,
            )
            session.add(stored)
            session.flush()
            if forward:
                status = OUTBOX_PENDING if get_settings().backoffice_url else OUTBOX_LOCAL
                session.add(EventOutboxRow(event_row_id=stored.id, status=status, attempts=0, created_at=now,
                                           next_attempt_at=now))
            session.add(audit_row(actor, "event", row.reference, f"{event.status} {event.on.isoformat()} ({source})",
                                  at=now))
            session.flush()
            return EventResult(complaint_status(row), self._event_record(stored), row.reference, duplicate=False)

    def _event_by_id(self, event_id: str, session=None) -> EventResult | None:
        if session is None:
            with store_errors(), self._sessions() as own:
                return self._event_by_id(event_id, own)
        found = session.execute(
            select(ComplaintEventRow, ComplaintRow)
            .join(ComplaintRow, ComplaintRow.id == ComplaintEventRow.complaint_id)
            .where(ComplaintEventRow.event_id == event_id)
        ).first()
        if found is None:
            return None
        stored, row = found
        return EventResult(complaint_status(row), self._event_record(stored), row.reference, duplicate=True)

    def events_of(self, reference: str) -> list[EventRecord]:
        """The complaint's events, oldest first, notes decrypted (for the desk)."""
        with store_errors(), self._sessions() as session:
            rows = session.execute(
                select(ComplaintEventRow)
                .join(ComplaintRow, ComplaintRow.id == ComplaintEventRow.complaint_id)
                .where(ComplaintRow.reference == normalise_reference(reference))
                .order_by(ComplaintEventRow.recorded_at, ComplaintEventRow.id)
            ).scalars().all()
        return [self._event_record(row) for row in rows]

    def complaint_progress(self, reference: str, organisation: str) -> ComplaintStatus | None:
        """Where one complaint stands, without decrypting anything (the desk's list row, the mediation guidance)."""
        row = self._row_by_reference(ComplaintRow, reference, ComplaintRow.organisation == organisation)
        return None if row is None else complaint_status(row)

    def complaints_of(self, organisation: str, statuses: Iterable[str] | None = None) -> list[ComplaintStatus]:
        """Every complaint of the organisation (no identifier, no free text), oldest first."""
        query = select(ComplaintRow).where(ComplaintRow.organisation == organisation)
        if statuses is not None:
            query = query.where(ComplaintRow.status.in_(list(statuses)))
        with store_errors(), self._sessions() as session:
            rows = session.execute(query.order_by(ComplaintRow.sent_on, ComplaintRow.id)).scalars().all()
        return [complaint_status(row) for row in rows]

    def outbox_event(self, outbox_row_id: int) -> tuple[EventRecord, str, str]:
        """The event an ``event_outbox`` row delivers, with its complaint's reference and organisation."""
        with store_errors(), self._sessions() as session:
            stored, reference, organisation = session.execute(
                select(ComplaintEventRow, ComplaintRow.reference, ComplaintRow.organisation)
                .join(EventOutboxRow, EventOutboxRow.event_row_id == ComplaintEventRow.id)
                .join(ComplaintRow, ComplaintRow.id == ComplaintEventRow.complaint_id)
                .where(EventOutboxRow.id == outbox_row_id)
            ).one()
            return self._event_record(stored), reference, organisation

    def _event_record(self, row: ComplaintEventRow) -> EventRecord:
        return EventRecord(
            event_id=row.event_id, status=row.status, on=row.on_date, outcome=row.outcome,
            note=self._decrypt(row.note), actor=row.actor, source=row.source, recorded_at=row.recorded_at,
        )
