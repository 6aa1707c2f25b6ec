"""Notices owed to members without their asking: for now, « the answer deadline passed with no answer, the
mediator can now be referred to » (rules.md §11). Detection and text are recours/handling/notices.py's.

A notice row is written once per complaint and kind (a unique constraint), with no address nor text: both are
read from the complaint when the notice is sent. Sending claims rows with a lease, like the back-office outbox,
so two senders never send the same notice; the sender marks it sent, or failed with a retry time.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from recours.store.connection import StoreConnection
from recours.store.desk_records import ClaimedNotice
from recours.store.desk_tables import (
    NOTICE_CANCELLED,
    NOTICE_FAILED,
    NOTICE_MEDIATION_OPEN,
    NOTICE_NO_ADDRESS,
    NOTICE_PENDING,
    NOTICE_SENT,
    MemberNoticeRow,
)
from recours.store.errors import store_errors
from recours.store.records import complaint_status
from recours.store.tables import ComplaintRow, utcnow


class MemberNotices(StoreConnection):
    def queue_mediation_notices(self, organisation: str, today: date) -> int:
        """Queue the notice for every complaint whose answer deadline passed before ``today`` with no answer
        recorded, not closed and with no court action; idempotent. Returns how many were queued now."""
        already = exists().where(
            MemberNoticeRow.complaint_id == ComplaintRow.id, MemberNoticeRow.kind == NOTICE_MEDIATION_OPEN
        )
        with store_errors(), self._sessions() as session:
            due = session.execute(
                select(ComplaintRow.id, ComplaintRow.reference, ComplaintRow.email.is_not(None))
                .where(ComplaintRow.organisation == organisation, ComplaintRow.answer_by < today,
                       ComplaintRow.answered_on.is_(None), ComplaintRow.closed_on.is_(None),
                       ComplaintRow.court_action.is_not(True), ~already)
            ).all()
        queued = 0
        now = utcnow()
        for complaint_id, reference, has_email in due:
            try:
                with store_errors(), self._sessions() as session, session.begin():
                    session.add(MemberNoticeRow(
                        complaint_id=complaint_id, reference=reference, kind=NOTICE_MEDIATION_OPEN,
                        status=NOTICE_PENDING if has_email else NOTICE_NO_ADDRESS, created_at=now,
                        next_attempt_at=now, attempts=0,
                    ))
            except IntegrityError:
                continue  # queued concurrently by another process
            queued += 1
        return queued

    def claim_notices(self, kind: str, limit: int, lease: timedelta, now: datetime | None = None) -> list[ClaimedNotice]:
        """Claim due pending notices of ``kind`` with the complaint and the e-mail address to send them to.

        A notice whose complaint got its answer (or was closed) since it was queued is cancelled, not returned.
        """
        now = now or utcnow()
        unclaimed = or_(MemberNoticeRow.claimed_until.is_(None), MemberNoticeRow.claimed_until < now)
        due = and_(MemberNoticeRow.kind == kind, MemberNoticeRow.status == NOTICE_PENDING,
                   MemberNoticeRow.next_attempt_at <= now, unclaimed)
        with store_errors(), self._sessions() as session:
            ids = list(session.execute(
                select(MemberNoticeRow.id).where(due).order_by(MemberNoticeRow.next_attempt_at).limit(limit)
            ).scalars())
        claimed: list[ClaimedNotice] = []
        for notice_id in ids:
            token = secrets.token_hex(16)
            with store_errors(), self._sessions() as session, session.begin():
                won = session.execute(
                    update(MemberNoticeRow).where(MemberNoticeRow.id == notice_id, due)
                    .values(claim_token=token, claimed_until=now + lease)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won != 1:
                    continue  # another sender has it
                notice, row = session.execute(
                    select(MemberNoticeRow, ComplaintRow)
                    .join(ComplaintRow, ComplaintRow.id == MemberNoticeRow.complaint_id)
                    .where(MemberNoticeRow.id == notice_id)
                ).one()
                if row.answered_on is not None or row.closed_on is not None:
                    notice.status, notice.claim_token, notice.claimed_until = NOTICE_CANCELLED, None, None
                    continue
                claimed.append(ClaimedNotice(notice_id=notice_id, token=token, kind=notice.kind,
                                             attempts=notice.attempts, complaint=complaint_status(row),
                                             email=self._decrypt(row.email)))
        return claimed

    def finish_notice(self, notice: ClaimedNotice, *, sent: bool, error: str | None = None,
                      retry_at: datetime | None = None, cancelled: bool = False) -> bool:
        """Mark a claimed notice sent, cancelled (nothing to send), or failed (retried at ``retry_at``, else kept
        for an operator). False when the claim was lost (expired and taken by another sender): nothing changed."""
        values: dict = {"claim_token": None, "claimed_until": None, "attempts": MemberNoticeRow.attempts + 1}
        if sent:
            values.update(status=NOTICE_SENT, sent_at=utcnow(), last_error=None)
        elif cancelled:
            values.update(status=NOTICE_CANCELLED, attempts=MemberNoticeRow.attempts, last_error=(error or "")[:200])
        elif retry_at is not None:
            values.update(next_attempt_at=retry_at, last_error=(error or "")[:200])
        else:
            values.update(status=NOTICE_FAILED, last_error=(error or "")[:200])
        with store_errors(), self._sessions() as session, session.begin():
            return session.execute(
                update(MemberNoticeRow)
                .where(MemberNoticeRow.id == notice.notice_id, MemberNoticeRow.claim_token == notice.token)
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount == 1

    def notices_sent(self, kind: str = NOTICE_MEDIATION_OPEN) -> dict[str, datetime]:
        """reference -> when the notice was sent (the register's « médiation signalée le »)."""
        with store_errors(), self._sessions() as session:
            rows = session.execute(
                select(MemberNoticeRow.reference, MemberNoticeRow.sent_at)
                .where(MemberNoticeRow.kind == kind, MemberNoticeRow.status == NOTICE_SENT)
            ).all()
        return {reference: sent_at for reference, sent_at in rows}

    def notice_statuses(self, reference: str) -> dict[str, str]:
        """kind -> status of the complaint's notices (the desk's complaint page)."""
        with store_errors(), self._sessions() as session:
            rows = session.execute(
                select(MemberNoticeRow.kind, MemberNoticeRow.status).where(MemberNoticeRow.reference == reference)
            ).all()
        return dict(rows)
