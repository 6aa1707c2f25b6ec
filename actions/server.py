"""Action-server extensions, attached through rasa-sdk's plugin hook ``attach_sanic_app_extensions``.

rasa-sdk imports every module of the ``actions`` package before it calls the hook, so registering here is enough
(no entry point, no extra package). Attached:

- the delivery worker (recours/outbox.py: complaints and call-backs to the back-office, e-mail receipts), started
  with the server and stopped with it, when ``BACKOFFICE_URL`` or ``SMTP_URL`` is set: an asyncio task whose passes
  run in a thread, so no member's answer waits on it;
- a ``gc.freeze()`` once every module is loaded (see addons/performance.py);
- ``GET /health/components``: complaint store, tracker store, Redis, back-office backlog, e-mail backlog when
  ``SMTP_URL`` is set (recours/health.py);
  200 when nothing fails, 503 otherwise. rasa-sdk's own ``GET /health`` stays the liveness probe;
- a response middleware on ``/webhook``: a long answer already given in the conversation becomes a short
  reminder (recours/repeats.py), before Rasa records the replies;
- an error handler in place of rasa-sdk's, which answered 500 with the whole request body (the member's name,
  the complaint's description) that the Rasa server then logged: the answer and the log line say the failure's
  type and where it happened, never its message nor the request (recours/failures.py).
"""

from __future__ import annotations

import asyncio
import gc
import json
import zlib
import logging
from datetime import date
from typing import Any

import pluggy
from rasa_sdk.plugin import plugin_manager
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from actions import services
from recours import calendar, failures, health, messages, repeats
from recours.settings import get_settings

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")

_tracker_engine = None


def _tracker_store_engine() -> Any:
    global _tracker_engine
    if _tracker_engine is None:
        url = get_settings().tracker_store_url
        connect_args = {"connect_timeout": 5} if url.startswith("postgresql") else {}
        _tracker_engine = create_engine(url, future=True, poolclass=NullPool, connect_args=connect_args)
    return _tracker_engine


def components() -> dict[str, dict[str, Any]]:
    """Every check of this process (blocking: run it in a thread)."""
    settings = get_settings()
    checks: dict[str, dict[str, Any]] = {}
    try:
        store = services.store()
    except Exception as exc:  # noqa: BLE001 - a store that cannot even open is the first thing to report
        checks["complaint_store"] = {"status": health.FAILING, "error": type(exc).__name__}
        checks["backoffice"] = {"status": health.FAILING, "error": "complaint store unavailable"}
    else:
        checks["complaint_store"] = health.database(store.engine)
        checks["backoffice"] = health.backoffice(services.outbox(), bool(settings.backoffice_url),
                                                 kinds=("complaint", "callback"))
        if settings.smtp_url:
            checks["mail"] = health.backoffice(services.outbox(), True, kinds=("receipt",))
    checks["tracker_store"] = health.database(_tracker_store_engine())
    checks["redis"] = health.redis_ping(settings.redis_url)
    return checks


async def components_health(request: Request) -> HTTPResponse:
    status, body = await health.answer(asyncio.to_thread(components), timeout=20, server="action_server")
    return response.json(body, status=status)


async def _start(app: Any, loop: Any) -> None:
    # The holiday tables import their country module on first use, and the French sentences (recours/messages.py)
    # are read and schema-checked on first use (about 60 ms): both done now, not during a member's turn. Then
    # everything loaded at start is exempted from the garbage collector's full passes, which otherwise walk it
    # all again and again while members wait.
    calendar.is_working_day(date.today())
    messages.catalogue()
    gc.collect()
    gc.freeze()
    try:
        worker = services.start_delivery_worker()
    except Exception:  # noqa: BLE001 - the action server must still answer members; health shows the outbox
        logger.exception("The back-office delivery worker could not start")
        return
    if worker is not None:
        logger.info("Deliveries on (back-office, e-mail receipts): delivery worker started")


async def _failed(request: Request, exception: Exception) -> HTTPResponse:
    logger.error("Action server request %s failed: %s", request.path, failures.located(exception))
    return response.json(failures.public_error(exception), status=500)


async def _no_repeats(request: Request, reply: HTTPResponse) -> HTTPResponse | None:
    """Replace a paragraph said twice by a reminder (recours/repeats.py); anything unexpected leaves the reply."""
    if request.path != "/webhook" or reply.status != 200:
        return None
    try:
        body = json.loads(reply.body)
        call = json.loads(zlib.decompress(request.body)) if request.headers.get("Content-Encoding") == "deflate" \
            else request.json
        events = ((call or {}).get("tracker") or {}).get("events") or []
        responses = body.get("responses") or []
        # a form's validation says why an answer is refused, again when it is refused again: never shortened
        validating = str((call or {}).get("next_action") or "").startswith("validate_")
        shortened = repeats.shorten_repeats(responses, events, long_answers=not validating)
    except (ValueError, TypeError, AttributeError, zlib.error):
        return None
    if shortened == responses:
        return None
    body["responses"] = shortened
    return response.json(body, status=reply.status)


async def _stop(app: Any, loop: Any) -> None:
    await services.stop_delivery_worker()


class ServerExtensions:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Any) -> None:
        app.register_listener(_start, "after_server_start")
        app.register_listener(_stop, "before_server_stop")
        app.add_route(components_health, "/health/components", methods=["GET"], name="health_components")
        app.register_middleware(_no_repeats, "response")
        app.error_handler.add(Exception, _failed)  # replaces rasa-sdk's, which echoes the request body


EXTENSIONS = ServerExtensions()
if not plugin_manager().is_registered(EXTENSIONS):
    plugin_manager().register(EXTENSIONS)
