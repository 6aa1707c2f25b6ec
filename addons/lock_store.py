"""Lock store chosen by REDIS_URL: Redis when the assistant is scaled out, in memory on one machine.

Rasa loads a custom lock store by module path and calls it with ``endpoint_config=``; this class is a factory
that returns Rasa's own RedisLockStore or InMemoryLockStore, so the locking behaviour is Rasa's, unchanged.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from recours.settings import get_settings

logger = logging.getLogger(__name__)


def redis_kwargs(url: str) -> dict[str, Any]:
    """RedisLockStore arguments from a redis://[user:password@]host[:port][/db] URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError("REDIS_URL must start with redis:// or rediss://")
    db = (parts.path or "/1").lstrip("/") or "1"
    return {
        "host": parts.hostname or "localhost",
        "port": parts.port or 6379,
        "db": int(db),
        "username": parts.username or None,
        "password": parts.password or None,
        "use_ssl": parts.scheme == "rediss",
        "key_prefix": "recours",
    }


class ConfiguredLockStore:
    def __new__(cls, endpoint_config: Any = None, **_: Any) -> LockStore:  # type: ignore[misc]
        url = get_settings().redis_url
        if url:
            logger.info("Using the Redis lock store.")
            return RedisLockStore(**redis_kwargs(url))
        return InMemoryLockStore()
