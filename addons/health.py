"""``GET /health/components`` on the Rasa server: what this process depends on, and what it saw fail.

Registered as an input channel in credentials.yml (the only extension point Rasa 3.6's server offers for routes);
it handles no message. Reported, without secrets (recours/health.py):

- ``tracker_store``: ``SELECT 1`` on the redacting tracker store's database;
- ``lock_store``: ``PING`` to Redis when ``REDIS_URL`` is set;
- ``action_server``: its ``/health/components`` (complaint store, back-office backlog...), red when unreachable
  or when one of its components fails.

Each also shows the last failure seen during a member's turn in the last 5 minutes, and how many since start
(Rasa's FailSafeTrackerStore and action handling would otherwise leave them in the logs only).

200 when nothing is failing, 503 otherwise. ``GET /webhooks/rest/`` and Rasa's ``/status`` stay the liveness probes.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons import runtime
from addons import tracker_store as tracker_store_module
from addons.turns import (
    ACTION_SERVER,
    HEALTH,
    LOCK_STORE,
    TRACKER_STORE,
    report_success,
)
from recours import health
from recours.settings import get_settings


RECENT_FAILURE_SECONDS = 300


def _with_recent_failures(component: str, state: Dict[str, Any]) -> Dict[str, Any]:
    """The live check decides; a failure seen during a member's turn in the last minutes is shown beside it.

    A component failing during turns fails the live check too (database, Redis or action server unreachable);
    once the live check passes again the component is back, and the last failure stays visible for a while.
    """
    record = HEALTH.get(component)
    if state.get("status") == health.OK:
        report_success(component)
    if record.last_failure_at and time.time() - record.last_failure_at < RECENT_FAILURE_SECONDS:
        state["last_failure"] = record.last_error
        state["last_failure_seconds_ago"] = int(time.time() - record.last_failure_at)
    if record.failures:
        state["failures_since_start"] = record.failures
    return state


def _tracker_store() -> Dict[str, Any]:
    store = tracker_store_module.ACTIVE
    if store is None:
        return {"status": health.FAILING, "error": "tracker store not loaded"}
    return health.database(store.engine)


async def _action_server(base_url: Optional[str]) -> Dict[str, Any]:
    if not base_url:
        return {"status": health.FAILING, "error": "no action endpoint"}
    started = time.monotonic()
    try:
        timeout = aiohttp.ClientTimeout(total=25)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(f"{base_url}/health/components") as answer:
                body = await answer.json(content_type=None)
                status = answer.status
    except Exception as exc:  # noqa: BLE001 - unreachable: report the class name only
        return {"status": health.FAILING, "error": type(exc).__name__, "latency_ms": int((time.monotonic() - started) * 1000)}
    nested = body.get("components", {}) if isinstance(body, dict) else {}
    return {
        "status": health.OK if status == 200 else health.FAILING,
        "latency_ms": int((time.monotonic() - started) * 1000),
        "components": nested,
    }


def _action_base_url(request: Request) -> Optional[str]:
    agent = getattr(request.app.ctx, "agent", None)
    endpoint = getattr(agent, "action_endpoint", None)
    url = getattr(endpoint, "url", None)
    if not url:
        return None
    return url[: -len("/webhook")] if url.endswith("/webhook") else url.rstrip("/")


async def components(request: Request) -> Dict[str, Dict[str, Any]]:
    tracker, lock, actions = await asyncio.gather(
        asyncio.to_thread(_tracker_store),
        asyncio.to_thread(health.redis_ping, get_settings().redis_url),
        _action_server(_action_base_url(request)),
    )
    return {
        "tracker_store": _with_recent_failures(TRACKER_STORE, tracker),
        "lock_store": _with_recent_failures(LOCK_STORE, lock),
        "action_server": _with_recent_failures(ACTION_SERVER, actions),
    }


class HealthInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "health"

    def url_prefix(self) -> Text:
        return "/"  # urljoin("/webhooks/", "/") == "/": the routes below are at the server's root

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("recours_health", __name__)
        runtime.prepare(blueprint)

        @blueprint.route("/health/components", methods=["GET"])
        async def health_components(request: Request) -> HTTPResponse:
            status, body = await health.answer(components(request), timeout=30, server="rasa_server")
            return response.json(body, status=status)

        return blueprint
