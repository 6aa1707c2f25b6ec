"""The complaint store's one entry point: each job of the store, on one database and one cipher."""

from __future__ import annotations

from recours.store.audit import AuditLog
from recours.store.callbacks import CallbackRecords
from recours.store.complaint_events import ComplaintEvents
from recours.store.complaints import ComplaintRecords
from recours.store.desk_accounts import DeskAccounts
from recours.store.handoffs import Handoffs
from recours.store.notices import MemberNotices
from recours.store.retention import RetentionPurge
from recours.store.status_checks import StatusChecks


class ComplaintStore(
    ComplaintRecords, CallbackRecords, StatusChecks, RetentionPurge, ComplaintEvents, DeskAccounts, AuditLog,
    Handoffs, MemberNotices,
):
    """Complaints and the identifier vault in one database (SQLite by default, PostgreSQL by URL).

    The identifier vault (recours/store/vault.py), recording and reading complaints (complaints.py), call-back
    requests (callbacks.py), the status check by proof of ownership (status_checks.py) and the retention purge
    (retention.py); for the complaint desk, events on complaints (complaint_events.py), handlers' accounts and
    sessions (desk_accounts.py), the audit log (audit.py), live handoffs (handoffs.py) and notices owed to members
    (notices.py). The constructor checks that ``cipher`` can read the existing rows (:class:`KeyMismatch`
    otherwise). It does not create the schema: call :func:`migrate` first, or use :meth:`open`, which does both.
    """
