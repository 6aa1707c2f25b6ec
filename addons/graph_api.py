"""Client for Meta's WhatsApp Cloud API (Graph API): sending messages to a member.

One module per external service (shared/style.md). Settings come from recours.settings: the base URL
(``WHATSAPP_GRAPH_URL``, a local stand-in in tests), the phone number id and the access token.

Why the retry policy looks like this: Meta answers 429 or 5xx when throttling or degraded, and sometimes a 400
whose error code says "rate limit" or "temporarily unavailable"; those are worth a few bounded retries, spaced
by the project's one retry policy (recours/retry.py: exponential backoff with jitter, at least ``Retry-After``,
capped at ``backoff_max``). Any other 4xx is a request the Graph API will refuse again, so it is not retried. A
retry after a timeout may deliver a message twice; a lost reply is worse for a member filing a complaint, and the
number of attempts is small.

Nothing logged here contains the recipient's number, the message or the token: only HTTP status, Meta's numeric
error code and its trace id, which identify the failure to Meta's support without identifying the member.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from recours.retry import RetryPolicy, parse_retry_after
from recours.settings import Settings

logger = logging.getLogger(__name__)

# Meta error codes that mean "try again later" (throttling, transient server trouble), whatever the HTTP status.
RETRIABLE_ERROR_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})


class GraphAPIError(RuntimeError):
    """A message could not be sent. Carries only what is safe to log: status, Meta error code, trace id."""

    def __init__(self, status: int | None, code: int | None = None, trace_id: str | None = None) -> None:
        self.status, self.code, self.trace_id = status, code, trace_id
        super().__init__(f"Graph API send failed (status={status}, code={code}, fbtrace_id={trace_id})")


@dataclass(frozen=True)
class GraphConfig:
    base_url: str
    phone_number_id: str
    access_token: str = field(repr=False)
    connect_timeout: float = 5.0
    total_timeout: float = 10.0
    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 8.0

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> "GraphConfig":
        if not (settings.whatsapp_phone_number_id and settings.whatsapp_access_token):
            raise ValueError("WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_ACCESS_TOKEN must be set")
        return cls(
            base_url=settings.whatsapp_graph_url.rstrip("/"),
            phone_number_id=settings.whatsapp_phone_number_id,
            access_token=settings.whatsapp_access_token,
            **overrides,
        )

    @property
    def messages_url(self) -> str:
        return f"{self.base_url}/{self.phone_number_id}/messages"


def _error_details(body: Any) -> tuple[int | None, str | None]:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, None
    code = error.get("code")
    trace = error.get("fbtrace_id")
    return (code if isinstance(code, int) else None), (str(trace)[:64] if trace else None)


class GraphClient:
    """Sends messages through ``POST {base}/{phone_number_id}/messages`` with a bearer token.

    The aiohttp session is created lazily inside the running event loop (Rasa's Sanic loop) and reused for
    every message; :meth:`close` releases it at server stop.
    """

    def __init__(self, config: GraphConfig) -> None:
        self.config = config
        self._retry = RetryPolicy(config.backoff_base, config.backoff_max)
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"GraphClient({self.config.base_url!r})"

    def _get_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.config.total_timeout, connect=self.config.connect_timeout),
                headers={"Authorization": f"Bearer {self.config.access_token}"},
            )
            self._session_loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def send(self, to: str, message: dict[str, Any]) -> str | None:
        """Send one message (``message`` holds ``type`` and its object) to ``to``; returns Meta's message id.

        Raises :class:`GraphAPIError` once the attempts are exhausted or on a request Meta refuses for good.
        """
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, **message}
        session = self._get_session()
        last_error = GraphAPIError(None)
        for attempt in range(1, self.config.max_attempts + 1):
            retry_after: float | None = None
            try:
                async with session.post(self.config.messages_url, json=payload) as response:
                    try:
                        body = await response.json(content_type=None)
                    except (ValueError, aiohttp.ContentTypeError):
                        body = None
                    if 200 <= response.status < 300:
                        messages = body.get("messages") if isinstance(body, dict) else None
                        if messages and isinstance(messages[0], dict):
                            return messages[0].get("id")
                        return None
                    code, trace = _error_details(body)
                    last_error = GraphAPIError(response.status, code, trace)
                    retriable = response.status == 429 or response.status >= 500 or code in RETRIABLE_ERROR_CODES
                    if not retriable:
                        raise last_error
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                last_error = GraphAPIError(None)
                logger.warning("Graph API unreachable (%s), attempt %d/%d",
                               type(exc).__name__, attempt, self.config.max_attempts)
            else:
                logger.warning("Graph API answered %s (code %s), attempt %d/%d",
                               last_error.status, last_error.code, attempt, self.config.max_attempts)
            if attempt < self.config.max_attempts:
                await asyncio.sleep(self._retry.delay(attempt, retry_after))
        raise last_error
