"""The complaint store's one entry point: each job of the store, on one database and one cipher."""

from __future__ import annotations

from recours.store.callbacks import CallbackRecords
from recours.store.complaints import ComplaintRecords
from recours.store.retention import RetentionPurge
from recours.store.status_checks import StatusChecks


class ComplaintStore(ComplaintRecords, CallbackRecords, StatusChecks, RetentionPurge):
    """Complaints and the identifier vault in one database (SQLite by default, PostgreSQL by URL).

    The identifier vault (recours/store/vault.py), recording and reading complaints (complaints.py), call-back
    requests (callbacks.py), the status check by proof of ownership (status_checks.py) and the retention purge
    (retention.py). The constructor checks
    that ``cipher`` can read the existing rows (:class:`KeyMismatch` otherwise). It does not create the schema:
    call :func:`migrate` first, or use :meth:`open`, which does both.
    """
