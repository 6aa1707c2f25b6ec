"""Live conversations waiting for a person: the queue, reading one, taking it, replying, handing it back.

The conversation is read from the Rasa server as the tracker store holds it (identifiers redacted); the
handler's messages go through the Rasa server too (desk/rasa_bridge.py), which writes them in the conversation
and delivers them on the member's channel. Taking and handing back tell the member (recours/handoff.py's
sentences). Only the handler who took a conversation writes in it or hands it back (a supervisor may hand back
any). Each step is in the audit log, never a message's text.
"""

from __future__ import annotations

import logging

from desk.auth import json_body
from desk.context import Call, Desk, Reply, error
from desk.rasa_bridge import RasaUnavailable
from desk.views import handoff_ended_fr, handoff_json
from recours import handoff as rules
from recours.store import HANDOFF_ACTIVE, HANDOFF_WAITING, Handoff, HandoffConflict

log = logging.getLogger(__name__)

MAX_REPLY_CHARS = 2000
UNKNOWN = ("not_found", "Conversation inconnue.")
RASA_DOWN = ("rasa_unavailable", "Le serveur de l'assistant ne répond pas : réessayez dans un instant.")


def list_handoffs(desk: Desk, call: Call) -> Reply:
    assert call.session is not None
    return Reply(json={
        "handoffs": [handoff_json(h) for h in desk.store.handoffs()],
        "available": call.session.available,
    })


def _mine(call: Call, handoff: Handoff) -> bool:
    assert call.session is not None
    return handoff.taken_by == call.session.user.login


def get_handoff(desk: Desk, call: Call) -> Reply:
    """The handoff and, while it is open, the conversation's messages; once closed, what became of it."""
    found = desk.store.handoff(call.params["handoff_id"], with_sender=True)
    if found is None:
        return error(404, *UNKNOWN)
    mine = _mine(call, found)
    body = {"handoff": handoff_json(found), "mine": mine, "messages": [], "ended": handoff_ended_fr(found, mine)}
    if found.sender and found.status in (HANDOFF_WAITING, HANDOFF_ACTIVE):
        try:
            body["messages"] = [m.as_json() for m in desk.rasa.conversation(found.sender)]
        except RasaUnavailable as exc:
            log.error("Conversation of a handoff unreadable: %s", exc)
            body["messages_error"] = RASA_DOWN[1]
    return Reply(json=body)


def take(desk: Desk, call: Call) -> Reply:
    assert call.session is not None
    user = call.session.user
    try:
        taken = desk.store.take_handoff(call.params["handoff_id"], user.id, user.login)
    except HandoffConflict:
        if desk.store.handoff(call.params["handoff_id"]) is None:
            return error(404, *UNKNOWN)
        return error(409, "not_waiting", "Cette conversation n'est plus en attente (déjà prise, ou terminée).")
    try:
        desk.rasa.relay(taken.sender, "joined", rules.joined_fr(desk.organisation))
    except RasaUnavailable as exc:
        log.error("Handoff not announced to the member (%s): back in the queue", exc)
        desk.store.return_handoff_to_queue(taken.public_id)
        return error(502, *RASA_DOWN)
    return Reply(json={"handoff": handoff_json(taken)})


def _active_mine(desk: Desk, call: Call, *, supervisor_too: bool = False) -> Handoff | Reply:
    assert call.session is not None
    found = desk.store.handoff(call.params["handoff_id"], with_sender=True)
    if found is None:
        return error(404, *UNKNOWN)
    allowed = _mine(call, found) or (supervisor_too and call.session.user.role == "supervisor")
    if found.status != HANDOFF_ACTIVE or not allowed or not found.sender:
        return error(409, "not_yours", "Cette conversation n'est pas en cours avec vous.")
    return found


def send_message(desk: Desk, call: Call) -> Reply:
    """``{"text": "..."}``: the handler's reply, delivered to the member."""
    assert call.session is not None
    body = json_body(call)
    text = body.get("text") if body else None
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_REPLY_CHARS:
        return error(422, "invalid_text", f"Le message doit faire de 1 à {MAX_REPLY_CHARS} caractères.")
    found = _active_mine(desk, call)
    if isinstance(found, Reply):
        return found
    try:
        channel = desk.rasa.relay(found.sender, "message", text.strip())
    except RasaUnavailable as exc:
        log.error("Handler's message not delivered: %s", exc)
        return error(502, *RASA_DOWN)
    desk.store.audit(call.session.user.login, "handoff_message", found.complaint_reference,
                     f"handoff {found.public_id}")
    return Reply(json={"sent": True, "channel": channel})


def release(desk: Desk, call: Call) -> Reply:
    """Hand the conversation back to the assistant; the member is told."""
    assert call.session is not None
    found = _active_mine(desk, call, supervisor_too=True)
    if isinstance(found, Reply):
        return found
    try:
        desk.rasa.relay(found.sender, "left", rules.left_fr(desk.organisation))
    except RasaUnavailable as exc:
        log.error("Handing back failed: %s", exc)
        return error(502, *RASA_DOWN)
    try:
        released = desk.store.release_handoff(found.public_id, call.session.user.id, call.session.user.login,
                                              any_handler=call.session.user.role == "supervisor")
    except HandoffConflict:
        return error(409, "not_yours", "Cette conversation n'est pas en cours avec vous.")
    return Reply(json={"handoff": handoff_json(released)})
