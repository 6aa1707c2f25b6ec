"""Live handoffs: conversations a member asked to continue with a person (recours/handoff.py has the rules).

waiting (in the desk's queue) → active (a handler took it) → closed (handed back to the assistant); a waiting one
nobody takes in time becomes expired. A conversation has at most one open (waiting or active) handoff. The Rasa
sender id, needed to reach the conversation, is kept encrypted and erased once the handoff ends.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from recours.store.audit import audit_row
from recours.store.connection import StoreConnection
from recours.store.desk_records import Handoff
from recours.store.desk_tables import (
    HANDOFF_ACTIVE,
    HANDOFF_CLOSED,
    HANDOFF_EXPIRED,
    HANDOFF_WAITING,
    DeskUserRow,
    HandoffRow,
)
from recours.store.errors import StoreError, store_errors
from recours.store.tables import utcnow

OPEN_STATUSES = (HANDOFF_WAITING, HANDOFF_ACTIVE)


class HandoffConflict(StoreError):
    """The handoff is not in the state the request needs (taken by someone else, already handed back...)."""


class Handoffs(StoreConnection):
    def request_handoff(
        self, conversation_key: str, sender: str, channel: str, complaint_reference: str | None = None
    ) -> Handoff:
        """Queue the conversation for a person; the open handoff it already has, if any."""
        with store_errors(), self._sessions() as session, session.begin():
            row = self._open_row(session, conversation_key)
            if row is None:
                row = HandoffRow(
                    public_id=secrets.token_urlsafe(12), conversation_key=conversation_key,
                    sender=self._cipher.encrypt(sender), channel=channel, status=HANDOFF_WAITING,
                    complaint_reference=complaint_reference, requested_at=utcnow(),
                )
                session.add(row)
                session.flush()
            return self._handoff(session, row)

    def open_handoff_of(self, conversation_key: str) -> Handoff | None:
        with store_errors(), self._sessions() as session:
            row = self._open_row(session, conversation_key)
            return None if row is None else self._handoff(session, row)

    def handoffs(self, statuses: Iterable[str] = OPEN_STATUSES) -> list[Handoff]:
        """Oldest request first; without the sender id."""
        with store_errors(), self._sessions() as session:
            rows = session.execute(
                select(HandoffRow).where(HandoffRow.status.in_(list(statuses)))
                .order_by(HandoffRow.requested_at, HandoffRow.id)
            ).scalars().all()
            return [self._handoff(session, row) for row in rows]

    def handoff(self, public_id: str, *, with_sender: bool = False) -> Handoff | None:
        with store_errors(), self._sessions() as session:
            row = session.execute(select(HandoffRow).where(HandoffRow.public_id == public_id)).scalar_one_or_none()
            return None if row is None else self._handoff(session, row, with_sender=with_sender)

    def take_handoff(self, public_id: str, user_id: int, actor: str) -> Handoff:
        """waiting → active for this handler (only one of two handlers clicking at once gets it)."""
        now = utcnow()
        with store_errors(), self._sessions() as session, session.begin():
            taken = session.execute(
                update(HandoffRow)
                .where(HandoffRow.public_id == public_id, HandoffRow.status == HANDOFF_WAITING)
                .values(status=HANDOFF_ACTIVE, taken_at=now, taken_by=user_id)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken != 1:
                raise HandoffConflict("not waiting")
            session.add(audit_row(actor, "handoff_take", detail=f"handoff {public_id}", at=now))
            row = session.execute(select(HandoffRow).where(HandoffRow.public_id == public_id)).scalar_one()
            return self._handoff(session, row, with_sender=True)

    def return_handoff_to_queue(self, public_id: str) -> None:
        """active → waiting again: taking it could not be announced to the member (the Rasa server failed)."""
        with store_errors(), self._sessions() as session, session.begin():
            session.execute(
                update(HandoffRow)
                .where(HandoffRow.public_id == public_id, HandoffRow.status == HANDOFF_ACTIVE)
                .values(status=HANDOFF_WAITING, taken_at=None, taken_by=None)
                .execution_options(synchronize_session=False)
            )

    def release_handoff(self, public_id: str, user_id: int, actor: str, *, any_handler: bool = False) -> Handoff:
        """active → closed, by the handler who took it (or a supervisor); the sender id is erased. The returned
        record still holds it, for the caller's last message to the member."""
        now = utcnow()
        with store_errors(), self._sessions() as session, session.begin():
            row = session.execute(
                select(HandoffRow).where(HandoffRow.public_id == public_id).with_for_update()
            ).scalar_one_or_none()
            if row is None or row.status != HANDOFF_ACTIVE or (row.taken_by != user_id and not any_handler):
                raise HandoffConflict("not active for this handler")
            released = self._handoff(session, row, with_sender=True)
            row.status, row.closed_at, row.sender = HANDOFF_CLOSED, now, None
            session.add(audit_row(actor, "handoff_release", detail=f"handoff {public_id}", at=now))
        return released

    def expire_handoffs(self, requested_before: datetime) -> int:
        """Waiting handoffs nobody took since ``requested_before``: expired, sender id erased."""
        with store_errors(), self._sessions() as session, session.begin():
            return session.execute(
                update(HandoffRow)
                .where(HandoffRow.status == HANDOFF_WAITING, HandoffRow.requested_at < requested_before)
                .values(status=HANDOFF_EXPIRED, closed_at=utcnow(), sender=None)
                .execution_options(synchronize_session=False)
            ).rowcount or 0

    def _open_row(self, session: Session, conversation_key: str) -> HandoffRow | None:
        return session.execute(
            select(HandoffRow)
            .where(HandoffRow.conversation_key == conversation_key, HandoffRow.status.in_(OPEN_STATUSES))
            .order_by(HandoffRow.id.desc())
            .limit(1)
        ).scalar_one_or_none()

    def _handoff(self, session: Session, row: HandoffRow, *, with_sender: bool = False) -> Handoff:
        login = None
        if row.taken_by is not None:
            login = session.execute(select(DeskUserRow.login).where(DeskUserRow.id == row.taken_by)).scalar()
        return Handoff(
            public_id=row.public_id, channel=row.channel, status=row.status,
            complaint_reference=row.complaint_reference, requested_at=row.requested_at, taken_at=row.taken_at,
            taken_by=login, closed_at=row.closed_at, conversation_key=row.conversation_key,
            sender=self._decrypt(row.sender) if with_sender else None,
        )
