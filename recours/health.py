"""Component checks for the health endpoints (``GET /health/components`` on the Rasa and action servers).

Each check returns a small JSON object with ``status`` "ok", "failing" or "not_configured" and a few figures,
never a URL, a host name, a password nor an exception message (they may hold them): only exception class names.
:func:`summarise` turns the checks into the answer: 200 when nothing is failing, 503 otherwise; :func:`answer`
runs them under a time limit and logs a failing answer, for both servers.

Load balancers and Kubernetes probes use the plain ``/health`` (is the process up?); monitoring uses
``/health/components`` (can it do its job?) — taking a replica out of rotation because the back-office is down
would make things worse, not better.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Mapping

from sqlalchemy import text

# A complaint still undelivered after this long turns the back-office check red.
BACKLOG_ALERT_SECONDS = 15 * 60
OK, FAILING, NOT_CONFIGURED = "ok", "failing", "not_configured"

logger = logging.getLogger(__name__)


def _timed(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.monotonic()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 - the class name only: messages may hold hosts or credentials
        return {"status": FAILING, "error": type(exc).__name__, "latency_ms": _ms(started)}
    result.setdefault("status", OK)
    result["latency_ms"] = _ms(started)
    return result


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def database(engine: Any) -> dict[str, Any]:
    """``SELECT 1`` through ``engine`` (a SQLAlchemy engine)."""

    def check() -> dict[str, Any]:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": OK, "backend": engine.dialect.name}

    return _timed(check)


def redis_ping(url: str | None) -> dict[str, Any]:
    if not url:
        return {"status": NOT_CONFIGURED, "detail": "in-memory lock store (one Rasa process only)"}

    def check() -> dict[str, Any]:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        try:
            client.ping()
        finally:
            client.close()
        return {"status": OK}

    return _timed(check)


def backoffice(outbox: Any, configured: bool, now: datetime | None = None, kinds: Any = None) -> dict[str, Any]:
    """The outbox backlog: pending deliveries, the oldest one's age, refusals waiting for an operator. ``kinds``:
    the queues counted (recours.outbox.KINDS; all by default)."""

    def check() -> dict[str, Any]:
        backlog = outbox.backlog() if kinds is None else outbox.backlog(kinds)
        age = backlog.oldest_pending_age(now or datetime.now(timezone.utc))
        result: dict[str, Any] = {
            "mode": "forwarding" if configured else "local",
            "pending": backlog.pending,
            "failed": backlog.failed,
            "oldest_pending_age_seconds": None if age is None else int(age),
        }
        if backlog.failed:
            result.update(status=FAILING, detail="refused deliveries wait for an operator: python -m ops outbox list")
        elif age is not None and age > BACKLOG_ALERT_SECONDS:
            result.update(status=FAILING, detail="deliveries are late: the back-office has been failing")
        else:
            result["status"] = OK
        return result

    return _timed(check)


def summarise(components: Mapping[str, Mapping[str, Any]]) -> tuple[int, dict[str, Any]]:
    failing = sorted(name for name, state in components.items() if state.get("status") == FAILING)
    body = {
        "status": FAILING if failing else OK,
        "failing": failing,
        "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "components": dict(components),
    }
    return (503 if failing else 200), body


async def answer(checks: Awaitable[Mapping[str, Mapping[str, Any]]], timeout: float,
                 server: str) -> tuple[int, dict[str, Any]]:
    """The status and body of ``GET /health/components``: ``checks`` given ``timeout`` seconds (past it,
    ``server`` is reported failing), a failing answer logged with the names of what fails."""
    try:
        components = await asyncio.wait_for(checks, timeout=timeout)
    except asyncio.TimeoutError:
        components = {server: {"status": FAILING, "error": "checks timed out"}}
    status, body = summarise(components)
    if status != 200:
        logger.error("Health check failing: %s", ", ".join(body["failing"]))
    return status, body
