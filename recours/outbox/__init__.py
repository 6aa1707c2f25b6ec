"""Forwarding recorded complaints and call-backs to the back-office, and e-mail receipts and notices to members,
exactly once, whatever fails in between.

Five queues, one mechanism: ``complaint`` (table ``backoffice_outbox``, the complaint's JSON to BACKOFFICE_URL),
``callback`` (``message_outbox``, the call-back request's JSON to the same URL), ``complaint_update`` and
``callback_update`` (``message_outbox``, one row per change the member made afterwards, numbered by ``revision``:
the record as it is when sent, to the same URL) and ``receipt`` (``message_outbox``, the complaint's receipt by
SMTP, recours/mailer.py and recours/receipts.py). The outbox row is written in the transaction that records the
complaint, the call-back or the change (recours.store), so none ever exists without its deliveries nor the reverse. A worker then sends due rows one by one:

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
  exactly-once at the back-office. E-mails follow the same policy (recours/mailer.py classifies SMTP replies like
  HTTP ones); SMTP has no idempotency key, so only a crash between the server's 250 and the mark can send a receipt
  twice, with the same Message-ID (recours/receipts.py).

The « deadline passed, you can refer to the mediator » notices of the complaint desk (``notice``) have their own
rows, claims and states (``member_notices``, recours/handling/notices.py: queued by the desk, cancelled when the
answer comes first); given the organisation, the same worker sends them with the same mailer and retry policy,
after the queues above, and a crash between the 250 and the mark re-sends one with the same Message-ID.

No Rasa import: the action server runs :class:`DeliveryWorker` in its event loop (actions/server.py) and
operators run one pass with ``python -m ops outbox retry``.
"""

from recours.outbox.queues import (
    BATCH,
    COMPLAINT,
    KINDS,
    NOTICE,
    RETRY_CAP_SECONDS,
    Attempt,
    Backlog,
    Outbox,
    OutboxEntry,
    Queue,
)
from recours.outbox.worker import DeliveryWorker

__all__ = ["BATCH", "COMPLAINT", "KINDS", "NOTICE", "RETRY_CAP_SECONDS", "Attempt", "Backlog", "DeliveryWorker",
           "Outbox", "OutboxEntry", "Queue"]
