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
    global _store
    with _store_lock:
        _store = None
    cipher.cache_clear()
    get_settings.cache_clear()
