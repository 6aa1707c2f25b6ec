"""The domain services the actions use, created once per action-server process."""

from __future__ import annotations

import threading
from functools import lru_cache

from recours.crypto import FieldCipher, conversation_key as _conversation_key, load_key
from recours.organisations import Organisation, current_organisation
from recours.settings import get_settings
from recours.store import ComplaintStore

_store_lock = threading.Lock()
_store: ComplaintStore | None = None


@lru_cache(maxsize=1)
def cipher() -> FieldCipher:
    return FieldCipher(load_key(get_settings()))


def store() -> ComplaintStore:
    """The complaint store, opened on first use (the schema is migrated by the start-up command)."""
    global _store
    with _store_lock:
        if _store is None:
            _store = ComplaintStore(get_settings().database_url, cipher())
        return _store


def organisation() -> Organisation:
    return current_organisation()


def conversation_key(sender_id: str) -> str:
    """Keyed hash of the Rasa sender id: what the store keeps instead of the id itself."""
    return _conversation_key(cipher(), sender_id)


def reset() -> None:
    """Forget the process's services (tests change the environment between cases)."""
    global _store, _outbox
    with _store_lock:
        _store = None
    _outbox = None
    cipher.cache_clear()
    get_settings.cache_clear()


# -- deliveries (recours/outbox.py): one outbox and one delivery worker per process ----------------------------------

_outbox_lock = threading.Lock()
_outbox = None
_worker = None


def outbox():
    """The outboxes of the complaint store, with a back-office client when ``BACKOFFICE_URL`` is set and a mailer
    when ``SMTP_URL`` is (receipts, and the complaint desk's notices in the organisation's words)."""
    from recours.backoffice import BackofficeClient
    from recours.mailer import mailer_from_settings
    from recours.outbox import Outbox

    global _outbox
    with _outbox_lock:
        if _outbox is None:
            settings = get_settings()
            client = None
            if settings.backoffice_url:
                client = BackofficeClient(
                    settings.backoffice_url,
                    token=settings.backoffice_token,
                    read_timeout=settings.backoffice_read_timeout_seconds,
                )
            _outbox = Outbox(store(), client, mailer=mailer_from_settings(settings),
                             retry_base=settings.backoffice_retry_base_seconds, organisation=organisation())
        return _outbox


def start_delivery_worker():
    """Start delivering in this process's event loop (action server start-up); None when there is nothing to
    deliver to (neither ``BACKOFFICE_URL`` nor ``SMTP_URL``)."""
    from recours.outbox import DeliveryWorker

    global _worker
    if not get_settings().backoffice_url and not get_settings().smtp_url:
        return None
    if _worker is None:
        poll = min(5.0, max(0.2, get_settings().backoffice_retry_base_seconds / 2))
        _worker = DeliveryWorker(outbox(), poll=poll)
        _worker.start()
    return _worker


async def stop_delivery_worker() -> None:
    global _worker
    if _worker is not None:
        await _worker.stop()
        _worker = None


def wake_delivery() -> None:
    """A complaint or a call-back was just recorded: deliver it now rather than at the next poll (no-op when there
    is no worker)."""
    if _worker is not None:
        _worker.wake()


def department(tracker) -> str | None:
    """The member's département from the ``postal_code`` slot (local holidays), None when not given."""
    from recours.postal import department_of

    return department_of(tracker.get_slot("postal_code"))
