"""``POST /handoff/relay`` on the Rasa server: the complaint desk's messages into a live conversation.

Registered as an input channel in credentials.yml (Rasa 3.6's only extension point for routes, as
addons/health.py); it handles no member message. Called by the desk (desk/rasa_bridge.py) with the Rasa HTTP
API's token (``Authorization: Bearer …``, compared in constant time; the endpoint answers 503 without a token
configured), body ``{"sender_id": "...", "kind": "joined" | "message" | "left", "text": "..."}``:

- under the conversation's lock, the text is appended to the tracker as a ``bot`` event marked with the
  ``recours_handoff`` metadata (the tracker store redacts it like any other; the socket.io channel sends the same
  marker to the widget, which shows a handler's message as a person's), and ``joined`` / ``left`` set or
  clear the ``live_handoff`` slot, pausing and resuming a form in progress (addons/live_handoff.py);
- then the text goes to the member on their channel (:func:`addons.live_handoff.output_for`), and after
  ``left`` the paused form runs again, which asks its pending question, and the conversation listens (Rasa's
  ``execute_action`` does not add the ``action_listen`` a turn ends with; without it the member's answer would
  follow the form directly and no rule would match it).

Answers 200 ``{"channel": ...}``, 400 for a malformed body, 401 for a wrong token, 404 for an unknown
conversation. Neither the text nor the sender id is logged.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons import runtime
from addons.live_handoff import ACTIVE, HANDOFF_METADATA_KEY, LIVE_HANDOFF_SLOT, PAUSED_LOOP_SLOT, ROUTES, output_for
from recours.settings import get_settings

logger = logging.getLogger(__name__)

KINDS = ("joined", "message", "left")
MAX_TEXT_CHARS = 4000


def _error(status: int, code: str) -> HTTPResponse:
    return response.json({"error": code}, status=status)


def token_matches(configured: Optional[str], header: Optional[str]) -> bool:
    if not configured or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(configured.encode("utf-8"), header[len("Bearer "):].strip().encode("utf-8", "replace"))


def parse_relay(body: bytes) -> Optional[Dict[str, str]]:
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        return None
    sender, text = data.get("sender_id"), data.get("text")
    if not isinstance(sender, str) or not sender or len(sender) > 255:
        return None
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_CHARS:
        return None
    return {"sender_id": sender, "kind": data["kind"], "text": text.strip()}


def _marker(kind: str) -> str:
    """The ``recours_handoff`` metadata of a relayed message: ``joined``, ``handler`` (a person's) or ``left``."""
    return "handler" if kind == "message" else kind


def relay_events(kind: str, text: str, active_loop: Optional[str], paused_loop: Optional[str]) -> List[Event]:
    """What the relayed message writes in the conversation (see the module docstring)."""
    events: List[Event] = [BotUttered(text, metadata={HANDOFF_METADATA_KEY: _marker(kind)})]
    if kind == "joined":
        events.append(SlotSet(LIVE_HANDOFF_SLOT, ACTIVE))
        if active_loop:
            events += [SlotSet(PAUSED_LOOP_SLOT, active_loop), ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
    elif kind == "left":
        events.append(SlotSet(LIVE_HANDOFF_SLOT, None))
        if paused_loop:
            events += [SlotSet(PAUSED_LOOP_SLOT, None), ActiveLoop(paused_loop)]
    return events


class HandoffRelayInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "handoff"

    def url_prefix(self) -> Text:
        return "/"  # the route below is at the server's root, like /health/components

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("recours_handoff_relay", __name__)
        runtime.prepare(blueprint)

        @blueprint.route("/handoff/relay", methods=["POST"])
        async def relay(request: Request) -> HTTPResponse:
            configured = get_settings().rasa_auth_token
            if not configured:
                return _error(503, "no_token_configured")
            if not token_matches(configured, request.headers.get("Authorization")):
                return _error(401, "unauthorised")
            data = parse_relay(request.body)
            if data is None:
                return _error(400, "invalid_body")
            agent = request.app.ctx.agent
            channel = await _append(agent, data)
            if channel is None:
                return _error(404, "unknown_conversation")
            input_channels = getattr(request.app.ctx, "input_channels", None) or []
            output = output_for(data["sender_id"], channel, input_channels)
            # marked as in the tracker: the widget shows a handler's message as a person's (addons/socketio.py)
            marker = {HANDOFF_METADATA_KEY: _marker(data["kind"])}
            await output.send_text_message(data["sender_id"], data["text"], **marker)
            if data["kind"] == "left":
                ROUTES.forget(data["sender_id"])
                await _resume_paused_loop(agent, data["sender_id"], output)
            logger.info("Handoff message relayed (%s, channel %s)", data["kind"], channel)
            return response.json({"channel": channel})

        return blueprint


async def _append(agent: Any, data: Dict[str, str]) -> Optional[str]:
    """Write the relayed message in the tracker; the conversation's latest input channel, None if unknown."""
    processor = agent.processor
    async with agent.lock_store.lock(data["sender_id"]):
        tracker = await processor.get_tracker(data["sender_id"])
        if not tracker.events:
            return None
        paused = tracker.get_slot(PAUSED_LOOP_SLOT) if PAUSED_LOOP_SLOT in tracker.slots else None
        events = relay_events(data["kind"], data["text"], tracker.active_loop_name, paused)
        tracker.update_with_events(events, processor.domain)
        await processor.save_tracker(tracker)
        return tracker.get_latest_input_channel() or "rest"


async def _resume_paused_loop(agent: Any, sender_id: str, output: OutputChannel) -> None:
    """Run the form the handler's arrival paused: it asks its pending question again."""
    processor = agent.processor
    async with agent.lock_store.lock(sender_id):
        tracker = await processor.get_tracker(sender_id)
        loop = tracker.active_loop_name
        if not loop:
            return
        prediction = PolicyPrediction.for_action_name(processor.domain, loop, "HandoffRelay")
        tracker = await processor.execute_action(sender_id, loop, output, processor.nlg, prediction)
        if tracker is not None and tracker.latest_action_name != ACTION_LISTEN_NAME:
            # As after any question the form asks: the member's next message answers it.
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            await processor.save_tracker(tracker)
