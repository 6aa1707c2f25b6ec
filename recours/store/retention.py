"""The store's part of the retention purge (``python -m ops purge``, recours.privacy): never the complaints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from recours.store.connection import StoreConnection
from recours.store.errors import store_errors
from recours.store.records import PurgeCounts
from recours.store.tables import CALLBACK_DRAFT, CallbackRow, StatusAttemptRow, VaultRow


class RetentionPurge(StoreConnection):
    def purge(self, *, vault_before: datetime, attempts_before: datetime) -> PurgeCounts:
        """Delete identifiers typed in conversations that never became a complaint, last touched before
        ``vault_before`` (and the phone numbers of call-backs never requested, as old), and failed status checks
        older than ``attempts_before``. Complaints and call-back requests are never purged here: their retention
        is the organisation's legal obligation, not the conversation's."""
        with store_errors(), self._sessions() as session, session.begin():
            vault = session.execute(delete(VaultRow).where(VaultRow.updated_at < vault_before)).rowcount or 0
            drafts = session.execute(
                delete(CallbackRow).where(CallbackRow.status == CALLBACK_DRAFT, CallbackRow.created_at < vault_before)
            ).rowcount or 0
            attempts = session.execute(
                delete(StatusAttemptRow).where(StatusAttemptRow.attempted_at < attempts_before)
            ).rowcount or 0
        return PurgeCounts(vault_rows=vault, status_attempts=attempts, callback_drafts=drafts)
