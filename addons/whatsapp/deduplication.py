"""The WhatsApp message ids already handled, so that a delivery Meta retries makes no second turn.

Meta waits for a quick 200 and retries otherwise, for days: each message id is remembered (as a keyed hash, never
in clear: it encodes the member's number) for longer than Meta retries. In memory and per process by default;
with several Rasa processes or replicas set ``REDIS_URL`` and the set is shared in Redis.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Callable, Optional

logger = logging.getLogger(__name__)

SEEN_TTL_SECONDS = 8 * 24 * 3600  # Meta retries a failed delivery for up to 7 days
SEEN_MAX_ENTRIES = 200_000


class SeenMessages:
    """Message ids already handled, for ``ttl`` seconds, at most ``max_entries`` (oldest forgotten first).

    In memory and per process: enough for one Rasa process. Several replicas must share it: see RedisSeenMessages.
    """

    def __init__(self, ttl: float = SEEN_TTL_SECONDS, max_entries: int = SEEN_MAX_ENTRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_entries, self._clock = ttl, max_entries, clock
        self._seen: "OrderedDict[str, float]" = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    async def first_time(self, key: str) -> bool:
        """True the first time ``key`` is offered within the TTL (check-and-set with no await: atomic)."""
        now = self._clock()
        while self._seen:
            oldest, expires = next(iter(self._seen.items()))
            if expires > now and len(self._seen) < self.max_entries:
                break
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now + self.ttl
        return True

    async def close(self) -> None:
        return None


class RedisSeenMessages:
    """The same set in Redis (``SET key NX EX ttl``), shared by every Rasa process using ``REDIS_URL``.

    When Redis cannot be reached the in-memory set takes over (a duplicate turn is better than a lost message).
    """

    PREFIX = "recours:whatsapp:seen:"

    def __init__(self, url: str, ttl: int = SEEN_TTL_SECONDS, fallback: Optional[SeenMessages] = None) -> None:
        import redis.asyncio as redis_asyncio

        self.ttl = int(ttl)
        self._client = redis_asyncio.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self._fallback = fallback or SeenMessages(ttl=ttl)
        self._warned = False

    async def first_time(self, key: str) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(await self._client.set(self.PREFIX + key, b"1", nx=True, ex=self.ttl))
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            if not self._warned:
                logger.warning("Redis unreachable for WhatsApp deduplication (%s): using memory", type(exc).__name__)
                self._warned = True
            return await self._fallback.first_time(key)

    async def close(self) -> None:
        try:
            await self._client.close()
        except Exception:  # noqa: BLE001 - closing at shutdown must not fail the shutdown
            pass
