"""The desk's audit log: who did what and when — sign-ins, « Révéler », events, exports, handoffs, accounts.

An entry names the actor, the action and the complaint (or handoff); ``detail`` says what, never a value (no
identifier, no note, no message): "acknowledged 2026-11-23", "role=handler".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from recours.store.connection import StoreConnection
from recours.store.desk_records import AuditEntry
from recours.store.desk_tables import AuditRow
from recours.store.errors import store_errors
from recours.store.tables import utcnow

DETAIL_LIMIT = 200


def audit_row(actor: str, action: str, reference: str | None = None, detail: str | None = None,
              at: datetime | None = None) -> AuditRow:
    """An entry to add in the caller's transaction (an event and its entry are written together)."""
    return AuditRow(at=at or utcnow(), actor=actor[:64], action=action[:32], reference=reference,
                    detail=detail[:DETAIL_LIMIT] if detail else None)


class AuditLog(StoreConnection):
    def audit(self, actor: str, action: str, reference: str | None = None, detail: str | None = None) -> None:
        with store_errors(), self._sessions() as session, session.begin():
            session.add(audit_row(actor, action, reference, detail))

    def audit_entries(self, reference: str | None = None, limit: int = 200) -> list[AuditEntry]:
        """Newest first; only those of ``reference`` when given."""
        query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
        if reference:
            query = query.where(AuditRow.reference == reference)
        with store_errors(), self._sessions() as session:
            rows = session.execute(query).scalars().all()
        return [AuditEntry(at=r.at, actor=r.actor, action=r.action, reference=r.reference, detail=r.detail) for r in rows]
