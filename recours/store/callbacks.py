"""Call-back requests: the phone number kept (encrypted) while the member chooses the time, then the request.

Two steps, because the member gives the number and the time in two answers and the clear number must never wait
in a Rasa slot: :meth:`CallbackRecords.put_callback_phone` keeps it in a ``draft`` row of the conversation (one at
most: a new number replaces it); :meth:`CallbackRecords.record_callback` turns the draft into the request — its
reference, its window, the complaint recorded in the conversation if any — and writes its delivery to the
back-office (``message_outbox``, recours/outbox.py) in the same transaction, as a complaint's. Drafts left behind
are deleted by the retention purge (recours/store/retention.py) with the vault's identifiers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from recours.contact import mask_phone
from recours.settings import get_settings
from recours.store.audit import audit_row
from recours.store.complaints import new_change_row, new_message_row
from recours.store.connection import StoreConnection
from recours.store.errors import RecordingFailed, store_errors
from recours.store.records import CallbackView, RecordedCallback
from recours.store.references import CALLBACK_PREFIX, new_reference
from recours.store.tables import (
    CALLBACK_CANCELLED,
    CALLBACK_DRAFT,
    CALLBACK_REASONS,
    CALLBACK_RECORDED,
    MESSAGE_CALLBACK,
    MESSAGE_CALLBACK_UPDATE,
    CallbackRow,
    utcnow,
)

_REFERENCE_ATTEMPTS = 8


class CallbackRecords(StoreConnection):
    def put_callback_phone(self, conversation_key: str, organisation: str, phone: str) -> str:
        """Keep the phone number (E.164) to call back for this conversation, replacing a draft; returns its mask."""
        if not conversation_key or not phone:
            raise ValueError("conversation_key and phone are required")
        with store_errors(), self._sessions() as session, session.begin():
            session.execute(delete(CallbackRow).where(
                CallbackRow.conversation_key == conversation_key, CallbackRow.status == CALLBACK_DRAFT))
            session.add(CallbackRow(
                organisation=organisation, conversation_key=conversation_key, status=CALLBACK_DRAFT,
                created_at=utcnow(), phone=self._cipher.encrypt(phone), phone_hash=self._cipher.keyed_hash(phone),
                reason="asked",
            ))
        return mask_phone(phone)

    def discard_callback_draft(self, conversation_key: str) -> int:
        """Forget the number given for a call-back the member gave up (« Annuler »)."""
        with store_errors(), self._sessions() as session, session.begin():
            return session.execute(delete(CallbackRow).where(
                CallbackRow.conversation_key == conversation_key, CallbackRow.status == CALLBACK_DRAFT
            )).rowcount or 0

    def record_callback(
        self, conversation_key: str, window_start: datetime, window_end: datetime, idempotency_key: str, *,
        reason: str = "asked", complaint_reference: str | None = None, channel: str | None = None,
    ) -> RecordedCallback:
        """The conversation's draft becomes a request with its delivery, in one transaction.

        The same ``idempotency_key`` again returns the request recorded the first time (``newly_recorded=False``);
        without a draft (no phone number given), RecordingFailed and nothing is written.
        """
        if reason not in CALLBACK_REASONS:
            raise ValueError(f"unknown call-back reason {reason!r}")
        if not idempotency_key or len(idempotency_key) > 128:
            raise ValueError("idempotency_key must be 1-128 characters")
        with store_errors(recording=True):
            for _ in range(_REFERENCE_ATTEMPTS):
                existing = self._callback_by_key(idempotency_key)
                if existing is not None:
                    return self._recorded_callback(existing, newly_recorded=False)
                reference = new_reference(window_start.year, CALLBACK_PREFIX)
                try:
                    with self._sessions() as session, session.begin():
                        row = session.execute(
                            select(CallbackRow)
                            .where(CallbackRow.conversation_key == conversation_key,
                                   CallbackRow.status == CALLBACK_DRAFT)
                            .order_by(CallbackRow.id.desc())
                            .limit(1)
                        ).scalar_one_or_none()
                        if row is None:
                            raise RecordingFailed("no phone number for this call-back")
                        row.reference, row.status, row.recorded_at = reference, CALLBACK_RECORDED, utcnow()
                        row.window_start, row.window_end = window_start, window_end
                        row.reason, row.complaint_reference, row.channel = reason, complaint_reference, channel
                        row.idempotency_key = idempotency_key
                        session.flush()
                        session.add(new_message_row(MESSAGE_CALLBACK, reference, callback_id=row.id,
                                                    pending=bool(get_settings().backoffice_url)))
                except IntegrityError:
                    continue  # the same request recorded concurrently, or a reference collision: look again
                return self._recorded_callback(row, newly_recorded=True)
            raise RecordingFailed("could not record the call-back")

    def get_callback(self, reference: str) -> CallbackView | None:
        """The call-back request decrypted, or None (a draft has no reference)."""
        row = self._row_by_reference(CallbackRow, reference)
        if row is None:
            return None
        return CallbackView(
            reference=row.reference, organisation=row.organisation, recorded_at=row.recorded_at,
            window_start=row.window_start, window_end=row.window_end, phone=self._decrypt(row.phone) or "",
            complaint_reference=row.complaint_reference, reason=row.reason, channel=row.channel,
            status=row.status, cancelled_at=row.cancelled_at,
        )

    def callbacks_of_conversation(self, conversation_key: str, *,
                                  include_cancelled: bool = False) -> list[RecordedCallback]:
        """The call-back requests recorded in a conversation, oldest first (its data export); with
        ``include_cancelled``, the ones the member cancelled too (« il est bien annulé, l'autre ? »)."""
        statuses = (CALLBACK_RECORDED, CALLBACK_CANCELLED) if include_cancelled else (CALLBACK_RECORDED,)
        with store_errors(), self._sessions() as session:
            rows = session.execute(
                select(CallbackRow)
                .where(CallbackRow.conversation_key == conversation_key, CallbackRow.status.in_(statuses))
                .order_by(CallbackRow.id)
            ).scalars().all()
        return [self._recorded_callback(row, newly_recorded=False) for row in rows]

    def change_callback(self, reference: str, conversation_key: str, *, phone: str | None = None,
                        cancel: bool = False, restore: bool = False) -> bool:
        """The member changes the number of a call-back requested in this conversation, cancels it (issue 11), or
        restores one cancelled by mistake (« pas celui-là, je voulais garder celui du 72 »); the change's delivery
        to the back-office in the same transaction. False when the conversation has no such request (another
        conversation's, already cancelled, or — to restore — not cancelled)."""
        with store_errors(), self._sessions() as session, session.begin():
            row = session.execute(select(CallbackRow).where(
                CallbackRow.reference == reference, CallbackRow.conversation_key == conversation_key,
                CallbackRow.status == (CALLBACK_CANCELLED if restore else CALLBACK_RECORDED),
            )).scalar_one_or_none()
            if row is None:
                return False
            if phone:
                row.phone, row.phone_hash = self._cipher.encrypt(phone), self._cipher.keyed_hash(phone)
            if cancel:
                row.status, row.cancelled_at = CALLBACK_CANCELLED, utcnow()
            elif restore:
                row.status, row.cancelled_at = CALLBACK_RECORDED, None
            event = "callback_cancelled" if cancel else "callback_restored" if restore else "callback_phone_changed"
            session.add(audit_row("member", event, reference))
            session.add(new_change_row(session, MESSAGE_CALLBACK_UPDATE, reference, callback_id=row.id))
        return True

    def count_callbacks(self) -> int:
        """Recorded call-back requests (drafts not counted)."""
        with store_errors(), self._sessions() as session:
            return session.execute(
                select(func.count()).select_from(CallbackRow).where(CallbackRow.status == CALLBACK_RECORDED)
            ).scalar_one()

    def _callback_by_key(self, idempotency_key: str) -> CallbackRow | None:
        with self._sessions() as session:
            return session.execute(
                select(CallbackRow).where(CallbackRow.idempotency_key == idempotency_key)
            ).scalar_one_or_none()

    def _recorded_callback(self, row: CallbackRow, *, newly_recorded: bool) -> RecordedCallback:
        return RecordedCallback(
            reference=row.reference, window_start=row.window_start, window_end=row.window_end,
            phone_masked=mask_phone(self._decrypt(row.phone) or ""), complaint_reference=row.complaint_reference,
            newly_recorded=newly_recorded, cancelled=row.status == CALLBACK_CANCELLED,
        )
