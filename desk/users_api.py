"""Accounts of the desk: supervisors list them and create or refresh them (a handler gets 403)."""

from __future__ import annotations

from desk.auth import json_body
from desk.context import Call, Desk, Reply, error
from recours.handling.accounts import InvalidAccount, save_account


def list_users(desk: Desk, call: Call) -> Reply:
    return Reply(json={"users": [
        {"login": user.login, "role": user.role, "active": user.active} for user in desk.store.desk_users()
    ]})


def save_user(desk: Desk, call: Call) -> Reply:
    """``{"login", "password", "role"}``: 201 when created, 200 when an existing account was refreshed."""
    assert call.session is not None
    body = json_body(call)
    if body is None or not all(isinstance(body.get(k), str) for k in ("login", "password", "role")):
        return error(422, "invalid_body", 'Le corps doit être {"login": "...", "password": "...", "role": "..."}.')
    try:
        user, created = save_account(desk.store, body["login"], body["password"], body["role"])
    except InvalidAccount as exc:
        return error(422, "invalid_account", exc.message_fr)
    desk.store.audit(call.session.user.login, "user_saved", detail=f"{user.login} role={user.role}")
    return Reply(status=201 if created else 200, json={"login": user.login, "role": user.role})
