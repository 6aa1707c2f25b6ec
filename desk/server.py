"""The complaint desk's web server: routes, security headers, background jobs (``python -m desk``).

Sanic, one process. Each route names what it needs — a session, the CSRF token, the supervisor role — and its
handler runs in a thread (desk/auth.py checks first). Every answer carries a strict Content-Security-Policy
(this origin only, no inline script), ``Cache-Control: no-store`` and no access log: paths hold references and
bodies hold identifiers, so neither is logged.

Background, every minute: the notices owed to members whose answer deadline passed (recours/handling/
notices.py), waiting conversations nobody took (15 minutes), expired sessions and old failed sign-ins. When
``BACKOFFICE_URL`` is set, the desk's events are forwarded to it by a delivery worker (recours/handling/
event_delivery.py). At start, ``RECOURS_DESK_ADMIN=login:password`` creates or refreshes a supervisor account.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any, Callable

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from desk import auth, backoffice_api, complaints_api, handoffs_api, pages, users_api
from desk.context import SESSION_COOKIE, STATIC, Call, Desk, Reply, error
from desk.rasa_bridge import RasaBridge
from recours import handoff
from recours.crypto import FieldCipher, load_key
from recours.handling import accounts
from recours.handling.event_delivery import EventDelivery
from recours.handling.notices import queue_due_notices
from recours.organisations import current_organisation
from recours.settings import Settings, get_settings, today
from recours.store import ComplaintStore, StoreError, StoreUnavailable

log = logging.getLogger("desk")

HOUSEKEEPING_SECONDS = 60.0
FAILURES_KEPT = timedelta(hours=1)
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
    "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
])


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Callable[[Desk, Call], Reply]
    session: bool = True
    csrf: bool = False
    role: str | None = None
    page: bool = False  # an HTML page: signed out → the sign-in page


SUPERVISOR = "supervisor"
ROUTES = (
    Route("GET", "/health", lambda desk, call: Reply(json={"status": "ok"}), session=False),
    Route("POST", "/api/login", auth.login, session=False),
    Route("POST", "/api/logout", auth.logout, csrf=True),
    Route("GET", "/api/me", auth.me),
    Route("POST", "/api/availability", auth.availability, csrf=True),
    Route("GET", "/api/complaints", complaints_api.list_complaints),
    Route("GET", "/api/complaints/<reference>", complaints_api.get_complaint),
    Route("POST", "/api/complaints/<reference>/reveal", complaints_api.reveal, csrf=True),
    Route("POST", "/api/complaints/<reference>/events", complaints_api.record_event, csrf=True),
    Route("GET", "/api/register.csv", complaints_api.export_register),
    Route("GET", "/api/handoffs", handoffs_api.list_handoffs),
    Route("GET", "/api/handoffs/<handoff_id>", handoffs_api.get_handoff),
    Route("POST", "/api/handoffs/<handoff_id>/take", handoffs_api.take, csrf=True),
    Route("POST", "/api/handoffs/<handoff_id>/messages", handoffs_api.send_message, csrf=True),
    Route("POST", "/api/handoffs/<handoff_id>/release", handoffs_api.release, csrf=True),
    Route("GET", "/api/users", users_api.list_users, role=SUPERVISOR),
    Route("POST", "/api/users", users_api.save_user, csrf=True, role=SUPERVISOR),
    Route("POST", "/api/backoffice/events", backoffice_api.receive_event, session=False),
    Route("GET", "/login", pages.login_page, session=False),
    Route("GET", "/", pages.complaints_page, page=True),
    Route("GET", "/reclamations/<reference>", pages.complaint_page, page=True),
    Route("GET", "/conversations", pages.handoffs_page, page=True),
    Route("GET", "/conversations/<handoff_id>", pages.handoff_page, page=True),
    Route("GET", "/comptes", pages.users_page, role=SUPERVISOR, page=True),
)


def open_desk(settings: Settings | None = None) -> Desk:
    settings = settings or get_settings()
    cipher = FieldCipher(load_key(settings))
    return Desk(
        settings=settings,
        store=ComplaintStore(settings.database_url, cipher),
        cipher=cipher,
        organisation=current_organisation(),
        rasa=RasaBridge(settings.rasa_url, settings.rasa_auth_token),
        today=today,
        now=lambda: datetime.now(timezone.utc),
    )


def ensure_admin(desk: Desk) -> None:
    """``RECOURS_DESK_ADMIN=login:password``: the supervisor account for demos and tests, created or refreshed."""
    configured = desk.settings.desk_admin
    if not configured:
        return
    login, sep, password = configured.partition(":")
    if not sep:
        raise SystemExit("RECOURS_DESK_ADMIN doit avoir la forme identifiant:mot-de-passe.")
    try:
        user, created = accounts.save_account(desk.store, login, password, SUPERVISOR)
    except accounts.InvalidAccount as exc:
        raise SystemExit(f"RECOURS_DESK_ADMIN refusé : {exc.message_fr}") from None
    log.info("Supervisor account from RECOURS_DESK_ADMIN %s", "created" if created else "refreshed")


def _run(desk: Desk, route: Route, call: Call) -> Reply:
    try:
        if route.session:
            refusal = auth.authorise(desk, call, csrf=route.csrf, role=route.role)
            if refusal is not None:
                if route.page and refusal.status == 401:
                    return Reply(status=303, redirect="/login")
                if route.page and refusal.status == 403:
                    return pages.forbidden_page(desk, call)
                return refusal
        return route.handler(desk, call)
    except StoreUnavailable:
        log.error("%s %s: the complaint store is unavailable", route.method, route.path)
        return error(503, "store_unavailable", "La base des réclamations est indisponible : réessayez dans un instant.")
    except StoreError as exc:
        log.error("%s %s failed in the store: %s", route.method, route.path, type(exc).__name__)
        return error(500, "store_error", "Erreur de la base des réclamations.")


def _is_secure(request: Request) -> bool:
    return request.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def _cookie(reply_response: HTTPResponse, value: str, secure: bool, *, clear: bool = False) -> None:
    reply_response.cookies[SESSION_COOKIE] = value
    cookie = reply_response.cookies[SESSION_COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    if secure:
        cookie["secure"] = True
    if clear:
        cookie["max-age"] = 0


_dumps = partial(json.dumps, ensure_ascii=False)


def to_response(reply: Reply, call: Call) -> HTTPResponse:
    if reply.redirect:
        answer = response.redirect(reply.redirect, status=reply.status if 300 <= reply.status < 400 else 303)
    elif reply.text is not None:
        answer = response.text(reply.text, status=reply.status, content_type=reply.content_type or "text/plain")
    else:
        answer = response.json(reply.json, status=reply.status, dumps=_dumps)
    answer.headers.update(reply.headers)
    if reply.set_cookie:
        _cookie(answer, reply.set_cookie, call.secure)
    elif reply.clear_cookie:
        _cookie(answer, "", call.secure, clear=True)
    return answer


def _handler(desk: Desk, route: Route) -> Callable[..., Any]:
    async def handle(request: Request, **params: str) -> HTTPResponse:
        call = Call(
            params=params,
            query={key: request.args.get(key) for key in request.args},
            body=request.body or b"",
            headers={key.lower(): value for key, value in request.headers.items()},
            token=request.cookies.get(SESSION_COOKIE),
            secure=_is_secure(request),
        )
        reply = await asyncio.to_thread(_run, desk, route, call)
        return to_response(reply, call)

    handle.__name__ = f"{route.method.lower()}_{route.path.strip('/').replace('/', '_').replace('<', '').replace('>', '') or 'root'}"
    return handle


def housekeeping(desk: Desk) -> None:
    """The minute's background work (see the module docstring); each part logs its own failure."""
    now = desk.now()
    jobs = {
        "notices": lambda: queue_due_notices(desk.store, desk.organisation, desk.today()),
        "handoffs": lambda: desk.store.expire_handoffs(now - handoff.WAIT_LIMIT),
        "sessions": lambda: desk.store.purge_desk_sessions(now - auth.idle_limit(desk), now - accounts.SESSION_MAX_AGE),
        "sign_in_failures": lambda: desk.store.purge_login_failures(now - FAILURES_KEPT),
    }
    for name, job in jobs.items():
        try:
            done = job()
        except StoreError as exc:
            log.error("Desk housekeeping (%s) failed: %s", name, type(exc).__name__)
            continue
        if done:
            log.info("Desk housekeeping (%s): %d", name, done)


async def _housekeeping_loop(desk: Desk) -> None:
    while True:
        await asyncio.to_thread(housekeeping, desk)
        await asyncio.sleep(HOUSEKEEPING_SECONDS)


def create_app(desk: Desk, name: str = "recours_desk") -> Sanic:
    app = Sanic(name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = 256 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"
    for route in ROUTES:
        handler = _handler(desk, route)
        app.add_route(handler, route.path, methods=[route.method], name=handler.__name__)
    app.static("/static", str(STATIC), name="static")

    @app.on_response
    async def security_headers(request: Request, answer: HTTPResponse) -> None:
        answer.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        answer.headers.setdefault("X-Content-Type-Options", "nosniff")
        answer.headers.setdefault("Referrer-Policy", "no-referrer")
        answer.headers.setdefault("X-Frame-Options", "DENY")
        answer.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            answer.headers.setdefault("Cache-Control", "no-store")

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        status = exception.status_code if isinstance(exception, SanicException) else 500
        if status >= 500:
            log.error("Desk request failed: %s", type(exception).__name__)
        return response.json({"error": "request_failed", "message": "Requête impossible."}, status=status)

    app.error_handler.add(Exception, failed)

    @app.listener("after_server_start")
    async def start_background(started: Sanic, loop: Any) -> None:
        started.add_task(_housekeeping_loop(desk))
        worker = _event_worker(desk)
        if worker is not None:
            worker.start()
            desk.wake_delivery = lambda: loop.call_soon_threadsafe(worker.wake)
            started.ctx.event_worker = worker
            log.info("Back-office forwarding of desk events on")

    @app.listener("before_server_stop")
    async def stop_background(stopping: Sanic, loop: Any) -> None:
        worker = getattr(stopping.ctx, "event_worker", None)
        if worker is not None:
            await worker.stop()

    return app


def _event_worker(desk: Desk):
    from recours.backoffice import BackofficeClient
    from recours.outbox import DeliveryWorker

    settings = desk.settings
    if not settings.backoffice_url:
        return None
    client = BackofficeClient(settings.backoffice_url, token=settings.backoffice_token,
                              read_timeout=settings.backoffice_read_timeout_seconds)
    delivery = EventDelivery(desk.store, client, retry_base=settings.backoffice_retry_base_seconds)
    return DeliveryWorker(delivery, poll=min(5.0, max(0.2, settings.backoffice_retry_base_seconds / 2)))


def run(host: str | None = None, port: int | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(name)s - %(message)s")
    desk = open_desk()
    ensure_admin(desk)
    app = create_app(desk)
    settings = desk.settings
    app.run(host=host or settings.host, port=port or settings.desk_port, access_log=False, motd=False, workers=1)
