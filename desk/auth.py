"""Signing in and out of the desk, and the checks every other request goes through (rules in
recours/handling/accounts.py).

Order of the checks, so that each refusal says the right thing: no live session → 401; a state-changing request
without the CSRF token of its session → 403; a supervisor's action by a handler → 403. A request the page's
script makes on its own (the queue's polling, marked ``X-Desk-Background``) does not count as activity, so an
unattended desk still signs out after ``DESK_SESSION_IDLE_MINUTES``.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from desk.context import FORBIDDEN_CSRF, FORBIDDEN_ROLE, UNAUTHORISED, Call, Desk, Reply, error
from recours.handling import accounts

log = logging.getLogger(__name__)

BACKGROUND_HEADER = "X-Desk-Background"
CSRF_HEADER = "X-CSRF-Token"


def idle_limit(desk: Desk) -> timedelta:
    return timedelta(minutes=desk.settings.desk_session_idle_minutes)


def json_body(call: Call) -> Any:
    """The request's JSON object, or None (not JSON, or not declared as JSON: no simple cross-site form)."""
    content_type = (call.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return None
    try:
        data = json.loads(call.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def authorise(desk: Desk, call: Call, *, csrf: bool, role: str | None = None) -> Reply | None:
    """Fill ``call.session``; the refusal to answer instead, if any (see the module docstring)."""
    session = accounts.current_session(desk.store, call.token, idle_limit(desk), desk.now())
    if session is None:
        return error(401, *UNAUTHORISED)
    if csrf and not accounts.csrf_valid(call.token or "", call.headers.get(CSRF_HEADER.lower())):
        return error(403, *FORBIDDEN_CSRF)
    if role and session.user.role != role:
        return error(403, *FORBIDDEN_ROLE)
    if not call.headers.get(BACKGROUND_HEADER.lower()):
        desk.store.touch_desk_session(session.id, desk.now())
    call.session = session
    return None


def login(desk: Desk, call: Call) -> Reply:
    body = json_body(call)
    if body is None or not isinstance(body.get("login"), str) or not isinstance(body.get("password"), str):
        return error(422, "invalid_body", 'Le corps doit être un objet JSON {"login": "...", "password": "..."}.')
    result = accounts.sign_in(desk.store, desk.cipher, body["login"], body["password"], desk.now())
    if result.retry_after is not None:
        log.warning("Desk sign-in refused: too many failures for this login")
        return Reply(status=429, json={"error": "locked", "message": (
            "Trop de tentatives : cet identifiant est bloqué pendant 15 minutes."), "retry_after": result.retry_after},
            headers={"Retry-After": str(result.retry_after)})
    if result.user is None:
        log.info("Desk sign-in refused: wrong credentials")
        return error(401, "invalid_credentials", "Identifiant ou mot de passe incorrect.")
    desk.store.audit(result.user.login, "sign_in")
    return Reply(json={"csrf": result.csrf, "login": result.user.login, "role": result.user.role},
                 set_cookie=result.token)


def logout(desk: Desk, call: Call) -> Reply:
    assert call.session is not None and call.token
    desk.store.close_desk_session(accounts.token_hash(call.token))
    desk.store.audit(call.session.user.login, "sign_out")
    return Reply(json={"signed_out": True}, clear_cookie=True)


def me(desk: Desk, call: Call) -> Reply:
    assert call.session is not None
    user = call.session.user
    return Reply(json={"login": user.login, "role": user.role, "available": call.session.available})


def availability(desk: Desk, call: Call) -> Reply:
    """``{"available": true}``: this session takes live conversations (until it ends or says otherwise)."""
    assert call.session is not None
    body = json_body(call)
    if body is None or not isinstance(body.get("available"), bool):
        return error(422, "invalid_body", 'Le corps doit être {"available": true} ou {"available": false}.')
    desk.store.set_desk_availability(call.session.id, body["available"])
    return Reply(json={"available": body["available"]})
